// The one place where failures become POP3 responses: state gates and parse errors (RFC 1939 §3), store failures
// (RFC 3206 §4 SYS/TEMP) and I/O failures that end a session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "pop3/proto/command.hpp"
#include "pop3/server/command_table.hpp"

namespace claret::pop3::server {

// The refusal of a command the table stopped in this state.
std::string gate_reply(proto::Verb verb, State state);
// The refusal of a line the parser rejected (unknown command, bad number, missing argument …).
std::string parse_error_reply(const Error& error);
// A store failure: "-ERR [SYS/TEMP]" with a generic text; the detail is logged under `event` with the cid.
std::string store_error_reply(const Error& error, std::uint64_t cid, std::string_view event);
// The last words after an I/O failure (timeout, shutdown), or nullopt when the peer is gone.
std::optional<std::string> io_error_reply(const Error& error);
std::string too_many_errors_reply();
std::string line_too_long_reply();

}  // namespace claret::pop3::server
