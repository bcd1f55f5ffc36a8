// Per-message metadata computed once at delivery: summary fields (RFC 5322 §3.6), RFC 5256 §2.1 base subject,
// RFC 8970 preview and full-text search text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/base_subject.hpp"
#include "mime/message.hpp"

namespace claret::mime {

struct MessageSummary {
  std::string subject;       // decoded to UTF-8, unfolded
  std::string base_subject;  // RFC 5256 §2.1; compare case-insensitively
  std::string from_addr;     // first From mailbox, lowercased addr-spec
  std::string from_name;     // its decoded display name
  std::string to_addr;       // first To mailbox, lowercased addr-spec
  std::string cc_addr;       // first Cc mailbox, lowercased addr-spec
  std::string message_id;    // without angle brackets
  std::string in_reply_to;   // first id of In-Reply-To, without angle brackets
  std::vector<std::string> references;  // ids of References, in order, without angle brackets
  std::optional<int64_t> date;          // Date: as Unix time
  bool has_attachments = false;
};

MessageSummary summarize(const ParsedMessage& msg);

// The msg-ids ("<a@b>") of a Message-ID / In-Reply-To / References value, brackets removed. Values without
// brackets fall back to whitespace-separated words.
std::vector<std::string> parse_message_ids(std::string_view value);

// RFC 8970-style preview: the first text/plain part that is not an attachment (else text/html converted to
// text), decoded to UTF-8, whitespace collapsed, at most `max_chars` code points.
std::string preview(const ParsedMessage& msg, std::string_view raw, size_t max_chars = 200);

inline constexpr size_t kMaxSearchText = 1 << 20;

// Decoded UTF-8 text of Subject, From, To, Cc and every text/* part (HTML converted to text), separated by
// line breaks, at most kMaxSearchText bytes.
std::string search_text(const ParsedMessage& msg, std::string_view raw);

// The file name of a part: Content-Disposition "filename", else Content-Type "name". RFC 2231 values are
// already UTF-8; plain values get RFC 2047 words decoded (a common non-standard form). Empty when there is none.
std::string attachment_filename(const ParsedMessage& msg, const Part& p);

// True when the part is an attachment: Content-Disposition attachment, or a file name without "inline".
bool is_attachment(const ParsedMessage& msg, const Part& p);

}  // namespace claret::mime
