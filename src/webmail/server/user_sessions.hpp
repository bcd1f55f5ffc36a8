// Browser sessions: a random id (the claret_session cookie) → the user's MailSession, CSRF token and
// pending uploads. Credentials are never stored: the MailSession holds the IMAP connection(s).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "webmail/mail_backend.hpp"

namespace claret::webmail {

struct Upload {
  std::string filename;
  std::string content_type;
  std::string data;
};

struct UserSession {
  std::string id;    // 256-bit random, hex
  std::string csrf;  // 256-bit random, hex; compared in constant time
  std::unique_ptr<MailSession> mail;
  // Guarded by SessionTable's mutex:
  std::chrono::steady_clock::time_point last_used;
  bool closed = false;  // logged out or expired: long-running requests (events) stop
  std::map<std::string, Upload> uploads;
  std::size_t upload_bytes = 0;
  uint64_t next_upload = 1;
};

class SessionTable {
 public:
  using Clock = std::chrono::steady_clock;
  SessionTable(std::chrono::milliseconds idle, std::size_t max_sessions) : idle_(idle), max_(max_sessions) {}

  // nullptr when the table is full (after dropping expired sessions).
  std::shared_ptr<UserSession> create(std::unique_ptr<MailSession> mail);
  // The live session for this cookie value, marked as used now; nullptr if unknown or expired.
  std::shared_ptr<UserSession> find(const std::string& id, bool touch = true);
  // Removes it (logout); returns it so the caller can log out of IMAP.
  std::shared_ptr<UserSession> remove(const std::string& id);
  bool is_closed(const UserSession& s);
  std::size_t size();

  // Uploads: bounded per session. Returns the id, or empty if over `max_total`.
  std::string add_upload(UserSession& s, Upload upload, std::size_t max_total);
  // Copies of the uploads with these ids; Error naming an unknown id. They stay until discard_uploads(),
  // so a failed send can be retried without uploading again.
  Result<std::vector<Upload>> get_uploads(UserSession& s, const std::vector<std::string>& ids);
  void discard_uploads(UserSession& s, const std::vector<std::string>& ids);

 private:
  void drop_expired_locked(Clock::time_point now);
  std::chrono::milliseconds idle_;
  std::size_t max_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<UserSession>> sessions_;
};

std::string random_token();  // 64 hex digits from the OS CSPRNG
bool constant_time_equal(const std::string& a, const std::string& b);

}  // namespace claret::webmail
