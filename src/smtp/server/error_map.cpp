// Failure → reply mapping (RFC 5321 §4.2.2-§4.2.4, RFC 3463, RFC 3207 §4, RFC 4954 §6, RFC 2033 §4.1).
#include "smtp/server/error_map.hpp"

#include "base/log.hpp"
#include "io/errors.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "store/errc.hpp"

namespace claret::smtp::server {

namespace code = proto::code;
namespace enh = proto::enhanced;

proto::Reply gate_reply(Gate gate, proto::Verb verb, State state) {
  switch (gate) {
    case Gate::allowed:
    case Gate::unknown_in_mode:
      if (verb == proto::Verb::ehlo || verb == proto::Verb::helo)
        return proto::make_reply(code::kSyntaxError, enh::kInvalidCommand, "LMTP requires LHLO");
      return proto::make_reply(code::kSyntaxError, enh::kSyntaxError, "Command unrecognized");
    case Gate::not_offered:
      return proto::make_reply(code::kNotImplemented, enh::kInvalidCommand,
                               std::string(proto::verb_name(verb)) + " not available on this service");
    case Gate::tls_required:
      return proto::make_reply(code::kAuthRequired, enh::kAuthRequired, "Must issue a STARTTLS command first");
    case Gate::auth_required:
      return proto::make_reply(code::kAuthRequired, enh::kAuthRequired, "Authentication required");
    case Gate::bad_sequence:
      break;
  }
  std::string text = "Bad sequence of commands";
  switch (verb) {
    case proto::Verb::mail:
      text = state == State::fresh ? "Send EHLO or HELO first" : "Nested MAIL command";
      break;
    case proto::Verb::rcpt: text = "Need MAIL before RCPT"; break;
    case proto::Verb::data:
    case proto::Verb::bdat:
      text = state == State::bdat ? "BDAT in progress: send BDAT or RSET" : "Need MAIL and RCPT first";
      break;
    case proto::Verb::starttls:
    case proto::Verb::auth:
      text = state == State::fresh ? "Send EHLO first" : "Not allowed during a mail transaction";
      break;
    default: break;
  }
  return proto::make_reply(code::kBadSequence, enh::kInvalidCommand, text);
}

proto::Reply store_error_reply(const Error& error, std::uint64_t cid, std::string_view event) {
  if (store::has_code(error, store::Errc::not_found))
    return proto::make_reply(code::kMailboxUnavailable, enh::kNoSuchUser, "No such user here");
  if (store::has_code(error, store::Errc::over_quota))
    return proto::make_reply(code::kExceededStorage, enh::kMailboxFull, "Mailbox full");
  log::warn(event, {{"cid", cid}, {"code", error.code}, {"error", error.message}});
  return proto::make_reply(code::kLocalError, enh::kSystemError, "Local error in processing, try again later");
}

std::optional<proto::Reply> io_error_reply(const Error& error) {
  if (io::is(error, io::IoErrc::timeout))
    return proto::make_reply(code::kServiceNotAvailable, enh::kNetworkError, "Timeout, closing connection");
  if (io::is(error, io::IoErrc::shutdown))
    return proto::make_reply(code::kServiceNotAvailable, enh::kSystemShuttingDown, "Server shutting down");
  return std::nullopt;
}

proto::Reply too_many_errors_reply() {
  return proto::make_reply(code::kServiceNotAvailable, enh::kTempAuthFailure, "Too many errors, closing connection");
}

}  // namespace claret::smtp::server
