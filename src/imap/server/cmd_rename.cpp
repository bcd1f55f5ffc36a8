// RENAME (RFC 9051 §6.3.6), INBOX included.
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/mailbox_name_check.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

Task cmd_rename(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::RenameArgs>(cmd.args);
  auto to = creatable_name(args.to);
  if (!to) {
    s.no(cmd.tag, "Invalid mailbox name: " + to.error().message, proto::response_code(proto::code::kCannot));
    co_return;
  }
  store::MailStore* ms = s.mail.get();
  const std::string from = args.from;
  const std::string target = *to;
  auto renamed = co_await io::offload([ms, &from, &target] { return ms->rename_mailbox(from, target); });
  if (!renamed) {
    reply_store_error(s, cmd.tag, renamed.error());
    co_return;
  }
  s.ok(cmd.tag, "RENAME completed");
}

}  // namespace claret::imap::server
