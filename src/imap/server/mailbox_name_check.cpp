// CREATE/RENAME target names (RFC 9051 §6.3.4, §6.3.6).
#include "imap/server/mailbox_name_check.hpp"

#include "imap/proto/mailbox_name.hpp"

namespace claret::imap::server {

Result<std::string> creatable_name(std::string name) {
  if (name.size() > 1 && name.back() == proto::kHierarchySeparator) name.pop_back();
  auto st = proto::validate_mailbox_name(name);
  if (!st) return st.error();
  return proto::normalize_inbox(std::move(name));
}

}  // namespace claret::imap::server
