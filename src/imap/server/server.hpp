// Entry point of the IMAP server (RFC 9051, RFC 3501): the session function the listeners "imap" (143,
// STARTTLS) and "imaps" (993, implicit TLS) run for each connection.
#pragma once

#include "auth/command_rate.hpp"
#include "auth/login_throttle.hpp"
#include "config/config.hpp"
#include "io/server.hpp"
#include "store/store.hpp"

namespace claret::imap::server {

struct Services {
  const config::Config& config;
  store::Store& store;
  auth::LoginThrottle& throttle;
  auth::CommandRate* command_rate = nullptr;  // per-address command pacing, shared by every protocol (null: none)
};

// The returned function keeps a pointer to `services`, which must outlive every session.
io::SessionFn make_session(Services& services);

}  // namespace claret::imap::server
