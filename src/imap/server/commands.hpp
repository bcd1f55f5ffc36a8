// The IMAP command handlers (RFC 9051 §6 and extensions) and the table that dispatches to them; each handler
// queues its responses on the session.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "imap/proto/command.hpp"
#include "imap/server/session.hpp"

namespace claret::imap::server {

using Task = boost::asio::awaitable<void>;

// One file per command, cmd_<name>.cpp (as Dovecot's imap/cmd-*.c); command_table.cpp maps CommandId → handler.
Task cmd_capability(Session& s, const proto::Command& cmd);
Task cmd_noop(Session& s, const proto::Command& cmd);
Task cmd_logout(Session& s, const proto::Command& cmd);
Task cmd_starttls(Session& s, const proto::Command& cmd);
Task cmd_login(Session& s, const proto::Command& cmd);
Task cmd_authenticate(Session& s, const proto::Command& cmd);
Task cmd_enable(Session& s, const proto::Command& cmd);
Task cmd_id(Session& s, const proto::Command& cmd);
Task cmd_select(Session& s, const proto::Command& cmd);     // SELECT and EXAMINE
Task cmd_create(Session& s, const proto::Command& cmd);
Task cmd_delete(Session& s, const proto::Command& cmd);
Task cmd_rename(Session& s, const proto::Command& cmd);
Task cmd_subscribe(Session& s, const proto::Command& cmd);  // SUBSCRIBE and UNSUBSCRIBE
Task cmd_list(Session& s, const proto::Command& cmd);       // LIST and LSUB
Task cmd_namespace(Session& s, const proto::Command& cmd);
Task cmd_status(Session& s, const proto::Command& cmd);
Task cmd_append(Session& s, const proto::Command& cmd);
Task cmd_idle(Session& s, const proto::Command& cmd);
Task cmd_check(Session& s, const proto::Command& cmd);
Task cmd_close(Session& s, const proto::Command& cmd);      // CLOSE and UNSELECT
Task cmd_expunge(Session& s, const proto::Command& cmd);    // EXPUNGE and UID EXPUNGE
Task cmd_search(Session& s, const proto::Command& cmd);     // SEARCH and UID SEARCH
Task cmd_fetch(Session& s, const proto::Command& cmd);      // FETCH and UID FETCH
// NOTIFY MessageNew (RFC 5465 §5.1): untagged FETCH of the requested attributes for the selected mailbox's
// messages above `above_uid` (cmd_fetch.cpp; never sets \Seen).
Task fetch_new_for_notify(Session& s, std::uint32_t above_uid);
Task cmd_notify(Session& s, const proto::Command& cmd);     // NOTIFY SET / NONE (RFC 5465)
Task cmd_store(Session& s, const proto::Command& cmd);      // STORE and UID STORE
Task cmd_copy(Session& s, const proto::Command& cmd);       // COPY, MOVE and their UID forms
Task cmd_sort(Session& s, const proto::Command& cmd);       // SORT and UID SORT
Task cmd_thread(Session& s, const proto::Command& cmd);     // THREAD and UID THREAD
Task cmd_quota(Session& s, const proto::Command& cmd);      // GETQUOTA, GETQUOTAROOT, SETQUOTA
Task cmd_compress(Session& s, const proto::Command& cmd);   // COMPRESS DEFLATE (RFC 4978)

using Handler = Task (*)(Session& s, const proto::Command& cmd);
// The handler of a command; nullptr for one the server does not implement (answered as unknown).
Handler handler_for(proto::CommandId id);

}  // namespace claret::imap::server
