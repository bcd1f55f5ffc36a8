// Failure → POP3 response mapping (RFC 1939 §3 "-ERR", RFC 2449 §8 / RFC 3206 §4 response codes).
#include "pop3/server/error_map.hpp"

#include "base/log.hpp"
#include "io/errors.hpp"
#include "pop3/proto/response.hpp"

namespace claret::pop3::server {

using proto::RespCode;

std::string gate_reply(proto::Verb verb, State state) {
  std::string name(proto::verb_name(verb));
  if (state == State::authorization) return proto::err(name + " not allowed before login (use USER/PASS or AUTH)");
  return proto::err(name + " not allowed in the " + std::string(state_name(state)) + " state");
}

std::string parse_error_reply(const Error& error) {
  switch (static_cast<proto::ParseErrc>(error.code)) {
    case proto::ParseErrc::unknown_command: return proto::err("Unknown command");
    case proto::ParseErrc::missing_argument: return proto::err("Missing argument");
    case proto::ParseErrc::too_many_arguments: return proto::err("Too many arguments");
    case proto::ParseErrc::invalid_number: return proto::err("Invalid message number");
    case proto::ParseErrc::invalid_argument: return proto::err("Invalid argument");
  }
  return proto::err("Syntax error");
}

std::string store_error_reply(const Error& error, std::uint64_t cid, std::string_view event) {
  log::warn(event, {{"cid", cid}, {"code", error.code}, {"error", error.message}});
  return proto::err("Internal error, try again later", RespCode::sys_temp);
}

std::optional<std::string> io_error_reply(const Error& error) {
  if (io::is(error, io::IoErrc::timeout)) return proto::err("Timeout, closing connection");
  if (io::is(error, io::IoErrc::shutdown)) return proto::err("Server shutting down", RespCode::sys_temp);
  return std::nullopt;
}

std::string too_many_errors_reply() { return proto::err("Too many errors, closing connection"); }

std::string line_too_long_reply() { return proto::err("Line too long"); }

}  // namespace claret::pop3::server
