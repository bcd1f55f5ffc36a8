// Server URL parsing (RFC 5092 §2 imap/imaps authority part only; submission(s) by analogy).
#include "webmail/imap_backend/server_url.hpp"

#include <charconv>

namespace claret::webmail {

Result<ServerUrl> parse_server_url(std::string_view url, std::string_view kind) {
  auto bad = [&](std::string why) { return make_error("bad " + std::string(kind) + " URL '" + std::string(url) + "': " + why); };
  auto sep = url.find("://");
  if (sep == std::string_view::npos) return bad("expected scheme://host:port");
  auto scheme = url.substr(0, sep);
  ServerUrl out;
  if (kind == "imap" && scheme == "imaps") {
    out.implicit_tls = true;
    out.port = 993;
  } else if (kind == "imap" && scheme == "imap") {
    out.port = 143;
  } else if (kind == "submission" && scheme == "submissions") {
    out.implicit_tls = true;
    out.port = 465;
  } else if (kind == "submission" && scheme == "submission") {
    out.port = 587;
  } else {
    return bad(kind == "imap" ? "scheme must be imaps or imap" : "scheme must be submissions or submission");
  }
  auto rest = url.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) return bad("only host and port are allowed");
  std::string_view port;
  if (!rest.empty() && rest[0] == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    out.host = std::string(rest.substr(1, close - 1));
    auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("':' expected after the IPv6 literal");
      port = after.substr(1);
      if (port.empty()) return bad("empty port");
    }
  } else {
    auto colon = rest.rfind(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = rest.substr(colon + 1);
      if (port.empty()) return bad("empty port");
    }
  }
  if (out.host.empty()) return bad("missing host");
  if (!port.empty()) {
    unsigned p = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || ptr != port.data() + port.size() || p == 0 || p > 65535) return bad("bad port");
    out.port = static_cast<std::uint16_t>(p);
  }
  return out;
}

}  // namespace claret::webmail
