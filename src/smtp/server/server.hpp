// Entry point of the SMTP server: MX (RFC 5321), submission (RFC 6409, RFC 8314 implicit TLS) and LMTP (RFC 2033)
// sessions for io::Server listeners.
#pragma once

#include <functional>

#include "auth/command_rate.hpp"
#include "auth/login_throttle.hpp"
#include "config/config.hpp"
#include "io/server.hpp"
#include "queue/enqueue.hpp"
#include "store/store.hpp"

namespace claret::smtp::server {

// submissions (port 465) is Mode::submission on an implicit-TLS listener.
enum class Mode { mx, submission, lmtp };

struct Services {
  const config::Config& config;
  store::Store& store;
  auth::LoginThrottle& throttle;
  // Outbound queue for submission to other domains; null: such recipients are deferred (451).
  queue::QueueStore* queue = nullptr;
  std::function<void()> queue_wake;  // tells the delivery workers new mail is queued
  queue::MessageSigner signer;        // DKIM hook applied before queueing (empty: unsigned)
  auth::CommandRate* command_rate = nullptr;  // per-address command pacing, shared by every protocol (null: none)
};

// One coroutine per connection. `services` must outlive every session started from the result.
io::SessionFn make_session(Mode mode, Services& services);

}  // namespace claret::smtp::server
