// ENABLE (RFC 5161): CONDSTORE and QRESYNC (RFC 7162 §3.1, §3.2.3), IMAP4rev2 (RFC 9051 §6.3.1), UTF8=ACCEPT
// (RFC 6855 §3).
#include "imap/server/commands.hpp"

namespace claret::imap::server {

Task cmd_enable(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::EnableArgs>(cmd.args);
  std::vector<std::string> enabled;
  for (const auto& cap : args.capabilities) {
    // RFC 5161 §3.1: only capabilities the server knows and that change behaviour are enabled; others ignored.
    if (cap == "CONDSTORE" && !s.condstore) {
      s.condstore = true;
      enabled.push_back(cap);
    }
    if (cap == "IMAP4REV2" && !s.imap4rev2) {
      // RFC 9051 §6.3.1: no RECENT, ESEARCH answers, UTF-8 mailbox names (§5.1, as UTF8=ACCEPT).
      s.imap4rev2 = true;
      s.enable_utf8_accept();
      enabled.push_back("IMAP4rev2");
    }
    if (cap == "UTF8=ACCEPT" && !s.utf8_accept()) {  // RFC 6855 §3: names and strings in UTF-8 from now on
      s.enable_utf8_accept();
      enabled.push_back(cap);
    }
    if (cap == "QRESYNC" && !s.qresync) {
      // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE. Dovecot and Cyrus list only what was asked for.
      s.qresync = true;
      s.condstore = true;
      enabled.push_back(cap);
    }
  }
  s.send(proto::enabled_response(enabled));
  s.ok(cmd.tag, "ENABLE completed");
  co_return;
}

}  // namespace claret::imap::server
