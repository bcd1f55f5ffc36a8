// Store error → NO [code] text, the same way for every command.
#include "imap/server/store_reply.hpp"

#include "imap/server/error_map.hpp"

namespace claret::imap::server {

void reply_store_error(Session& s, std::string_view tag, const Error& e) {
  ErrorReply r = map_store_error(e, s.cid(), "imap.store.error");
  s.no(tag, r.text, r.code);
}

}  // namespace claret::imap::server
