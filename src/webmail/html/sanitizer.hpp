// The message-HTML sanitiser: turns untrusted e-mail HTML into markup that is safe to show inside the
// sandboxed iframe. An allowlist of tags and attributes; everything active is dropped (script, event
// handlers, javascript:/vbscript: URLs, forms, frames, objects, meta refresh, base, CSS expressions and
// bindings). Remote images are blocked unless the caller allows them; cid: references are rewritten.
// Defence in depth: the iframe is also sandboxed and served with a strict CSP (docs/webmail-api.md).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace claret::webmail::html {

struct SanitizeOptions {
  // Load http(s) images and CSS url()s. When false they are removed and the result says so.
  bool allow_remote = false;
  // Maps a Content-ID (without "cid:" and angle brackets) to the URL that serves that part, e.g.
  // "/api/part?folder=INBOX&uid=7&section=2". Empty result (or no function): the image is dropped.
  std::function<std::string(std::string_view content_id)> cid_url;
};

struct SanitizeResult {
  std::string html;
  bool remote_content_blocked = false;  // something remote was removed because allow_remote was false
};

SanitizeResult sanitize(std::string_view untrusted_html, const SanitizeOptions& options);

}  // namespace claret::webmail::html
