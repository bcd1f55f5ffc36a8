// SessionRegistry: the live connections of a Server, with per-listener and per-IP counts (admission
// control) and the handles shutdown needs (each session's ShutdownSignal and its connection).
// Internal to io/.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "io/connection_impl.hpp"
#include "io/shutdown_signal.hpp"

namespace claret::io {

enum class Admission { admitted, over_ip_limit, over_listener_limit, shutting_down };

class SessionRegistry {
 public:
  // Reserves a slot for a new connection from `ip` on `listener`; the ticket carries its connection id.
  struct Ticket {
    Admission admission = Admission::admitted;
    std::uint64_t cid = 0;
  };
  Ticket admit(const std::string& listener, const std::string& ip, std::size_t per_ip_limit,
               std::size_t listener_limit);
  // Records the session's handles. If shutdown already began, the signal is triggered at once.
  void attach(std::uint64_t cid, ShutdownSignal signal, std::weak_ptr<Connection::Impl> connection);
  // Frees the slot; calls the on_empty callback when the last session leaves.
  void release(std::uint64_t cid);

  // Stops admissions and triggers every session's ShutdownSignal.
  void begin_shutdown();
  // Force-closes every remaining connection (on its own strand).
  void force_close_all();
  std::size_t size() const;
  void set_on_empty(std::function<void()> fn);

 private:
  struct Entry {
    std::string listener;
    std::string ip;
    std::optional<ShutdownSignal> signal;
    std::weak_ptr<Connection::Impl> connection;
  };
  mutable std::mutex mutex_;
  std::uint64_t next_cid_ = 1;
  bool shutting_down_ = false;
  std::map<std::uint64_t, Entry> entries_;
  std::map<std::pair<std::string, std::string>, std::size_t> per_ip_;  // (listener, ip) → count
  std::map<std::string, std::size_t> per_listener_;
  std::function<void()> on_empty_;
};

}  // namespace claret::io
