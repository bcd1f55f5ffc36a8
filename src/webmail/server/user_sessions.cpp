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

void SessionTable::drop_expired_locked(Clock::time_point now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (now - it->second->last_used > idle_) {
      it->second->closed = true;
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
  std::lock_guard lock(mu_);
  auto now = Clock::now();
  drop_expired_locked(now);
  if (sessions_.size() >= max_) return nullptr;
  s->last_used = now;
  sessions_[s->id] = s;
  return s;
}

std::shared_ptr<UserSession> SessionTable::find(const std::string& id, bool touch) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  auto now = Clock::now();
  if (now - it->second->last_used > idle_) {
    it->second->closed = true;
    sessions_.erase(it);
    return nullptr;
  }
  if (touch) it->second->last_used = now;
  return it->second;
}

std::shared_ptr<UserSession> SessionTable::remove(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  auto s = it->second;
  s->closed = true;
  sessions_.erase(it);
  return s;
}

bool SessionTable::is_closed(const UserSession& s) {
  std::lock_guard lock(mu_);
  if (!s.closed && Clock::now() - s.last_used > idle_) return true;
  return s.closed;
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
