// Submission to non-local recipients: accepted for the outbound queue (RFC 6409 §3.1, RFC 5321 §4.2.2 250).
#include "smtp/server/outbound.hpp"

#include "smtp/proto/reply_codes.hpp"

namespace claret::smtp::server {

proto::Reply outbound_recipient(std::string_view) {
  return proto::make_reply(proto::code::kOk, proto::enhanced::kRecipientOk, "Recipient ok, will be relayed");
}

}  // namespace claret::smtp::server
