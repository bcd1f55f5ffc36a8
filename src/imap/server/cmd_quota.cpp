// GETQUOTA, GETQUOTAROOT and SETQUOTA (RFC 9208), read-only: every account has one quota root "" holding the
// account's storage limit from the directory (QUOTA=RES-STORAGE, in units of 1024 octets, §5.1); usage is the
// sum of the mailboxes' sizes. Accounts without a limit have no quota root. SETQUOTA is refused: limits are
// set by the administrator (claret user quota).
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

namespace {

struct QuotaData {
  std::uint64_t limit_bytes = 0;  // 0: unlimited
  std::uint64_t used_bytes = 0;
};

// Blocking (offloaded).
Result<QuotaData> read_quota(store::Store& st, store::MailStore& ms, store::AccountId account,
                             std::optional<std::string> mailbox) {
  auto acct = st.directory().get_account(account);
  if (!acct) return acct.error();
  if (mailbox) {
    auto info = ms.get_mailbox(*mailbox);  // GETQUOTAROOT of a missing mailbox is NO [NONEXISTENT]
    if (!info) return info.error();
  }
  QuotaData d{acct->quota, 0};
  if (d.limit_bytes == 0) return d;
  auto all = ms.list_mailboxes();
  if (!all) return all.error();
  for (const auto& m : *all) {
    if (m.noselect) continue;
    auto st_ = ms.status(m.id);
    if (!st_) return st_.error();
    d.used_bytes += st_->size;
  }
  return d;
}

std::string storage_quota(const QuotaData& d) {
  return proto::quota_response("", {{"STORAGE", (d.used_bytes + 1023) / 1024, d.limit_bytes / 1024}});
}

}  // namespace

Task cmd_quota(Session& s, const proto::Command& cmd) {
  const auto id = cmd.info->id;
  if (id == proto::CommandId::setquota) {
    s.no(cmd.tag, "Quotas are set by the administrator", proto::response_code(proto::code::kCannot));
    co_return;
  }
  std::optional<std::string> mailbox;
  if (id == proto::CommandId::getquotaroot) mailbox = std::get<proto::MailboxArgs>(cmd.args).mailbox;
  else if (!std::get<proto::QuotaRootArgs>(cmd.args).root.empty()) {
    s.no(cmd.tag, "No such quota root", proto::response_code(proto::code::kNonExistent));
    co_return;
  }
  store::Store& st = s.services().store;
  store::MailStore* ms = s.mail.get();
  const store::AccountId account = s.account;
  auto data = co_await io::offload([&st, ms, account, &mailbox] { return read_quota(st, *ms, account, mailbox); });
  if (!data) {
    reply_store_error(s, cmd.tag, data.error());
    co_return;
  }
  if (mailbox) {
    std::vector<std::string> roots;
    if (data->limit_bytes != 0) roots.emplace_back("");
    s.send(proto::quotaroot_response(*mailbox, roots, s.utf8_accept()));
    if (data->limit_bytes != 0) s.send(storage_quota(*data));
    s.ok(cmd.tag, "GETQUOTAROOT completed");
    co_return;
  }
  if (data->limit_bytes == 0) {
    s.no(cmd.tag, "No such quota root", proto::response_code(proto::code::kNonExistent));
    co_return;
  }
  s.send(storage_quota(*data));
  s.ok(cmd.tag, "GETQUOTA completed");
}

}  // namespace claret::imap::server
