// Client-side conversations when the server has no THREAD=REFERENCES: messages are joined by Message-ID /
// In-Reply-To / References, and replies ("Re: x") with the message whose base subject is "x".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imap/client/mailbox_data.hpp"

namespace claret::webmail {

struct ThreadInput {
  std::uint32_t uid = 0;
  std::string message_id;
  std::string in_reply_to;
  std::string references;  // raw header value
  std::string subject;     // decoded
};

// Conversations as uid lists, each ascending; conversations ordered by their smallest uid.
std::vector<std::vector<std::uint32_t>> group_threads(const std::vector<ThreadInput>& messages);
// The ids of a THREAD response tree (missing parents skipped), ascending.
std::vector<std::uint32_t> thread_members(const imap::client::ThreadNode& root);
// "<a@b> <c@d>" → {"<a@b>", "<c@d>"}.
std::vector<std::string> message_ids(std::string_view header);

}  // namespace claret::webmail
