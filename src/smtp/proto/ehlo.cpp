// EHLO/LHLO/HELO replies (RFC 5321 §4.1.1.1, RFC 2033 §4.1) and the extension keywords of RFC 2920, 1870, 6152,
// 6531, 2034, 3030, 3461, 3207 and 4954.
#include "smtp/proto/ehlo.hpp"

#include "base/strings.hpp"
#include "smtp/proto/reply_codes.hpp"

namespace claret::smtp::proto {

namespace {

std::string first_line(std::string_view server_name, std::string_view greeting) {
  std::string line(server_name);
  if (!greeting.empty()) {
    line += ' ';
    line += greeting;
  }
  return line;
}

}  // namespace

Reply ehlo_reply(std::string_view server_name, std::string_view greeting, const Capabilities& caps) {
  Reply r;
  r.code = code::kOk;
  r.lines.push_back(first_line(server_name, greeting));
  if (caps.pipelining) r.lines.emplace_back("PIPELINING");
  if (caps.size) r.lines.push_back(*caps.size == 0 ? std::string("SIZE") : "SIZE " + std::to_string(*caps.size));
  if (caps.eight_bit_mime) r.lines.emplace_back("8BITMIME");
  if (caps.smtputf8) r.lines.emplace_back("SMTPUTF8");
  if (caps.enhanced_status_codes) r.lines.emplace_back("ENHANCEDSTATUSCODES");
  if (caps.chunking) {
    r.lines.emplace_back("CHUNKING");
    if (caps.binary_mime) r.lines.emplace_back("BINARYMIME");
  }
  if (caps.dsn) r.lines.emplace_back("DSN");
  if (caps.starttls) r.lines.emplace_back("STARTTLS");
  if (!caps.auth_mechanisms.empty()) {
    std::string line = "AUTH";
    for (const auto& m : caps.auth_mechanisms) {
      line += ' ';
      line += to_upper(m);
    }
    r.lines.push_back(std::move(line));
  }
  return r;
}

Reply helo_reply(std::string_view server_name, std::string_view greeting) {
  return make_reply(code::kOk, enhanced::kNone, first_line(server_name, greeting));
}

}  // namespace claret::smtp::proto
