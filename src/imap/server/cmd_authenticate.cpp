// AUTHENTICATE (RFC 9051 §6.2.2) with SASL-IR (RFC 4959): PLAIN, LOGIN, SCRAM-SHA-256.
#include <algorithm>

#include "auth/sasl_mechanism.hpp"
#include "base/log.hpp"
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/login_common.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

Task cmd_authenticate(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::AuthenticateArgs>(cmd.args);
  const std::string mechanism = args.mechanism;
  auto names = auth::mechanism_names(s.tls(), s.plaintext_allowed());
  if (std::find(names.begin(), names.end(), mechanism) == names.end()) {
    bool needs_tls = !s.passwords_allowed() && (mechanism == "PLAIN" || mechanism == "LOGIN");
    if (needs_tls)
      s.no(cmd.tag, "Plaintext authentication disallowed without TLS",
           proto::response_code(proto::code::kPrivacyRequired));
    else
      s.no(cmd.tag, "Unsupported authentication mechanism", proto::response_code(proto::code::kCannot));
    co_return;
  }
  auto delay = admit_login_attempt(s, cmd.tag);
  if (!delay) co_return;
  auto tried = std::make_shared<std::string>();
  auto mech = auth::make_mechanism(mechanism, make_lookup(s.services().store, tried));
  if (!mech) {
    s.no(cmd.tag, "Unsupported authentication mechanism", proto::response_code(proto::code::kCannot));
    co_return;
  }
  auth::SaslMechanism& m = *mech;
  auth::SaslStep step;
  if (args.initial_response) {
    const std::string initial = *args.initial_response;
    step = co_await io::offload([&m, &initial] { return m.step(initial); });
  } else {
    step = m.start();
  }
  while (step.kind == auth::SaslStepKind::challenge) {
    s.send(proto::continuation_challenge(step.data));
    {
      const bool done_ok = co_await s.flush();
      if (!done_ok) co_return;
    }
    s.receiver().expect_line();
    auto ev = co_await s.next_event();
    if (!ev) co_return;
    if (ev->kind != proto::Event::Kind::line) {
      s.bad(cmd.tag, "Authentication exchange broken");
      co_return;
    }
    auto response = proto::parse_auth_response(ev->line);
    if (!response) {
      s.bad(cmd.tag, "Invalid base64 data");
      co_return;
    }
    if (response->cancel) {  // RFC 9051 §6.2.2: "*" cancels, answered with BAD
      s.bad(cmd.tag, "Authentication cancelled");
      co_return;
    }
    const std::string data = response->data;
    step = co_await io::offload([&m, &data] { return m.step(data); });
  }
  if (step.kind == auth::SaslStepKind::success) {
    co_await login_succeeded(s, cmd.tag, step.authcid, mechanism);
    co_return;
  }
  if (step.reason == auth::kMalformed) {
    log::info("imap.auth.malformed", {{"cid", s.cid()}, {"mechanism", mechanism}, {"detail", step.detail}});
    s.bad(cmd.tag, "Malformed authentication data");
    co_return;
  }
  co_await login_failed(s, cmd.tag, *delay, *tried, mechanism, step.detail);
}

}  // namespace claret::imap::server
