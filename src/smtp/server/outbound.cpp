// Submission to non-local recipients: deferred until the outbound queue exists (RFC 5321 §4.2.5 451 temporary failure).
#include "smtp/server/outbound.hpp"

#include "smtp/proto/reply_codes.hpp"

namespace claret::smtp::server {

proto::Reply outbound_recipient(std::string_view) {
  return proto::make_reply(proto::code::kLocalError, proto::enhanced::kSystemError,
                           "outbound delivery is not available yet");
}

}  // namespace claret::smtp::server
