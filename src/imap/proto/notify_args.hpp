// NOTIFY arguments (RFC 5465 §8 formal syntax): NOTIFY NONE / NOTIFY SET [STATUS] event-groups.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/fetch_args.hpp"
#include "imap/proto/parse_options.hpp"

namespace claret::imap::proto {

struct NotifyEventGroup {
  enum class Filter : std::uint8_t { selected, selected_delayed, inboxes, personal, subscribed, subtree, mailboxes };
  Filter filter = Filter::selected;
  std::vector<std::string> mailboxes;  // subtree / mailboxes: UTF-8 names
  // Canonical event names ("MessageNew", "FlagChange", …; unknown ones as written); empty with events NONE.
  std::vector<std::string> events;
  std::vector<FetchItem> message_new_fetch;  // MessageNew (fetch-att …)
};

struct NotifyArgs {
  bool none = false;    // NOTIFY NONE
  bool status = false;  // NOTIFY SET STATUS: send STATUS for the mailboxes right away
  std::vector<NotifyEventGroup> groups;
};

// RFC 5465 §5: MessageNew, MessageExpunge and FlagChange go together (the first two both or neither, and
// FlagChange needs them); violations are BAD.
Result<NotifyArgs> parse_notify(std::string_view args, const ParseOptions& opt);

}  // namespace claret::imap::proto
