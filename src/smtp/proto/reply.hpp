// SMTP reply value and its wire form (RFC 5321 §4.2, multi-line replies §4.2.1; RFC 2034 §4 enhanced codes).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace claret::smtp::proto {

// One reply. `enhanced` is empty for replies that carry none (greeting, EHLO, 3xx); otherwise it is
// written after the code on every line, as RFC 2034 §4 requires for multi-line replies.
struct Reply {
  int code = 0;
  std::string enhanced;
  std::vector<std::string> lines;

  // "250-2.0.0 first\r\n250 2.0.0 last\r\n". An empty `lines` gives one line with no text. CR, LF and
  // other control characters in the text are replaced by spaces so a reply can never inject a line.
  std::string serialize() const;
};

Reply make_reply(int code, std::string_view enhanced, std::string text);

}  // namespace claret::smtp::proto
