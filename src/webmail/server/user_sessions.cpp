// The session table.
#include "webmail/server/user_sessions.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace claret::webmail {

std::string random_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void SessionTable::close_locked(UserSession& s, bool expired, Listeners& fire) {
  if (s.closed) return;
  s.closed = true;
  s.expired = expired;
  for (auto& [id, fn] : s.close_listeners) fire.push_back(std::move(fn));
  s.close_listeners.clear();
}

void SessionTable::run(Listeners& fire) {
  for (auto& fn : fire) fn();
}

void SessionTable::drop_expired_locked(Clock::time_point now, Listeners& fire) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (now - it->second->last_used > idle_) {
      close_locked(*it->second, true, fire);
      it = sessions_.erase(it);  // the MailSession goes when the last request using it ends
    } else {
      ++it;
    }
  }
}

std::shared_ptr<UserSession> SessionTable::create(std::unique_ptr<MailSession> mail) {
  auto s = std::make_shared<UserSession>();
  s->id = random_token();
  s->csrf = random_token();
  s->mail = std::move(mail);
  Listeners fire;
  std::shared_ptr<UserSession> out;
  {
    std::lock_guard lock(mu_);
    auto now = Clock::now();
    drop_expired_locked(now, fire);
    if (sessions_.size() < max_) {
      s->last_used = now;
      sessions_[s->id] = s;
      out = s;
    }
  }
  run(fire);
  return out;
}

std::shared_ptr<UserSession> SessionTable::find(const std::string& id, bool touch) {
  Listeners fire;
  std::shared_ptr<UserSession> out;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return nullptr;
    auto now = Clock::now();
    if (now - it->second->last_used > idle_) {
      close_locked(*it->second, true, fire);
      sessions_.erase(it);
    } else {
      if (touch) it->second->last_used = now;
      out = it->second;
    }
  }
  run(fire);
  return out;
}

std::shared_ptr<UserSession> SessionTable::remove(const std::string& id) {
  Listeners fire;
  std::shared_ptr<UserSession> s;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return nullptr;
    s = it->second;
    close_locked(*s, false, fire);
    sessions_.erase(it);
  }
  run(fire);
  return s;
}

bool SessionTable::is_closed(const UserSession& s) {
  std::lock_guard lock(mu_);
  if (!s.closed && Clock::now() - s.last_used > idle_) return true;
  return s.closed;
}

bool SessionTable::is_expired(const UserSession& s) {
  std::lock_guard lock(mu_);
  if (!s.closed && Clock::now() - s.last_used > idle_) return true;
  return s.expired;
}

uint64_t SessionTable::on_close(UserSession& s, std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (!s.closed) {
      uint64_t id = s.next_listener++;
      s.close_listeners[id] = std::move(fn);
      return id;
    }
  }
  fn();
  return 0;
}

uint64_t SessionTable::subscribe(UserSession& s, std::function<void(const std::string&, const std::string&)> fn) {
  std::lock_guard lock(mu_);
  uint64_t id = s.next_listener++;
  s.event_listeners[id] = std::move(fn);
  return id;
}

void SessionTable::unsubscribe(UserSession& s, uint64_t id) {
  std::lock_guard lock(mu_);
  s.event_listeners.erase(id);
}

void SessionTable::publish(UserSession& s, const std::string& folder, const std::string& frame) {
  std::vector<std::function<void(const std::string&, const std::string&)>> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, fn] : s.event_listeners) targets.push_back(fn);
  }
  for (auto& fn : targets) fn(folder, frame);
}

void SessionTable::remove_close_listener(UserSession& s, uint64_t id) {
  std::lock_guard lock(mu_);
  s.close_listeners.erase(id);
}

std::optional<SessionTable::Clock::time_point> SessionTable::deadline(const UserSession& s) {
  std::lock_guard lock(mu_);
  if (s.closed) return std::nullopt;
  return s.last_used + idle_;
}

bool SessionTable::expire_if_idle(UserSession& s) {
  Listeners fire;
  {
    std::lock_guard lock(mu_);
    if (s.closed) return true;
    if (Clock::now() - s.last_used <= idle_) return false;
    close_locked(s, true, fire);
    auto it = sessions_.find(s.id);
    if (it != sessions_.end() && it->second.get() == &s) sessions_.erase(it);
  }
  run(fire);
  return true;
}

std::size_t SessionTable::size() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

std::string SessionTable::add_upload(UserSession& s, Upload upload, std::size_t max_total) {
  std::lock_guard lock(mu_);
  if (s.upload_bytes + upload.data.size() > max_total) return {};
  std::string id = "u" + std::to_string(s.next_upload++);
  s.upload_bytes += upload.data.size();
  s.uploads[id] = std::move(upload);
  return id;
}

Result<std::vector<Upload>> SessionTable::get_uploads(UserSession& s, const std::vector<std::string>& ids) {
  std::lock_guard lock(mu_);
  std::vector<Upload> out;
  for (const auto& id : ids) {
    auto it = s.uploads.find(id);
    if (it == s.uploads.end()) return make_error("unknown attachment \"" + id + "\" (upload it again)", 400);
    out.push_back(it->second);
  }
  return out;
}

std::vector<Identity> SessionTable::identities(UserSession& s) {
  std::lock_guard lock(mu_);
  return s.identities;
}

void SessionTable::set_identities(UserSession& s, std::vector<Identity> list) {
  std::lock_guard lock(mu_);
  s.identities = std::move(list);
}

void SessionTable::discard_uploads(UserSession& s, const std::vector<std::string>& ids) {
  std::lock_guard lock(mu_);
  for (const auto& id : ids) {
    auto it = s.uploads.find(id);
    if (it == s.uploads.end()) continue;
    s.upload_bytes -= it->second.data.size();
    s.uploads.erase(it);
  }
}

}  // namespace claret::webmail
