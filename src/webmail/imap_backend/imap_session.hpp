// ImapSession: one webmail user over IMAP + SMTP submission. Up to three IMAP connections: one for INBOX (and
// commands on no mailbox), one for every other folder (opened on first use), one kept in IDLE for
// wait_for_change(), so the event stream never blocks the UI. INBOX stays selected on its connection: switching
// folders in the UI never pays the server's SELECT of the big mailbox again (Dovecot: 25 ms for 10,000 messages).
// A broken connection is reopened (and logged in again) on the next request.
//
// List cache: with CONDSTORE, each command connection remembers its last few list pages and sorted uid lists,
// tagged with the client's MailboxView::version. Every list() first brings the connection's view up to date (the
// SELECT, or a NOOP), and a version the server has not moved since means nothing changed in the mailbox — no new
// mail, expunge or flag change by anyone — so the remembered page is exactly what the commands would return.
// Without CONDSTORE nothing is cached.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "imap/client/client.hpp"
#include "webmail/imap_backend/async_mutex.hpp"
#include "webmail/imap_backend/server_url.hpp"
#include "webmail/mail_backend.hpp"

namespace claret::tls {
class TlsContext;
}

namespace claret::webmail {

// What every session of one backend shares.
struct ImapEndpoints {
  ServerUrl imap;
  ServerUrl submission;
  std::shared_ptr<tls::TlsContext> tls;
  std::chrono::milliseconds timeout{30000};
  std::string helo_name;
};


// imap::client errors → MailSession errors (messages safe to show).
Error to_backend_error(const Error& e);

class ImapSession : public MailSession {
 public:
  ImapSession(std::shared_ptr<const ImapEndpoints> endpoints, std::string username, std::string password);
  ~ImapSession() override;

  // Opens the command connection and logs in.
  Task<Status> open();

  const std::string& username() const override { return username_; }
  std::vector<std::string> identities() const override;

  Task<Result<std::vector<Folder>>> folders() override;
  Task<Status> create_folder(std::string name) override;
  Task<Status> rename_folder(std::string from, std::string to) override;
  Task<Status> delete_folder(std::string name) override;

  Task<Result<MessagePage>> list(ListQuery query) override;
  Task<Result<MessageView>> message(std::string folder, uint32_t uid) override;
  Task<Result<std::vector<MessageSummary>>> thread(std::string folder, uint32_t uid) override;
  Task<Result<std::string>> raw(std::string folder, uint32_t uid) override;
  Task<Result<PartChunk>> part(std::string folder, uint32_t uid, std::string section, uint64_t offset,
                               uint64_t max_bytes) override;

  Task<Status> set_flags(std::string folder, std::vector<uint32_t> uids, FlagChange change,
                         std::vector<std::string> flags) override;
  Task<Status> copy(std::string folder, std::vector<uint32_t> uids, std::string to) override;
  Task<Status> move(std::string folder, std::vector<uint32_t> uids, std::string to) override;
  Task<Status> expunge(std::string folder, std::vector<uint32_t> uids) override;
  Task<Result<uint32_t>> append(std::string folder, std::string message, std::vector<std::string> flags) override;

  Task<Status> send(Submission submission) override;
  Task<Result<std::optional<FolderEvent>>> wait_for_change(std::string folder,
                                                           std::chrono::milliseconds timeout) override;
  Task<void> logout() override;

 private:
  // A result remembered at a MailboxView::version of its connection's client.
  template <typename T>
  struct Cached {
    std::string key;  // every field of the query it answers
    std::uint64_t version = 0;
    T value;
  };
  struct Connection {
    std::unique_ptr<imap::client::ImapClient> client;
    AsyncMutex mutex;
    std::uint32_t uidvalidity = 0;
    std::uint32_t exists = 0;
    std::deque<Cached<MessagePage>> pages;                 // most recent first
    std::deque<Cached<std::vector<std::uint32_t>>> sorts;  // sorted uids of a filter + order
    void forget() {
      pages.clear();
      sorts.clear();
    }
  };

  // The command connection for `folder`: INBOX has its own.
  Connection& for_folder(const std::string& folder);

  // The logged-in client of `c`, reconnecting when needed. Call with c.mutex held.
  Task<Result<imap::client::ImapClient*>> ready(Connection& c);
  // ready() + SELECT (or EXAMINE) `folder` unless already selected; NO → kNotFound.
  Task<Result<imap::client::ImapClient*>> ready_in(Connection& c, const std::string& folder, bool read_only = false);
  // The uids matching `query`'s filters, in display order (threaded: one list per conversation).
  Task<Result<std::vector<std::uint32_t>>> sorted_uids(imap::client::ImapClient& client, const ListQuery& query);
  // sorted_uids() through c.sorts.
  Task<Result<std::vector<std::uint32_t>>> cached_sorted_uids(Connection& c, const ListQuery& query);
  Task<Result<std::vector<std::vector<std::uint32_t>>>> conversations(imap::client::ImapClient& client,
                                                                      imap::client::Command criteria);
  Task<Result<std::vector<MessageSummary>>> summaries(imap::client::ImapClient& client,
                                                      const std::vector<std::uint32_t>& uids);

  std::shared_ptr<const ImapEndpoints> endpoints_;
  std::string username_;
  std::string password_;
  Connection main_;   // INBOX, and commands on no mailbox (LIST, CREATE, APPEND…)
  Connection other_;  // every other folder
  Connection idle_;
  bool logged_out_ = false;  // logout() ran: the IDLE connection logs out when its current IDLE ends
};

}  // namespace claret::webmail
