// Browser sessions: a random id (the claret_session cookie) → the user's MailSession, CSRF token and
// pending uploads. Credentials are never stored: the MailSession holds the IMAP connection(s).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "webmail/mail_backend.hpp"
#include "webmail/server/identities.hpp"
#include "webmail/server/special_folders.hpp"

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
  SpecialFolders special_folders;  // \Sent, \Drafts, \Trash names from the last listing (own mutex)
  // Guarded by SessionTable's mutex:
  std::chrono::steady_clock::time_point last_used;
  bool closed = false;  // logged out or expired: long-running requests (events) stop
  bool expired = false;  // closed for being idle too long (not by a logout)
  std::map<uint64_t, std::function<void()>> close_listeners;
  std::map<uint64_t, std::function<void(const std::string&, const std::string&)>> event_listeners;
  uint64_t next_listener = 1;
  std::map<std::string, Upload> uploads;
  std::vector<Identity> identities;  // the sender identities (login, aliases, the user's own)
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
  bool is_expired(const UserSession& s);
  std::size_t size();

  // `fn` runs once when the session closes (logout or expiry), on the thread that closes it and outside the
  // table's lock — at once if it is closed already. The id removes it again (e.g. when an events stream ends).
  uint64_t on_close(UserSession& s, std::function<void()> fn);
  void remove_close_listener(UserSession& s, uint64_t id);
  // Every events stream of the session subscribes; whichever stream's IDLE sees a change publishes it to all
  // (folder, SSE frame) — so a change seen by the IDLE of a stream whose browser already left (a reload) still
  // reaches the new stream. Listeners run outside the lock.
  uint64_t subscribe(UserSession& s, std::function<void(const std::string&, const std::string&)> fn);
  void unsubscribe(UserSession& s, uint64_t id);
  void publish(UserSession& s, const std::string& folder, const std::string& frame);
  // When the session expires unless used before: nullopt once it is closed.
  std::optional<Clock::time_point> deadline(const UserSession& s);
  // Closes the session if it has been idle too long (the expiry timer calls this at its deadline);
  // true when it is closed, by this call or before.
  bool expire_if_idle(UserSession& s);

  // Uploads: bounded per session. Returns the id, or empty if over `max_total`.
  std::string add_upload(UserSession& s, Upload upload, std::size_t max_total);
  // Copies of the uploads with these ids; Error naming an unknown id. They stay until discard_uploads(),
  // so a failed send can be retried without uploading again.
  Result<std::vector<Upload>> get_uploads(UserSession& s, const std::vector<std::string>& ids);
  void discard_uploads(UserSession& s, const std::vector<std::string>& ids);

  std::vector<Identity> identities(UserSession& s);
  void set_identities(UserSession& s, std::vector<Identity> list);

 private:
  using Listeners = std::vector<std::function<void()>>;
  void drop_expired_locked(Clock::time_point now, Listeners& fire);
  void close_locked(UserSession& s, bool expired, Listeners& fire);
  static void run(Listeners& fire);
  std::chrono::milliseconds idle_;
  std::size_t max_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<UserSession>> sessions_;
};

std::string random_token();  // 64 hex digits from the OS CSPRNG
bool constant_time_equal(const std::string& a, const std::string& b);

}  // namespace claret::webmail
