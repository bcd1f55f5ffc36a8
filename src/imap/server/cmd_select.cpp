// SELECT and EXAMINE (RFC 9051 §6.3.2-3, CONDSTORE RFC 7162 §3.1.8).
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/flags.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"
#include "store/errc.hpp"

namespace claret::imap::server {

namespace {

struct SelectData {
  store::MailboxInfo info;
  std::vector<std::uint32_t> uids;
  std::optional<std::uint32_t> first_unseen_uid;
};

}  // namespace

Task cmd_select(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::SelectArgs>(cmd.args);
  const bool read_only = cmd.info->id == proto::CommandId::examine;
  if (args.qresync) {  // RFC 7162 §3.2.5: only after ENABLE QRESYNC, which this server does not offer
    s.bad(cmd.tag, "QRESYNC is not enabled");
    co_return;
  }
  // RFC 9051 §6.3.2: a SELECT deselects the current mailbox first, even when the new one cannot be selected.
  const bool had_selected = s.selected != nullptr;
  s.unselect();
  if (had_selected) s.send(proto::untagged_status(proto::Condition::ok, proto::response_code(proto::code::kClosed),
                                                  "Previous mailbox closed"));
  if (args.condstore) s.condstore = true;
  store::MailStore* ms = s.mail.get();
  const std::string name = args.mailbox;
  auto data = co_await io::offload([ms, &name]() -> Result<SelectData> {
    auto info = ms->get_mailbox(name);
    if (!info) return info.error();
    if (info->noselect) return store::store_error(store::Errc::invalid, "mailbox is \\Noselect");
    auto uids = ms->list_uids(info->id);
    if (!uids) return uids.error();
    auto unseen = ms->search(info->id, store::SearchKey::without_flags(store::flag::kSeen));
    if (!unseen) return unseen.error();
    SelectData d{std::move(*info), std::move(*uids), std::nullopt};
    if (!unseen->empty()) d.first_unseen_uid = unseen->front();
    return d;
  });
  if (!data) {
    reply_store_error(s, cmd.tag, data.error());
    co_return;
  }
  auto view = std::make_unique<SelectedMailbox>(data->info, read_only, data->uids);
  const auto flags = system_flag_names();
  s.send(proto::flags_response(flags));
  s.send(proto::exists_response(view->count()));
  s.send(proto::recent_response(0));
  if (data->first_unseen_uid) {
    if (auto seq = view->seq_of(*data->first_unseen_uid))
      s.send(proto::untagged_status(proto::Condition::ok, proto::code_number(proto::code::kUnseen, *seq),
                                    "First unseen"));
  }
  s.send(proto::untagged_status(proto::Condition::ok, proto::code_number(proto::code::kUidValidity,
                                                                         data->info.uidvalidity), "UIDs valid"));
  s.send(proto::untagged_status(proto::Condition::ok, proto::code_number(proto::code::kUidNext, data->info.uidnext),
                                "Predicted next UID"));
  std::vector<std::string> permanent = read_only ? std::vector<std::string>{} : flags;
  if (!read_only) permanent.push_back("\\*");
  s.send(proto::untagged_status(proto::Condition::ok, proto::code_permanent_flags(permanent), "Limited"));
  s.send(proto::untagged_status(proto::Condition::ok,
                                proto::code_number(proto::code::kHighestModseq, data->info.highestmodseq),
                                "Highest"));
  s.select(std::move(view));
  s.ok(cmd.tag, read_only ? "EXAMINE completed" : "SELECT completed",
       proto::response_code(read_only ? proto::code::kReadOnly : proto::code::kReadWrite));
}

}  // namespace claret::imap::server
