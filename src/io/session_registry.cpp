// SessionRegistry: admission control (per-IP and per-listener limits) and shutdown fan-out.
#include "io/session_registry.hpp"

#include <boost/asio/post.hpp>
#include <vector>

namespace claret::io {

SessionRegistry::Ticket SessionRegistry::admit(const std::string& listener, const std::string& ip,
                                               std::size_t per_ip_limit, std::size_t listener_limit) {
  std::lock_guard lock(mutex_);
  if (shutting_down_) return {Admission::shutting_down, 0};
  auto& listener_count = per_listener_[listener];
  if (listener_limit != 0 && listener_count >= listener_limit) return {Admission::over_listener_limit, 0};
  auto& ip_count = per_ip_[{listener, ip}];
  if (per_ip_limit != 0 && ip_count >= per_ip_limit) {
    if (ip_count == 0) per_ip_.erase({listener, ip});
    return {Admission::over_ip_limit, 0};
  }
  ++listener_count;
  ++ip_count;
  auto cid = next_cid_++;
  entries_.emplace(cid, Entry{listener, ip, std::nullopt, {}});
  return {Admission::admitted, cid};
}

void SessionRegistry::attach(std::uint64_t cid, ShutdownSignal signal, std::weak_ptr<Connection::Impl> connection) {
  bool trigger_now = false;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(cid);
    if (it == entries_.end()) return;
    it->second.signal = signal;
    it->second.connection = std::move(connection);
    trigger_now = shutting_down_;
  }
  if (trigger_now) signal.trigger();
}

void SessionRegistry::release(std::uint64_t cid) {
  std::function<void()> notify;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(cid);
    if (it == entries_.end()) return;
    auto ip_key = std::make_pair(it->second.listener, it->second.ip);
    if (--per_ip_[ip_key] == 0) per_ip_.erase(ip_key);
    --per_listener_[it->second.listener];
    entries_.erase(it);
    if (entries_.empty()) notify = on_empty_;
  }
  if (notify) notify();
}

void SessionRegistry::begin_shutdown() {
  std::vector<ShutdownSignal> signals;
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    for (auto& [cid, entry] : entries_)
      if (entry.signal) signals.push_back(*entry.signal);
  }
  for (auto& signal : signals) signal.trigger();
}

void SessionRegistry::force_close_all() {
  std::vector<std::shared_ptr<Connection::Impl>> connections;
  {
    std::lock_guard lock(mutex_);
    for (auto& [cid, entry] : entries_)
      if (auto c = entry.connection.lock()) connections.push_back(std::move(c));
  }
  for (auto& c : connections) {
    auto executor = c->socket_.get_executor();
    boost::asio::post(executor, [c] { c->force_close(); });
  }
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void SessionRegistry::set_on_empty(std::function<void()> fn) {
  std::lock_guard lock(mutex_);
  on_empty_ = std::move(fn);
}

}  // namespace claret::io
