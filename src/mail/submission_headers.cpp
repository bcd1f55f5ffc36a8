// Header completion for local submission (RFC 5322 §3.6).
#include "mail/submission_headers.hpp"

#include <sodium.h>

#include <stdexcept>

#include "base/strings.hpp"
#include "mail/trace_headers.hpp"
#include "mime/address.hpp"
#include "mime/message.hpp"

namespace claret::mail {
namespace {

std::string random_token() {
  unsigned char bytes[12];
  randombytes_buf(bytes, sizeof bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// A display name as an RFC 5322 quoted-string when it has specials.
std::string quoted_name(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\r' || c == '\n') continue;
    out += c;
  }
  return out + "\"";
}

}  // namespace

CompletedMessage complete_submission(std::string_view message, const SubmissionInfo& info) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  mime::ParsedMessage parsed = mime::parse(message);
  const mime::Part& root = parsed.root();
  CompletedMessage out;
  std::string added;
  if (!parsed.header("Date")) added += "Date: " + rfc5322_date(info.now) + "\r\n";
  if (!parsed.header("Message-ID")) added += "Message-ID: <" + random_token() + "@" + info.hostname + ">\r\n";
  if (!parsed.header("From")) {
    added += "From: ";
    if (!info.full_name.empty()) added += quoted_name(info.full_name) + " <" + info.sender + ">";
    else added += info.sender;
    added += "\r\n";
  }

  std::string header(message.substr(root.header_offset, root.header_size));
  std::string_view body = message.substr(root.body_offset);
  if (info.extract_recipients) {
    for (const char* field : {"To", "Cc", "Bcc"})
      for (auto value : parsed.headers_named(root, field))
        for (const auto& a : mime::parse_mailboxes(value)) out.recipients.push_back(a.addr_spec());
    // Bcc recipients must not see each other: drop every Bcc field (with its folded lines).
    std::string kept;
    size_t pos = 0;
    while (pos < header.size()) {
      size_t end = header.find("\r\n", pos);
      end = end == std::string::npos ? header.size() : end + 2;
      // A field runs until the next line that does not start with whitespace.
      while (end < header.size() && (header[end] == ' ' || header[end] == '\t')) {
        size_t next = header.find("\r\n", end);
        end = next == std::string::npos ? header.size() : next + 2;
      }
      std::string_view field(header.data() + pos, end - pos);
      if (!istarts_with(field, "bcc:")) kept.append(field);
      pos = end;
    }
    header = kept;
  }
  // An empty header block ends with the blank line only; new fields go before it.
  if (header.size() >= 2 && header.compare(header.size() - 2, 2, "\r\n") == 0 &&
      (header.size() == 2 || header.compare(header.size() - 4, 4, "\r\n\r\n") == 0)) {
    header.insert(header.size() - 2, added);
  } else {
    // No blank line (a message that is all header, or none at all): close the header ourselves.
    header += added + "\r\n";
  }
  out.message = header;
  out.message.append(body.data(), body.size());
  return out;
}

}  // namespace claret::mail
