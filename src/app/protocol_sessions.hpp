// Which session runs on which listener, and the per-protocol details the listener needs (refusal line,
// initial timeout). The one place `serve` learns about protocols.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "auth/command_rate.hpp"
#include "auth/login_throttle.hpp"
#include "config/config.hpp"
#include "queue/enqueue.hpp"
#include "io/server.hpp"
#include "queue/queue_store.hpp"
#include "store/store.hpp"

namespace claret::webmail {
class WebmailServer;
}

namespace claret::app {

// What the listener needs before any session exists (binding happens before the store is opened).
struct ListenerTraits {
  std::string refusal_line;  // sent before closing a connection over a connection limit
  std::chrono::milliseconds initial_timeout{std::chrono::seconds(60)};
};

// The services sessions use. Owned by `serve`, outlives every session.
struct Services {
  const config::Config& config;
  store::Store& store;
  auth::LoginThrottle& throttle;  // shared by every protocol, so guessing over SMTP counts for IMAP too
  queue::QueueStore* queue = nullptr;   // outbound queue (submission to other domains)
  std::function<void()> queue_wake;     // wakes the delivery workers after an enqueue
  queue::MessageSigner signer;          // DKIM signing of submitted mail (empty: unsigned)
  webmail::WebmailServer* webmail = nullptr;  // serves http/https when [webmail] is enabled (else 503)
  auth::CommandRate* command_rate = nullptr;  // per-address command pacing, shared by every protocol
};

// The throttle limits the configuration asks for.
auth::ThrottleLimits throttle_limits(const config::Config& config);
// The command-rate limits the configuration asks for.
auth::CommandRateLimits command_rate_limits(const config::Config& config);

ListenerTraits traits_for(const config::Listener& listener, const config::Config& config);

// Owns each protocol's view of the services (the SMTP, POP3 and IMAP `Services` structs) for as long as
// sessions run, and hands out the session for a listener. Created once by `serve`, after the store is open.
class ProtocolSessions {
 public:
  explicit ProtocolSessions(Services services);
  ~ProtocolSessions();
  ProtocolSessions(const ProtocolSessions&) = delete;
  ProtocolSessions& operator=(const ProtocolSessions&) = delete;

  io::SessionFn session_for(const config::Listener& listener);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace claret::app
