// APPEND arguments: RFC 9051 §6.3.12, MULTIAPPEND (RFC 3502 §6), CATENATE (RFC 4469 §5), BINARY literal8
// (RFC 3516 §4.4).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/date_time.hpp"
#include "imap/proto/parse_options.hpp"

namespace claret::imap::proto {

struct CatenatePart {
  enum class Kind : std::uint8_t { text, url };
  Kind kind = Kind::text;
  std::string data;     // TEXT: the literal's bytes; URL: the IMAP URL (RFC 5092)
  bool binary = false;  // TEXT given as literal8
};

struct AppendMessage {
  std::vector<std::string> flags;
  std::optional<DateTime> internal_date;
  bool binary = false;          // literal8: the content may hold NUL and 8-bit MIME parts (RFC 3516 §4.4)
  bool utf8 = false;            // "UTF8 (~{n} …)" (RFC 6855 §4): an internationalized message
  std::string data;             // the message, unless catenate
  std::optional<std::vector<CatenatePart>> catenate;
};

struct AppendArgs {
  std::string mailbox;  // UTF-8
  std::vector<AppendMessage> messages;  // more than one with MULTIAPPEND
};

Result<AppendArgs> parse_append(std::string_view args, const ParseOptions& opt);

}  // namespace claret::imap::proto
