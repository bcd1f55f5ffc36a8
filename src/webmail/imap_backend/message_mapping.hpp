// From IMAP FETCH data to the webmail's types: envelope → MessageSummary (RFC 2047 decoded), BODYSTRUCTURE →
// displayed text/html parts and attachments, and transfer-encoding/charset decoding. No I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "imap/client/fetch.hpp"
#include "webmail/mail_backend.hpp"

namespace claret::webmail {

std::vector<Address> to_addresses(const std::vector<imap::client::EnvelopeAddress>& list);
MessageSummary to_summary(const imap::client::FetchData& f);

// The parts to display (first text/plain and text/html that are not attachments, preferring those inside a
// multipart/alternative) and everything else as attachments.
struct BodyChoice {
  const imap::client::BodyPart* text = nullptr;
  const imap::client::BodyPart* html = nullptr;
  std::vector<Part> attachments;
};
BodyChoice choose_body(const imap::client::BodyPart& root);
Part to_part(const imap::client::BodyPart& p);
bool has_attachments(const imap::client::BodyPart& root);
// The leaf with this section number, or nullptr.
const imap::client::BodyPart* find_section(const imap::client::BodyPart& root, std::string_view section);

// Content-Transfer-Encoding decoding (base64, quoted-printable; others as is).
std::string decode_transfer(std::string_view bytes, std::string_view encoding);
// decode_transfer + charset conversion to UTF-8.
std::string decode_text(std::string_view bytes, std::string_view encoding, std::string_view charset);

}  // namespace claret::webmail
