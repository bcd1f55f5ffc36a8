// PASS (RFC 1939 §7): verifies the password of the USER account through auth/ (dummy hash for unknown accounts, so
// timing does not reveal which exist), with login throttling; success enters TRANSACTION.
#include "auth/sasl_mechanism.hpp"
#include "io/offload.hpp"
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_pass(Session& s, proto::PasswordArg args) {
  if (!s.passwords_allowed()) {
    s.reply(proto::err("Plaintext authentication disallowed without TLS (use STLS)"));
    co_return;
  }
  if (!s.pending_user) {
    s.reply(proto::err("Send USER first"));
    co_return;
  }
  // RFC 1939 §7: after a failed PASS the client starts again with USER.
  std::string user = std::move(*s.pending_user);
  s.pending_user.reset();
  auto delay = admit_login_attempt(s);
  if (!delay) co_return;

  store::Store& store = s.services().store;
  auth::CredentialLookup lookup = [&store](std::string_view name) -> std::optional<auth::Credentials> {
    auto account = store.directory().get_account(name);
    if (!account) return std::nullopt;
    return auth::Credentials{account->password_hash, account->scram};
  };
  const std::string& password = args.password;
  // Password hashing (Argon2id) takes tens of milliseconds: never on the event loop.
  bool ok = co_await io::offload([&lookup, &user, &password] { return auth::check_password(lookup, user, password); });
  if (!ok) {
    co_await login_failed(s, *delay, user, "USER", "wrong password or unknown account");
    co_return;
  }
  co_await login_succeeded(s, std::move(user), "USER");
}

}  // namespace claret::pop3::server
