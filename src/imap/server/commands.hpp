// The IMAP command handlers (RFC 9051 §6), one per command family; each queues its responses on the session.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "imap/proto/command.hpp"
#include "imap/server/session.hpp"

namespace claret::imap::server {

using Task = boost::asio::awaitable<void>;

// session_commands.cpp — any state and not authenticated (§6.1, §6.2), ENABLE (RFC 5161), ID (RFC 2971)
Task cmd_capability(Session& s, const proto::Command& cmd);
Task cmd_noop(Session& s, const proto::Command& cmd);
Task cmd_logout(Session& s, const proto::Command& cmd);
Task cmd_starttls(Session& s, const proto::Command& cmd);
Task cmd_login(Session& s, const proto::Command& cmd);
Task cmd_authenticate(Session& s, const proto::Command& cmd);
Task cmd_enable(Session& s, const proto::Command& cmd);
Task cmd_id(Session& s, const proto::Command& cmd);

// mailbox_commands.cpp — §6.3
Task cmd_select(Session& s, const proto::Command& cmd);  // SELECT and EXAMINE
Task cmd_create(Session& s, const proto::Command& cmd);
Task cmd_delete(Session& s, const proto::Command& cmd);
Task cmd_rename(Session& s, const proto::Command& cmd);
Task cmd_subscribe(Session& s, const proto::Command& cmd);  // SUBSCRIBE and UNSUBSCRIBE
Task cmd_list(Session& s, const proto::Command& cmd);       // LIST and LSUB
Task cmd_namespace(Session& s, const proto::Command& cmd);
Task cmd_status(Session& s, const proto::Command& cmd);
Task cmd_close(Session& s, const proto::Command& cmd);      // CLOSE and UNSELECT
Task cmd_check(Session& s, const proto::Command& cmd);

// fetch.cpp — §6.4.5
Task cmd_fetch(Session& s, const proto::Command& cmd);
// message_commands.cpp — §6.4.3, §6.4.6-§6.4.8, RFC 4315, RFC 6851
Task cmd_store(Session& s, const proto::Command& cmd);
Task cmd_expunge(Session& s, const proto::Command& cmd);   // EXPUNGE and UID EXPUNGE
Task cmd_copy(Session& s, const proto::Command& cmd);      // COPY, MOVE and their UID forms
// append.cpp — §6.3.12
Task cmd_append(Session& s, const proto::Command& cmd);
// search.cpp — §6.4.4
Task cmd_search(Session& s, const proto::Command& cmd);
// idle.cpp — RFC 2177, §6.3.13
Task cmd_idle(Session& s, const proto::Command& cmd);

}  // namespace claret::imap::server
