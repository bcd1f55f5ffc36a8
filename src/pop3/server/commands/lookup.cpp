// Message-number checks shared by LIST, UIDL, RETR, TOP and DELE (RFC 1939 §5: deleted messages may not be
// referred to; numbers outside the maildrop are refused).
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

const MaildropMessage* message_or_reply(Session& s, std::uint64_t n) {
  const MaildropMessage* m = s.maildrop.find(n);
  if (m == nullptr) {
    s.reply(proto::err("No such message"));
    return nullptr;
  }
  if (m->deleted) {
    s.reply(proto::err("Message " + std::to_string(n) + " already deleted"));
    return nullptr;
  }
  return m;
}

}  // namespace claret::pop3::server
