// LOGIN (RFC 9051 §6.2.3), refused without TLS unless plaintext is allowed (LOGINDISABLED).
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/login_common.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

Task cmd_login(Session& s, const proto::Command& cmd) {
  if (!s.passwords_allowed()) {
    s.no(cmd.tag, "Plaintext login disallowed without TLS (use STARTTLS)",
         proto::response_code(proto::code::kPrivacyRequired));
    co_return;
  }
  const auto& args = std::get<proto::LoginArgs>(cmd.args);
  auto delay = admit_login_attempt(s, cmd.tag);
  if (!delay) co_return;
  store::Store& store = s.services().store;
  auto tried = std::make_shared<std::string>();
  auth::CredentialLookup lookup = make_lookup(store, tried);
  const std::string user = args.user;
  const std::string password = args.password;
  bool good = co_await io::offload([&lookup, &user, &password] { return auth::check_password(lookup, user, password); });
  if (!good) {
    co_await login_failed(s, cmd.tag, *delay, user, "LOGIN", "bad credentials");
    co_return;
  }
  co_await login_succeeded(s, cmd.tag, user, "LOGIN");
}

}  // namespace claret::imap::server
