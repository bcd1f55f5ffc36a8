// Reads the serialized ENVELOPE (RFC 9051 §7.5.2: date subject from sender reply-to to cc bcc in-reply-to
// message-id) with the argument cursor, which knows quoted strings, literals and NIL.
#include "imap/server/envelope_text.hpp"

#include "imap/proto/cursor.hpp"
#include "mime/encoded_word.hpp"

namespace claret::imap::server {

namespace {

// "(" 1*address ")" / NIL, address = "(" name SP adl SP mailbox SP host ")" — addresses are not separated by
// spaces, so not Cursor::list.
bool address_list(proto::Cursor& c, std::string& out) {
  if (c.at_nil()) {
    (void)c.nstring();
    return c.ok();
  }
  if (!c.expect('(')) return false;
  while (c.ok() && c.peek() == '(') {
    c.expect('(');
    std::optional<std::string> name = c.nstring();
    c.sp();
    (void)c.nstring();  // source route: obsolete, not searched
    c.sp();
    std::optional<std::string> mailbox = c.nstring();
    c.sp();
    std::optional<std::string> host = c.nstring();
    c.expect(')');
    if (!c.ok()) return false;
    if (!mailbox) continue;  // a group's end marker (NIL NIL NIL NIL)
    if (!out.empty()) out += ", ";
    if (!host) {  // a group's start: the mailbox field holds the group name
      out += mime::decode_encoded_words(*mailbox);
      continue;
    }
    if (name) out += mime::decode_encoded_words(*name) + " ";
    out += "<" + *mailbox + "@" + *host + ">";
  }
  return c.expect(')');
}

}  // namespace

std::optional<EnvelopeText> envelope_text(std::string_view envelope) {
  proto::Cursor c(envelope);
  EnvelopeText t;
  std::string ignored;
  c.expect('(');
  (void)c.nstring();  // date
  c.sp();
  t.subject = mime::decode_encoded_words(c.nstring().value_or(""));
  for (std::string* field : {&t.from, &ignored, &ignored, &t.to, &t.cc, &t.bcc}) {
    c.sp();
    address_list(c, *field);
  }
  c.sp();
  (void)c.nstring();  // in-reply-to
  c.sp();
  (void)c.nstring();  // message-id
  c.expect(')');
  if (!c.ok()) return std::nullopt;
  return t;
}

}  // namespace claret::imap::server
