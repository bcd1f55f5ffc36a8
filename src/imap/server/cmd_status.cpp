// STATUS (RFC 9051 §6.3.11); the items are mailbox_status.cpp.
#include "imap/server/commands.hpp"
#include "imap/server/mailbox_status.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

Task cmd_status(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::StatusArgs>(cmd.args);
  store::MailStore* ms = s.mail.get();
  const std::string name = args.mailbox;
  const bool want_deleted = wants_deleted(args.items);
  auto data = co_await io::offload([ms, &name, want_deleted]() -> Result<StatusData> {
    auto info = ms->get_mailbox(name);
    if (!info) return info.error();
    return read_status(*ms, *info, want_deleted);
  });
  if (!data) {
    reply_store_error(s, cmd.tag, data.error());
    co_return;
  }
  s.send(proto::status_response(name, status_values(s, args.items, *data), s.utf8_accept()));
  s.ok(cmd.tag, "STATUS completed");
}

}  // namespace claret::imap::server
