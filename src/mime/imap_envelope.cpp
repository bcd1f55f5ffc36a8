// IMAP ENVELOPE serialization: RFC 3501 §7.4.2 (field order, sender/reply-to defaults, group syntax) and §9.
#include "mime/imap_envelope.hpp"

#include "mime/address.hpp"
#include "mime/imap_writer.hpp"

namespace claret::mime {
namespace {

// The mailbox name of an ENVELOPE address is the local part without its quoting.
std::string unquote_local(std::string_view local) {
  if (local.find('"') == std::string_view::npos) return std::string(local);
  std::string out;
  for (size_t i = 0; i < local.size(); ++i) {
    if (local[i] == '"') continue;
    if (local[i] == '\\' && i + 1 < local.size()) ++i;
    out += local[i];
  }
  return out;
}

std::optional<std::string_view> non_empty(std::string_view s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// An address list, or nullopt when the field is absent or holds no address (serialized as NIL).
std::optional<std::string> address_list(const ParsedMessage& msg, const Part& p, std::string_view field) {
  const auto value = msg.header(p, field);
  if (!value) return std::nullopt;
  const std::vector<Address> addrs = parse_address_list(*value);
  if (addrs.empty()) return std::nullopt;
  // "(" 1*address ")": the addresses touch, without separating spaces (RFC 3501 §9).
  std::string out = "(";
  for (const Address& a : addrs) {
    ImapWriter w;
    w.open();
    switch (a.kind) {
      case Address::Kind::kGroupStart:  // (NIL NIL "group" NIL) starts a group (RFC 3501 §7.4.2)
        w.nil();
        w.nil();
        w.string(a.raw_name);
        w.nil();
        break;
      case Address::Kind::kGroupEnd:  // (NIL NIL NIL NIL) ends it
        w.nil();
        w.nil();
        w.nil();
        w.nil();
        break;
      case Address::Kind::kMailbox:
        w.nstring(non_empty(a.raw_name));
        w.nstring(non_empty(a.route));
        w.string(unquote_local(a.local_part));
        // A NIL host would mean "group"; an address written without a domain gets an empty one instead.
        w.string(a.domain);
        break;
    }
    w.close();
    out += w.take();
  }
  out += ')';
  return out;
}

std::optional<std::string> unfolded(const ParsedMessage& msg, const Part& p, std::string_view field) {
  const auto value = msg.header(p, field);
  if (!value) return std::nullopt;
  return unfold(*value);
}

}  // namespace

std::string imap_envelope(const ParsedMessage& msg, const Part& p) {
  ImapWriter w;
  w.open();
  const auto date = unfolded(msg, p, "date");
  w.nstring(date ? std::optional<std::string_view>(*date) : std::nullopt);
  const auto subject = unfolded(msg, p, "subject");
  w.nstring(subject ? std::optional<std::string_view>(*subject) : std::nullopt);
  const auto from = address_list(msg, p, "from");
  const auto sender = address_list(msg, p, "sender");
  const auto reply_to = address_list(msg, p, "reply-to");
  for (const auto* list : {&from, sender ? &sender : &from, reply_to ? &reply_to : &from}) {
    if (*list) {
      w.raw(**list);
    } else {
      w.nil();
    }
  }
  for (std::string_view field : {"to", "cc", "bcc"}) {
    if (const auto list = address_list(msg, p, field)) {
      w.raw(*list);
    } else {
      w.nil();
    }
  }
  for (std::string_view field : {"in-reply-to", "message-id"}) {
    const auto v = unfolded(msg, p, field);
    w.nstring(v ? std::optional<std::string_view>(*v) : std::nullopt);
  }
  w.close();
  return w.take();
}

std::string imap_envelope(const ParsedMessage& msg) { return imap_envelope(msg, msg.root()); }

}  // namespace claret::mime
