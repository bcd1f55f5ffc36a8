// NOTIFY filters and events (RFC 5465 §5, §6): building the session's settings and matching mailboxes.
#include "imap/server/notify_filter.hpp"

#include "base/strings.hpp"

namespace claret::imap::server {

namespace {

using Filter = proto::NotifyEventGroup::Filter;

std::string canonical(std::string name) { return iequals(name, "INBOX") ? std::string("INBOX") : name; }

bool matches(const NotifyGroup& g, std::string_view name, bool subscribed) {
  switch (g.filter) {
    case Filter::inboxes: return name == "INBOX";  // the only mailbox claret delivers to
    case Filter::personal: return true;             // every mailbox of the account
    case Filter::subscribed: return subscribed;
    case Filter::subtree:
      for (const auto& m : g.mailboxes)
        if (name == m || (name.size() > m.size() && name.substr(0, m.size()) == m && name[m.size()] == '/'))
          return true;
      return false;
    case Filter::mailboxes:
      for (const auto& m : g.mailboxes)
        if (name == m) return true;
      return false;
    case Filter::selected:
    case Filter::selected_delayed: return false;
  }
  return false;
}

// 0 for an event we cannot deliver (AnnotationChange, metadata, QuotaChange).
unsigned event_bit(std::string_view name) {
  if (name == "MessageNew") return notify_event::kMessageNew;
  if (name == "MessageExpunge") return notify_event::kMessageExpunge;
  if (name == "FlagChange") return notify_event::kFlagChange;
  if (name == "MailboxName") return notify_event::kMailboxName;
  if (name == "SubscriptionChange") return notify_event::kSubscriptionChange;
  return 0;
}

}  // namespace

unsigned NotifySettings::events_for(std::string_view name, bool subscribed) const {
  for (const auto& g : others)
    if (matches(g, name, subscribed)) return g.events;
  return 0;
}

unsigned NotifySettings::other_events() const {
  unsigned all = 0;
  for (const auto& g : others) all |= g.events;
  return all;
}

std::string_view supported_notify_events() { return "MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange"; }

NotifyBuild build_notify_settings(const proto::NotifyArgs& args) {
  NotifyBuild out;
  NotifySettings& s = out.settings;
  s.active = !args.none;
  for (const auto& g : args.groups) {
    unsigned events = 0;
    for (const auto& e : g.events) {
      const unsigned bit = event_bit(e);
      if (bit == 0) out.bad_event = true;
      events |= bit;
    }
    const bool is_selected = g.filter == Filter::selected || g.filter == Filter::selected_delayed;
    if (is_selected) {
      if (s.selected) {
        out.error = "SELECTED and SELECTED-DELAYED may be given once";
        return out;
      }
      if (events & notify_event::kMailboxEvents) {
        out.error = "Only message events apply to the selected mailbox";
        return out;
      }
      s.selected = true;
      s.selected_delayed = g.filter == Filter::selected_delayed;
      s.selected_events = events;
      s.message_new_fetch = g.message_new_fetch;
      continue;
    }
    if (!g.message_new_fetch.empty()) {
      out.error = "MessageNew fetch attributes apply only to the selected mailbox";
      return out;
    }
    NotifyGroup group;
    group.filter = g.filter;
    for (const auto& m : g.mailboxes) group.mailboxes.push_back(canonical(m));
    group.events = events;
    s.others.push_back(std::move(group));
  }
  return out;
}

}  // namespace claret::imap::server
