// Session command grammar: RFC 9051 §6.2.2-§6.2.3 and §9 authenticate / login, RFC 4959 §3, RFC 5161 §3.1,
// RFC 2971 §3.1, RFC 4978 §3, RFC 9208 §4.
#include "imap/proto/session_args.hpp"

#include "base/base64.hpp"
#include "base/strings.hpp"
#include "imap/proto/cursor.hpp"

namespace claret::imap::proto {
namespace {

template <typename T>
Result<T> finish(Cursor& c, T value) {
  c.expect_end();
  if (!c.ok()) return c.error();
  return value;
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
         c == '=';
}

}  // namespace

Result<NoArgs> parse_no_args(std::string_view args) {
  if (!args.empty()) return make_error("Unexpected arguments", static_cast<int>(ParseErrc::syntax));
  return NoArgs{};
}

Result<AuthenticateArgs> parse_authenticate(std::string_view args) {
  Cursor c(args);
  AuthenticateArgs a;
  a.mechanism = to_upper(c.atom());
  if (c.accept(' ')) {
    std::string_view ir = c.word(is_base64_char);
    if (ir == "=") {
      a.initial_response = std::string();
    } else if (c.ok()) {
      auto decoded = base64_decode(ir);
      if (!decoded) c.fail("Invalid base64 initial response");
      else a.initial_response = std::move(*decoded);
    }
  }
  return finish(c, std::move(a));
}

Result<LoginArgs> parse_login(std::string_view args) {
  Cursor c(args);
  LoginArgs a;
  a.user = c.astring();
  c.sp();
  a.password = c.astring();
  return finish(c, std::move(a));
}

Result<EnableArgs> parse_enable(std::string_view args) {
  Cursor c(args);
  EnableArgs a;
  do a.capabilities.push_back(to_upper(c.atom()));
  while (c.ok() && c.accept(' '));
  return finish(c, std::move(a));
}

Result<IdArgs> parse_id(std::string_view args) {
  Cursor c(args);
  IdArgs a;
  if (c.at_nil()) {
    c.accept_keyword("NIL");
    return finish(c, std::move(a));
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> params;
  c.list([&] {
    std::string field = c.string();
    c.sp();
    std::optional<std::string> value = c.nstring();
    if (!c.ok()) return;
    if (params.size() >= 30 || field.size() > 30 || (value && value->size() > 1024)) {
      c.fail("ID parameters over the RFC 2971 limits");
      return;
    }
    params.emplace_back(std::move(field), std::move(value));
  });
  a.params = std::move(params);
  return finish(c, std::move(a));
}

Result<CompressArgs> parse_compress(std::string_view args) {
  Cursor c(args);
  CompressArgs a;
  a.algorithm = to_upper(c.atom());
  return finish(c, std::move(a));
}

Result<QuotaRootArgs> parse_getquota(std::string_view args) {
  Cursor c(args);
  QuotaRootArgs a;
  a.root = c.astring();
  return finish(c, std::move(a));
}

Result<SetQuotaArgs> parse_setquota(std::string_view args) {
  Cursor c(args);
  SetQuotaArgs a;
  a.root = c.astring();
  c.sp();
  c.list([&] {
    std::string name = to_upper(c.atom());
    c.sp();
    std::uint64_t limit = c.number64();
    a.limits.emplace_back(std::move(name), limit);
  });
  return finish(c, std::move(a));
}

Result<AuthResponse> parse_auth_response(std::string_view line) {
  AuthResponse r;
  if (line == "*") {
    r.cancel = true;
    return r;
  }
  auto decoded = base64_decode(line);
  if (!decoded) return make_error("Invalid base64 in AUTHENTICATE response", static_cast<int>(ParseErrc::syntax));
  r.data = std::move(*decoded);
  return r;
}

}  // namespace claret::imap::proto
