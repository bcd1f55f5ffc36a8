// Completing a message handed in locally (`claret sendmail`), as Postfix's cleanup does: add Date,
// Message-ID and From when missing (RFC 5322 §3.6: Date and From are required, Message-ID SHOULD be
// present), and for `sendmail -t` take the recipients from To/Cc/Bcc and drop Bcc (RFC 5322 §3.6.3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace claret::mail {

struct SubmissionInfo {
  std::string sender;          // envelope sender, used for a missing From:
  std::string full_name;       // display name for a missing From: ("" = none)
  std::string hostname;        // right-hand side of a generated Message-ID
  int64_t now = 0;             // unix seconds, for a missing Date:
  bool extract_recipients = false;  // sendmail -t
};

struct CompletedMessage {
  std::string message;                  // CRLF line endings
  std::vector<std::string> recipients;  // from To/Cc/Bcc when extract_recipients, else empty
};

// `message` must already use CRLF line endings.
CompletedMessage complete_submission(std::string_view message, const SubmissionInfo& info);

}  // namespace claret::mail
