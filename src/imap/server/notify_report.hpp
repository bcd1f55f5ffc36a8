// IMAP NOTIFY (RFC 5465) delivery: untagged STATUS and LIST for other mailboxes' changes, FETCH of new messages'
// requested attributes, and the pusher that sends them while the session waits for the next command.
#pragma once

#include <cstdint>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "imap/proto/command.hpp"

namespace claret::imap::server {

class Session;

// STATUS (MESSAGES UIDNEXT UIDVALIDITY [HIGHESTMODSEQ]) for every existing mailbox but the selected one that a
// group with message events covers (NOTIFY SET STATUS, RFC 5465 §3).
boost::asio::awaitable<void> send_notify_status_all(Session& s);
// Untagged responses for what other sessions did to mailboxes other than the selected one.
boost::asio::awaitable<void> report_notify(Session& s);
// Before CREATE/DELETE/RENAME/(UN)SUBSCRIBE runs: its own changes are not notified back.
void note_own_mailbox_op(Session& s, const proto::Command& cmd);

// Sends notifications while the session waits for a command (RFC 5465 §5: between commands, not only in IDLE).
struct NotifyPusher;
std::shared_ptr<NotifyPusher> start_notify_pusher(Session& s, boost::asio::any_io_executor executor);
boost::asio::awaitable<void> stop_notify_pusher(Session& s, std::shared_ptr<NotifyPusher> pusher);

}  // namespace claret::imap::server
