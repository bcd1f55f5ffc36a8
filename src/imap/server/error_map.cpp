// Store error codes → IMAP NO responses with RFC 5530 response codes.
#include "imap/server/error_map.hpp"

#include "base/log.hpp"
#include "imap/proto/response.hpp"
#include "imap/proto/response_codes.hpp"
#include "store/errc.hpp"

namespace claret::imap::server {

ErrorReply map_store_error(const Error& e, std::uint64_t cid, std::string_view event) {
  using store::Errc;
  switch (static_cast<Errc>(e.code)) {
    case Errc::not_found: return {proto::response_code("NONEXISTENT"), "No such mailbox or message"};
    case Errc::exists: return {proto::response_code("ALREADYEXISTS"), "Mailbox already exists"};
    case Errc::invalid: return {proto::response_code("CANNOT"), "Operation not permitted: " + e.message};
    case Errc::over_quota: return {proto::response_code("OVERQUOTA"), "Quota exceeded"};
    case Errc::conflict: return {proto::response_code("INUSE"), "Conflicting change, try again"};
    case Errc::internal: break;
  }
  log::error(std::string(event), {{"cid", cid}, {"code", e.code}, {"error", e.message}});
  return {proto::response_code("SERVERBUG"), "Internal error"};
}

}  // namespace claret::imap::server
