// What NOTIFY SET asked for (RFC 5465 §3, §6): the selected mailbox's events and fetch attributes, and the event
// groups for other mailboxes, with the filter matching that decides which group a mailbox falls in. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imap/proto/notify_args.hpp"
#include "imap/server/notify_events.hpp"

namespace claret::imap::server {

struct NotifyGroup {
  proto::NotifyEventGroup::Filter filter = proto::NotifyEventGroup::Filter::personal;
  std::vector<std::string> mailboxes;  // subtree / mailboxes, "INBOX" spelled upper case
  unsigned events = 0;
};

struct NotifySettings {
  bool active = false;           // NOTIFY SET in effect
  bool selected = false;         // a SELECTED or SELECTED-DELAYED group
  bool selected_delayed = false;
  unsigned selected_events = 0;
  std::vector<proto::FetchItem> message_new_fetch;  // sent after EXISTS for new messages in the selected mailbox
  std::vector<NotifyGroup> others;                  // in the client's order: the first match wins

  // The events wanted for a mailbox other than the selected one (0: none).
  unsigned events_for(std::string_view name, bool subscribed) const;
  unsigned other_events() const;  // union over `others`
};

// Validates NOTIFY SET's groups beyond the grammar (RFC 5465 §6): an unsupported event (we have no METADATA or
// quota notifications) gives `bad_event`; mailbox events for the selected mailbox, fetch attributes outside it,
// or two selected filters give an `error` (BAD).
struct NotifyBuild {
  NotifySettings settings;
  bool bad_event = false;
  std::string error;
};
NotifyBuild build_notify_settings(const proto::NotifyArgs& args);

// "MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange": for NO [BADEVENT (…)].
std::string_view supported_notify_events();

}  // namespace claret::imap::server
