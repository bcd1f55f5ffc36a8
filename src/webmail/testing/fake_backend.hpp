// An in-memory MailBackend for tests of the web server: accounts with passwords, folders of real RFC 5322
// messages (parsed with mime/ for summaries, bodies and parts), recorded submissions and scripted IDLE
// events. Shared state is guarded by one mutex; sessions of the same user see the same folders.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "webmail/mail_backend.hpp"

namespace claret::webmail::testing {

struct FakeMessage {
  std::string raw;
  std::vector<std::string> flags;
  int64_t received = 0;
};

struct FakeFolder {
  std::string special_use;
  uint32_t uidvalidity = 1;
  uint32_t uidnext = 1;
  std::map<uint32_t, FakeMessage> messages;
};

struct FakeAccount {
  std::string password;
  std::vector<std::string> identities;
  std::map<std::string, FakeFolder> folders;  // INBOX, Sent, Drafts, Trash by default
};

class FakeBackend : public MailBackend {
 public:
  FakeBackend() = default;

  // Creates the account with INBOX, Sent, Drafts and Trash; the login name is its first identity.
  void add_user(const std::string& username, const std::string& password);
  // Appends a message and returns its uid.
  uint32_t add_message(const std::string& username, const std::string& folder, std::string raw,
                       std::vector<std::string> flags = {});
  // The next wait_for_change of this user returns `event` at once.
  void push_event(const std::string& username, FolderEvent event);
  // When set, every call fails with this error (machine A down).
  void set_failure(std::optional<Error> failure);

  std::vector<Submission> submissions() const;
  std::optional<FakeMessage> message(const std::string& username, const std::string& folder, uint32_t uid) const;
  std::vector<uint32_t> uids(const std::string& username, const std::string& folder) const;
  int logouts() const;
  int logins() const;
  int folder_listings() const;  // folders() calls, all sessions
  int appends() const;          // append() calls, all sessions
  // Renames a folder as another client would, behind the web server's back (false: no such folder).
  bool rename_elsewhere(const std::string& username, const std::string& from, const std::string& to);

  Task<Result<std::unique_ptr<MailSession>>> login(std::string username, std::string password) override;

  // Shared with the sessions.
  struct State {
    mutable std::mutex mu;
    std::map<std::string, FakeAccount> accounts;
    std::map<std::string, std::deque<FolderEvent>> events;
    std::vector<Submission> submissions;
    std::optional<Error> failure;
    int logouts = 0;
    int logins = 0;
    int folder_listings = 0;
    int appends = 0;
  };

 private:
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace claret::webmail::testing
