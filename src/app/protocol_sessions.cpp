// Maps listeners to protocol sessions.
#include "app/protocol_sessions.hpp"

#include "app/unavailable_session.hpp"
#include "imap/server/server.hpp"
#include "pop3/server/server.hpp"
#include "smtp/server/server.hpp"
#include "webmail/server/webmail_server.hpp"

namespace claret::app {

ListenerTraits traits_for(const config::Listener& listener, const config::Config& cfg) {
  ListenerTraits t;
  t.refusal_line = unavailable_reply(listener.name, cfg.hostname);
  if (listener.name.rfind("imap", 0) == 0) t.initial_timeout = std::chrono::seconds(cfg.imap.preauth_timeout_s);
  else if (listener.name.rfind("pop3", 0) == 0) t.initial_timeout = std::chrono::seconds(cfg.pop3.preauth_timeout_s);
  else t.initial_timeout = std::chrono::seconds(cfg.smtp.command_timeout_s);
  return t;
}

auth::ThrottleLimits throttle_limits(const config::Config& cfg) {
  auth::ThrottleLimits limits;
  limits.window = std::chrono::seconds(cfg.auth.failure_window_s);
  limits.ip_delay_after = cfg.auth.failures_before_delay;
  limits.ip_reject_after = cfg.auth.failures_before_block;
  return limits;
}

auth::CommandRateLimits command_rate_limits(const config::Config& cfg) {
  auth::CommandRateLimits limits;
  limits.per_second = cfg.connections.commands_per_second;
  limits.burst = cfg.connections.command_burst;
  return limits;
}

struct ProtocolSessions::Impl {
  Services app;
  smtp::server::Services smtp{app.config, app.store,  app.throttle, app.queue,
                              app.queue_wake, app.signer, app.command_rate};
  pop3::server::Services pop3{app.config, app.store, app.throttle, app.command_rate};
  imap::server::Services imap{app.config, app.store, app.throttle, app.command_rate};
};

ProtocolSessions::ProtocolSessions(Services services) : impl_(new Impl{std::move(services)}) {}
ProtocolSessions::~ProtocolSessions() = default;

io::SessionFn ProtocolSessions::session_for(const config::Listener& listener) {
  Impl& s = *impl_;
  if (listener.name == "smtp") return smtp::server::make_session(smtp::server::Mode::mx, s.smtp);
  if (listener.name == "submission" || listener.name == "submissions")
    return smtp::server::make_session(smtp::server::Mode::submission, s.smtp);
  if (listener.name == "lmtp") return smtp::server::make_session(smtp::server::Mode::lmtp, s.smtp);
  if (listener.name == "pop3" || listener.name == "pop3s") return pop3::server::make_session(s.pop3);
  if (listener.name == "imap" || listener.name == "imaps") return imap::server::make_session(s.imap);
  if ((listener.name == "http" || listener.name == "https") && s.app.webmail) return s.app.webmail->session();
  return unavailable_session(unavailable_reply(listener.name, s.app.config.hostname));
}

}  // namespace claret::app
