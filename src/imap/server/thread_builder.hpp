// THREAD algorithms of RFC 5256 §2.1-2.2 on already-read message metadata: pure, no store and no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imap/proto/response.hpp"

namespace claret::imap::server {

struct ThreadInput {
  std::uint32_t id = 0;        // what the response shows (sequence number or UID); ascending = message order
  std::string message_id;      // "a@b" (or "<a@b>") or ""
  std::string in_reply_to;     // ids, space-separated, with or without angle brackets
  std::string references;      // ids, space-separated, with or without angle brackets
  std::string base_subject;    // RFC 5256 §2.1
  std::int64_t sent_date = 0;  // the internal date when the message has no Date (RFC 5256 §2.2)
};

// ORDEREDSUBJECT (§2.1 "poor man's threading"): one thread per base subject, the earliest message its parent
// and every later one a child of it; threads in the order of their first message's date.
std::vector<proto::ThreadNode> thread_ordered_subject(std::vector<ThreadInput> messages);

// REFERENCES (§2.2, after Zawinski): parents from References/In-Reply-To, empty containers pruned, roots with the
// same base subject gathered under one dummy parent, siblings and threads in sent-date order.
std::vector<proto::ThreadNode> thread_references(const std::vector<ThreadInput>& messages);

}  // namespace claret::imap::server
