// Entry point of the POP3 server (RFC 1939, RFC 2449, RFC 2595 STLS, RFC 5034 SASL, RFC 3206 response codes) for
// the io::Server listeners "pop3" (port 110, STLS) and "pop3s" (port 995, implicit TLS).
#pragma once

#include "auth/command_rate.hpp"
#include "auth/login_throttle.hpp"
#include "config/config.hpp"
#include "io/server.hpp"
#include "store/store.hpp"

namespace claret::pop3::server {

struct Services {
  const config::Config& config;
  store::Store& store;
  auth::LoginThrottle& throttle;
  auth::CommandRate* command_rate = nullptr;  // per-address command pacing, shared by every protocol (null: none)
};

// One coroutine per connection. `services` must outlive every session started from the result.
io::SessionFn make_session(Services& services);

}  // namespace claret::pop3::server
