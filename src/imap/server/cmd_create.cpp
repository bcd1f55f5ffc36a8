// CREATE (RFC 9051 §6.3.4) with CREATE-SPECIAL-USE (RFC 6154 §3).
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/mailbox_name_check.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

Task cmd_create(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::CreateArgs>(cmd.args);
  auto name = creatable_name(args.mailbox);
  if (!name) {
    s.no(cmd.tag, "Invalid mailbox name: " + name.error().message, proto::response_code(proto::code::kCannot));
    co_return;
  }
  if (args.special_use.size() > 1) {
    s.no(cmd.tag, "Only one special use per mailbox", proto::response_code("USEATTR"));
    co_return;
  }
  store::MailStore* ms = s.mail.get();
  const std::string n = *name;
  const std::string use = args.special_use.empty() ? std::string() : args.special_use.front();
  auto created = co_await io::offload([ms, &n, &use] { return ms->create_mailbox(n, use); });
  if (!created) {
    reply_store_error(s, cmd.tag, created.error());
    co_return;
  }
  s.ok(cmd.tag, "CREATE completed", "[MAILBOXID (F" + std::to_string(created->id) + ")]");  // RFC 8474 §4.1
}

}  // namespace claret::imap::server
