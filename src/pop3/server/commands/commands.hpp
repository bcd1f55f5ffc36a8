// The POP3 command handlers, one per file (RFC 1939 §4-§7, RFC 2449 §5 CAPA, RFC 2595 §4 STLS, RFC 5034 §4 AUTH).
// Each runs only after the command table let it through in the session's state; it queues its responses.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "pop3/proto/command.hpp"
#include "pop3/server/session.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_user(Session& s, proto::NameArg args);
boost::asio::awaitable<void> cmd_pass(Session& s, proto::PasswordArg args);
boost::asio::awaitable<void> cmd_apop(Session& s, proto::ApopArgs args);
boost::asio::awaitable<void> cmd_auth(Session& s, proto::AuthArgs args);
boost::asio::awaitable<void> cmd_stls(Session& s);
boost::asio::awaitable<void> cmd_capa(Session& s);
boost::asio::awaitable<void> cmd_quit(Session& s);
boost::asio::awaitable<void> cmd_stat(Session& s);
boost::asio::awaitable<void> cmd_list(Session& s, proto::OptionalMsgArg args);
boost::asio::awaitable<void> cmd_retr(Session& s, proto::MsgArg args);
boost::asio::awaitable<void> cmd_dele(Session& s, proto::MsgArg args);
boost::asio::awaitable<void> cmd_noop(Session& s);
boost::asio::awaitable<void> cmd_rset(Session& s);
boost::asio::awaitable<void> cmd_top(Session& s, proto::TopArgs args);
boost::asio::awaitable<void> cmd_uidl(Session& s, proto::OptionalMsgArg args);

// --- shared by several commands (login.cpp, message_stream.cpp, lookup.cpp) ---

// Before verifying credentials: the throttle's verdict for the peer. On reject the refusal is queued and nullopt
// returned; otherwise the delay to apply if the attempt fails.
std::optional<std::chrono::milliseconds> admit_login_attempt(Session& s);
// After a failed attempt for `tried` (may be empty): records it, waits the throttle's delay, queues "-ERR [AUTH]".
boost::asio::awaitable<void> login_failed(Session& s, std::chrono::milliseconds delay, std::string tried,
                                          std::string_view mechanism, std::string_view detail);
// After verified credentials: opens the account's maildrop and enters TRANSACTION (RFC 1939 §4), or queues
// "-ERR [SYS/TEMP]" and stays in AUTHORIZATION.
boost::asio::awaitable<void> login_succeeded(Session& s, std::string authcid, std::string_view mechanism);

// Message `n` of the maildrop, or nullptr after queueing "-ERR no such message" / "message deleted".
const MaildropMessage* message_or_reply(Session& s, std::uint64_t n);
// RETR and TOP: "+OK", the stored blob streamed in chunks with CRLF and byte-stuffing, ".". body_lines: TOP's n.
// number: m's message number (for the RETR read-ahead of number + 1).
boost::asio::awaitable<void> send_message(Session& s, std::uint64_t number, const MaildropMessage& m,
                                          std::optional<std::uint64_t> body_lines);

}  // namespace claret::pop3::server
