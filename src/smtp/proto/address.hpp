// SMTP envelope addresses: Mailbox, Domain, address-literal and Path of RFC 5321 §4.1.2 / §4.1.3, source
// routes (§4.1.2, Appendix C), length limits (§4.5.3.1), and UTF-8 addresses of RFC 6531 §3.3.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace claret::smtp::proto {

struct AddressOptions {
  // Accept UTF-8 in local parts and U-labels in domains (RFC 6531 §3.3). Only set when the transaction
  // carries SMTPUTF8; otherwise a non-ASCII address is a syntax error.
  bool allow_utf8 = false;
};

enum class HostKind { domain, ipv4_literal, ipv6_literal, general_literal };

// A Domain or an address-literal, as in EHLO and after the "@" of a Mailbox.
struct Host {
  std::string text;  // as given; literals keep their brackets ("[192.0.2.1]", "[IPv6:2001:db8::1]")
  HostKind kind = HostKind::domain;
};

struct Mailbox {
  std::string local_part;  // exactly as given, with the quotes and backslashes of a Quoted-string
  Host domain;             // empty text only for the "<Postmaster>" forward-path
  bool quoted = false;     // local part is a Quoted-string
  bool utf8 = false;       // local part or domain contains non-ASCII (needs SMTPUTF8)
  // Unquoted local part with a leading or trailing dot or an empty label ("a..b", "user."). Not a valid
  // Dot-string, but such addresses exist in the wild; we keep them verbatim and let policy decide.
  bool irregular_dots = false;

  std::string str() const;  // "local@domain" as given
};

enum class PathKind { reverse, forward };

struct Path {
  bool null = false;        // "<>": reverse-path only (bounces, RFC 5321 §4.5.5)
  bool postmaster = false;  // "<Postmaster>" without a domain: forward-path only (§4.5.1)
  Mailbox mailbox;
  // Domains of a source route ("<@a,@b:user@c>" gives {"a", "b"}). The route is not used (§4.1.2 and
  // Appendix C say to ignore it) but is reported so the server can refuse relaying through it.
  std::vector<std::string> source_route;
};

// Domain or address-literal. Errors: code 553 with a message.
Result<Host> parse_host(std::string_view text, AddressOptions options = {});
// Mailbox = Local-part "@" ( Domain / address-literal ). Errors: 553.
Result<Mailbox> parse_mailbox(std::string_view text, AddressOptions options = {});
// A whole path including its angle brackets. Errors: 553 for mailbox syntax, 501 for an over-long path
// (RFC 5321 §4.5.3.1.10 "501 Path too long") or a path that is not bracketed.
Result<Path> parse_path(std::string_view text, PathKind kind, AddressOptions options = {});

// Length of the bracketed path at the start of `text` ("<...>" with quoted strings honoured, so a ">" inside
// quotes does not end it), or 0 when `text` does not start with a complete one.
std::size_t path_extent(std::string_view text);

// The local part with quoting removed ("\"a\\\"b\"" gives "a\"b").
std::string local_part_value(const Mailbox& mailbox);
// Local part for lookups: a Quoted-string equivalent to a Dot-string loses its quotes ("\"john\""
// gives "john", RFC 5321 §4.1.2 says they are the same mailbox), other quoted local parts are re-quoted
// minimally, unquoted ones are returned as given. Case is kept (§2.4: the local part may be case-sensitive).
std::string normalized_local_part(const Mailbox& mailbox);
// Domain names lower-cased (ASCII only: U-labels are kept as given), IP literals normalised
// ("[010.0.0.1]" gives "[10.0.0.1]", IPv6 in RFC 5952 form); general literals as given.
std::string canonical_domain(const Host& host);
// Canonical form: the local part exactly as given, "@", canonical_domain. "Postmaster" alone for <Postmaster>.
std::string canonical(const Mailbox& mailbox);

// "%" in the local part: the old "user%other@relay" relaying hack (RFC 1123 §5.2.16). Policy decides.
bool has_percent_hack(const Mailbox& mailbox);
// "!" in the local part: a UUCP bang path ("host!user@relay"). Policy decides.
bool has_bang_path(const Mailbox& mailbox);

}  // namespace claret::smtp::proto
