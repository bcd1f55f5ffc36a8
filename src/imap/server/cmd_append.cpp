// APPEND (RFC 9051 §6.3.12) with APPENDUID (RFC 4315 §3): the message goes to the BlobStore, its metadata is
// computed once (mail::compute_meta) and the store appends it; quota → NO [OVERQUOTA], missing mailbox →
// NO [TRYCREATE]. MULTIAPPEND (RFC 3502): the messages are appended one by one and, if one fails, the ones
// already appended are expunged again, so the command appends all or none. The store has no multi-message
// transaction, so another session may see the first messages come and go before the NO.
#include "base/log.hpp"
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/error_map.hpp"
#include "imap/server/flags.hpp"
#include "io/offload.hpp"
#include "mail/message_meta.hpp"
#include "store/errc.hpp"

namespace claret::imap::server {

namespace {

struct Appended {
  store::MailboxId mailbox = 0;
  store::AppendResult result;
};

// Blocking (offloaded): blob, metadata, append.
Result<Appended> append_one(store::Store& st, store::MailStore& ms, const std::string& mailbox,
                                       const proto::AppendMessage& msg, std::int64_t now) {
  auto info = ms.get_mailbox(mailbox);
  if (!info) return info.error();
  auto blob = st.blobs().put(msg.data);
  if (!blob) return blob.error();
  store::MessageMeta meta = mail::compute_meta(msg.data);
  std::int64_t internaldate = msg.internal_date ? proto::to_unix(*msg.internal_date) : now;
  auto appended = ms.append(info->id, *blob, flags_from_list(msg.flags), internaldate, meta);
  if (!appended) return appended.error();
  return Appended{info->id, std::move(*appended)};
}

}  // namespace

Task cmd_append(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::AppendArgs>(cmd.args);
  for (const auto& m : args.messages) {
    if (m.catenate) {
      s.bad(cmd.tag, "CATENATE is not supported");
      co_return;
    }
    if (m.utf8 && !s.utf8_accept()) {  // RFC 6855 §4
      s.bad(cmd.tag, "APPEND UTF8 needs ENABLE UTF8=ACCEPT");
      co_return;
    }
    if (m.data.empty()) {
      s.no(cmd.tag, "Empty message", proto::response_code(proto::code::kCannot));
      co_return;
    }
  }
  store::Store& st = s.services().store;
  store::MailStore* ms = s.mail.get();
  const std::string mailbox = args.mailbox;
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  std::uint32_t uidvalidity = 0;
  std::vector<std::uint32_t> uids;
  store::MailboxId mailbox_id = 0;
  for (const auto& m : args.messages) {
    const proto::AppendMessage* msg = &m;
    auto result = co_await io::offload([&st, ms, &mailbox, msg, now] { return append_one(st, *ms, mailbox, *msg, now); });
    if (!result) {
      if (!uids.empty()) {
        const store::UidSet appended = store::UidSet::of(uids);
        auto undone = co_await io::offload([ms, mailbox_id, &appended] { return ms->expunge(mailbox_id, appended); });
        if (!undone)
          log::error("imap.append.rollback_failed", {{"cid", s.cid()}, {"error", undone.error().message}});
      }
      if (store::has_code(result.error(), store::Errc::not_found)) {
        s.no(cmd.tag, "No such mailbox", proto::response_code(proto::code::kTryCreate));
      } else {
        ErrorReply r = map_store_error(result.error(), s.cid(), "imap.append.error");
        s.no(cmd.tag, r.text, r.code);
      }
      co_return;
    }
    uidvalidity = result->result.uidvalidity;
    mailbox_id = result->mailbox;
    uids.push_back(result->result.uid);
  }
  if (s.selected && s.selected->info().name == mailbox) s.force_refresh = true;
  co_await s.report_changes(true);
  s.ok(cmd.tag, "APPEND completed", proto::code_append_uid(uidvalidity, proto::format_number_set(uids)));
}

}  // namespace claret::imap::server
