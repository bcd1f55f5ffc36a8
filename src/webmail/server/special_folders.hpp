// The special-use folders of one browser session (RFC 6154: \Sent, \Drafts, \Trash), remembered from the last
// folder listing so that a send is SUBMIT + one APPEND rather than a LIST of every folder first. Forgotten when
// the folder tree changes through the webmail, and when the server says a remembered folder does not exist
// (NO [TRYCREATE] / [NONEXISTENT]: renamed or deleted by another client).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "webmail/mail_backend.hpp"

namespace claret::webmail {

class SpecialFolders {
 public:
  // The folder whose special use is `use`, else the one named `fallback` (ASCII case-insensitive; empty: no
  // fallback), "" when neither exists; nullopt when no listing is remembered.
  std::optional<std::string> find(std::string_view use, std::string_view fallback) const;
  void learn(const std::vector<Folder>& folders);
  void forget();

 private:
  mutable std::mutex mu_;
  std::optional<std::vector<std::pair<std::string, std::string>>> folders_;  // (name, special use)
};

// `SpecialFolders::find`, listing the folders (and remembering them) only when nothing is remembered.
// `use` and `fallback` must outlive the call (string literals).
Task<std::string> special_folder(MailSession& mail, SpecialFolders& known, const char* use, const char* fallback);

// What appending to a special folder did: `folder` "" = there is none; else `uid` on success, else `error`.
struct SpecialAppend {
  std::string folder;
  std::optional<uint32_t> uid;
  Error error;
};

// APPENDs `message` to the special folder. When the remembered name is gone (the server says it does not exist),
// forgets, lists again and retries once, so a stale name never loses the copy.
Task<SpecialAppend> append_to_special(MailSession& mail, SpecialFolders& known, const char* use, const char* fallback,
                                      std::string message, std::vector<std::string> flags);

}  // namespace claret::webmail
