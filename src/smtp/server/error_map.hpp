// The one place where failures become SMTP replies: command-table gates (RFC 5321 §4.2.4, §3.3), store errors
// (RFC 3463 §3.2-3.3 mailbox and system status) and I/O failures that end a session (RFC 5321 §4.5.3.2, §3.8).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.hpp"
#include "smtp/proto/command.hpp"
#include "smtp/proto/reply.hpp"
#include "smtp/server/command_table.hpp"

namespace claret::smtp::server {

// The refusal for a command the table stopped (never called with Gate::allowed).
proto::Reply gate_reply(Gate gate, proto::Verb verb, State state);

// A store failure for one recipient or one message: not_found → 550 5.1.1, over_quota → 552 5.2.2,
// anything else → 451 4.3.0 with a generic text (the detail is logged under `event` with the cid).
proto::Reply store_error_reply(const Error& error, std::uint64_t cid, std::string_view event);

// The last words after an I/O failure (timeout → 421 4.4.2, shutdown → 421 4.3.2), or nullopt when the
// peer is gone (eof, network, TLS) and nothing can be sent.
std::optional<proto::Reply> io_error_reply(const Error& error);

// 421 4.7.0 after too many errors (RFC 5321 §4.5.3.2 leaves the limit to the server).
proto::Reply too_many_errors_reply();

}  // namespace claret::smtp::server
