// SMTP envelope address parsing: RFC 5321 §4.1.2 (Mailbox, Domain, address-literal, Path, A-d-l), §4.1.3
// (address literals), §4.5.3.1 (length limits), RFC 6531 §3.3 (UTF-8 local parts and U-labels).
#include "smtp/proto/address.hpp"

#include <arpa/inet.h>

#include <array>

#include "base/strings.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "smtp/proto/syntax.hpp"

namespace claret::smtp::proto {

namespace {

Error syntax_error(std::string message) { return Error{code::kMailboxNameNotAllowed, std::move(message)}; }

// One sub-domain label: Let-dig [Ldh-str], where a U-label may also carry UTF-8 (checked by the caller).
bool valid_label(std::string_view label, bool allow_utf8) {
  if (label.empty() || label.size() > limit::kDomainLabel) return false;
  auto edge_ok = [&](unsigned char c) { return is_let_dig(c) || (allow_utf8 && c >= 0x80); };
  if (!edge_ok(static_cast<unsigned char>(label.front())) || !edge_ok(static_cast<unsigned char>(label.back())))
    return false;
  for (char ch : label) {
    auto c = static_cast<unsigned char>(ch);
    if (!is_let_dig(c) && c != '-' && !(allow_utf8 && c >= 0x80)) return false;
  }
  return true;
}

Result<Host> parse_domain_name(std::string_view text, bool allow_utf8) {
  if (text.size() > limit::kDomain) return syntax_error("domain name too long");
  bool ascii = is_ascii(text);
  if (!ascii) {
    if (!allow_utf8) return syntax_error("non-ASCII domain requires SMTPUTF8");
    if (!is_valid_utf8(text)) return syntax_error("domain is not valid UTF-8");
  }
  for (std::string_view label : split(text, '.')) {
    if (!valid_label(label, allow_utf8)) return syntax_error("invalid domain name");
  }
  return Host{std::string(text), HostKind::domain};
}

// IPv4-address-literal = Snum 3("." Snum); Snum = 1*3DIGIT representing 0-255.
std::optional<std::array<int, 4>> parse_ipv4(std::string_view text) {
  auto parts = split(text, '.');
  if (parts.size() != 4) return std::nullopt;
  std::array<int, 4> out{};
  for (std::size_t i = 0; i < 4; ++i) {
    if (parts[i].empty() || parts[i].size() > 3) return std::nullopt;
    auto v = parse_u64(parts[i]);
    if (!v || *v > 255) return std::nullopt;
    out[i] = static_cast<int>(*v);
  }
  return out;
}

std::optional<std::array<unsigned char, 16>> parse_ipv6(std::string_view text) {
  // inet_pton accepts exactly the IPv6-full/comp/v4-full/v4-comp forms of §4.1.3 (no zone ids, no brackets).
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string z(text);
  std::array<unsigned char, 16> out{};
  if (inet_pton(AF_INET6, z.c_str(), out.data()) != 1) return std::nullopt;
  return out;
}

bool valid_ldh_str(std::string_view s) {
  if (s.empty() || !is_let_dig(static_cast<unsigned char>(s.back()))) return false;
  for (char ch : s) {
    if (!is_let_dig(static_cast<unsigned char>(ch)) && ch != '-') return false;
  }
  return true;
}

Result<Host> parse_address_literal(std::string_view text) {
  std::string_view inner = text.substr(1, text.size() - 2);
  if (istarts_with(inner, "IPv6:")) {
    if (!parse_ipv6(inner.substr(5))) return syntax_error("invalid IPv6 address literal");
    return Host{std::string(text), HostKind::ipv6_literal};
  }
  if (parse_ipv4(inner)) return Host{std::string(text), HostKind::ipv4_literal};
  // General-address-literal = Standardized-tag ":" 1*dcontent
  auto colon = inner.find(':');
  if (colon == std::string_view::npos || colon == 0) return syntax_error("invalid address literal");
  std::string_view tag = inner.substr(0, colon);
  std::string_view content = inner.substr(colon + 1);
  if (!is_let_dig(static_cast<unsigned char>(tag.front())) || !valid_ldh_str(tag) || content.empty())
    return syntax_error("invalid address literal");
  for (char ch : content) {
    auto c = static_cast<unsigned char>(ch);
    if (!((c >= 33 && c <= 90) || (c >= 94 && c <= 126))) return syntax_error("invalid address literal");
  }
  return Host{std::string(text), HostKind::general_literal};
}

bool is_utf8_or(unsigned char c, bool allow_utf8) { return allow_utf8 && c >= 0x80; }

// Regular Dot-string: Atom *("." Atom), atoms of atext (and UTF-8 when allowed).
bool is_dot_string(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = 0;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (ch == '.' && prev == '.') return false;
    if (ch != '.' && !is_atext(c) && c < 0x80) return false;
    prev = ch;
  }
  return true;
}

// Scans a Quoted-string starting at s[0] == '"'; returns its length including both quotes, or 0.
std::size_t scan_quoted(std::string_view s, bool allow_utf8) {
  std::size_t i = 1;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') return i + 1;
    if (c == '\\') {
      // quoted-pairSMTP = %d92 %d32-126
      if (i + 1 >= s.size()) return 0;
      auto n = static_cast<unsigned char>(s[i + 1]);
      if (n < 32 || n > 126) return 0;
      i += 2;
    } else if (is_qtext_smtp(c)) {
      ++i;
    } else if (is_utf8_or(c, allow_utf8)) {
      std::size_t len = utf8_sequence_length(s, i);
      if (len == 0) return 0;
      i += len;
    } else {
      return 0;
    }
  }
  return 0;
}

}  // namespace

std::string Mailbox::str() const {
  if (domain.text.empty()) return local_part;
  return local_part + "@" + domain.text;
}

Result<Host> parse_host(std::string_view text, AddressOptions options) {
  if (text.empty()) return syntax_error("missing domain");
  if (text.front() == '[') {
    if (text.size() < 3 || text.back() != ']') return syntax_error("invalid address literal");
    return parse_address_literal(text);
  }
  return parse_domain_name(text, options.allow_utf8);
}

Result<Mailbox> parse_mailbox(std::string_view text, AddressOptions options) {
  Mailbox mb;
  std::size_t i = 0;
  bool saw_non_ascii = false;
  if (!text.empty() && text.front() == '"') {
    // Scan with UTF-8 allowed so a non-ASCII quoted local part is reported as such, not as bad syntax.
    i = scan_quoted(text, true);
    if (i == 0) return syntax_error("invalid quoted local part");
    mb.quoted = true;
    saw_non_ascii = !is_ascii(text.substr(0, i));
  } else {
    while (i < text.size() && text[i] != '@') {
      auto c = static_cast<unsigned char>(text[i]);
      if (c == '.' || is_atext(c)) {
        ++i;
      } else if (c >= 0x80) {
        std::size_t len = utf8_sequence_length(text, i);
        if (len == 0) return syntax_error("local part is not valid UTF-8");
        saw_non_ascii = true;
        i += len;
      } else {
        return syntax_error("invalid character in local part");
      }
    }
    if (i == 0) return syntax_error("empty local part");
    mb.irregular_dots = !is_dot_string(text.substr(0, i));
  }
  if (saw_non_ascii && !options.allow_utf8) return syntax_error("non-ASCII address requires SMTPUTF8");
  mb.local_part = std::string(text.substr(0, i));
  if (mb.local_part.size() > limit::kLocalPart) return syntax_error("local part too long");
  if (i >= text.size() || text[i] != '@') return syntax_error("missing @domain");
  auto host = parse_host(text.substr(i + 1), options);
  if (!host) return host.error();
  mb.domain = std::move(host.value());
  mb.utf8 = saw_non_ascii || !is_ascii(mb.domain.text);
  return mb;
}

std::size_t path_extent(std::string_view text) {
  if (text.empty() || text.front() != '<') return 0;
  bool in_quotes = false;
  for (std::size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return 0;
}

Result<Path> parse_path(std::string_view text, PathKind kind, AddressOptions options) {
  if (text.size() > limit::kPath) return Error{code::kParamSyntaxError, "path too long"};
  if (text.size() < 2 || path_extent(text) != text.size())
    return Error{code::kParamSyntaxError, "path must be enclosed in <>"};
  std::string_view inner = text.substr(1, text.size() - 2);
  Path path;
  if (inner.empty()) {
    if (kind == PathKind::forward) return syntax_error("null path not allowed for a recipient");
    path.null = true;
    return path;
  }
  if (inner.front() == '@') {
    // A-d-l = At-domain *( "," At-domain ) ":"; At-domain = "@" Domain
    auto colon = inner.find(':');
    if (colon == std::string_view::npos) return syntax_error("invalid source route");
    for (std::string_view hop : split(inner.substr(0, colon), ',')) {
      if (hop.size() < 2 || hop.front() != '@') return syntax_error("invalid source route");
      auto host = parse_domain_name(hop.substr(1), options.allow_utf8);
      if (!host) return syntax_error("invalid domain in source route");
      path.source_route.push_back(std::move(host->text));
    }
    inner = inner.substr(colon + 1);
  } else if (kind == PathKind::forward && iequals(inner, "postmaster")) {
    path.postmaster = true;
    path.mailbox.local_part = std::string(inner);
    return path;
  }
  auto mailbox = parse_mailbox(inner, options);
  if (!mailbox) return mailbox.error();
  path.mailbox = std::move(mailbox.value());
  return path;
}

std::string local_part_value(const Mailbox& mailbox) {
  if (!mailbox.quoted) return mailbox.local_part;
  std::string out;
  const std::string& s = mailbox.local_part;
  // The parser guarantees s is '"' ... '"' with well-formed quoted pairs.
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\' && i + 2 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

std::string normalized_local_part(const Mailbox& mailbox) {
  if (!mailbox.quoted) return mailbox.local_part;
  std::string value = local_part_value(mailbox);
  if (is_dot_string(value)) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string canonical_domain(const Host& host) {
  switch (host.kind) {
    case HostKind::domain:
      return to_lower(host.text);
    case HostKind::ipv4_literal: {
      auto ip = parse_ipv4(std::string_view(host.text).substr(1, host.text.size() - 2));
      if (!ip) return host.text;
      return "[" + std::to_string((*ip)[0]) + "." + std::to_string((*ip)[1]) + "." + std::to_string((*ip)[2]) +
             "." + std::to_string((*ip)[3]) + "]";
    }
    case HostKind::ipv6_literal: {
      auto ip = parse_ipv6(std::string_view(host.text).substr(6, host.text.size() - 7));
      if (!ip) return host.text;
      std::array<char, INET6_ADDRSTRLEN> buf{};
      if (inet_ntop(AF_INET6, ip->data(), buf.data(), buf.size()) == nullptr) return host.text;
      return "[IPv6:" + std::string(buf.data()) + "]";
    }
    case HostKind::general_literal:
      return host.text;
  }
  return host.text;
}

std::string canonical(const Mailbox& mailbox) {
  if (mailbox.domain.text.empty()) return mailbox.local_part;
  return mailbox.local_part + "@" + canonical_domain(mailbox.domain);
}

bool has_percent_hack(const Mailbox& mailbox) {
  return local_part_value(mailbox).find('%') != std::string::npos;
}

bool has_bang_path(const Mailbox& mailbox) {
  return local_part_value(mailbox).find('!') != std::string::npos;
}

}  // namespace claret::smtp::proto
