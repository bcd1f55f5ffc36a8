// NOTIFY grammar: RFC 5465 §8 (notify, event-group, filter-mailboxes, events) and §5 event dependencies.
#include "imap/proto/notify_args.hpp"

#include <algorithm>

#include "base/strings.hpp"
#include "imap/proto/mailbox_args.hpp"

namespace claret::imap::proto {
namespace {

using Filter = NotifyEventGroup::Filter;

constexpr std::string_view kEvents[] = {"MessageNew",         "MessageExpunge",        "FlagChange",
                                        "AnnotationChange",   "MailboxName",           "SubscriptionChange",
                                        "MailboxMetadataChange", "ServerMetadataChange", "QuotaChange"};

bool has(const std::vector<std::string>& events, std::string_view name) {
  return std::find(events.begin(), events.end(), name) != events.end();
}

NotifyEventGroup read_group(Cursor& c, const ParseOptions& opt) {
  NotifyEventGroup g;
  c.expect('(');
  std::string_view word = c.atom();
  if (iequals(word, "selected")) {
    g.filter = Filter::selected;
  } else if (iequals(word, "selected-delayed")) {
    g.filter = Filter::selected_delayed;
  } else if (iequals(word, "inboxes")) {
    g.filter = Filter::inboxes;
  } else if (iequals(word, "personal")) {
    g.filter = Filter::personal;
  } else if (iequals(word, "subscribed")) {
    g.filter = Filter::subscribed;
  } else if (iequals(word, "subtree") || iequals(word, "mailboxes")) {
    g.filter = iequals(word, "subtree") ? Filter::subtree : Filter::mailboxes;
    c.sp();
    if (c.peek() == '(')
      c.list([&] { g.mailboxes.push_back(read_mailbox(c, opt)); }, false);
    else
      g.mailboxes.push_back(read_mailbox(c, opt));
  } else if (c.ok()) {
    c.fail("Unknown NOTIFY mailbox filter");
  }
  c.sp();
  if (!c.accept_keyword("NONE")) {
    c.list(
        [&] {
          std::string_view ev = c.atom();
          auto it = std::find_if(std::begin(kEvents), std::end(kEvents),
                                 [&](std::string_view known) { return iequals(known, ev); });
          // event-ext = atom (RFC 5465 §8): an event this server does not know is valid syntax, answered
          // NO [BADEVENT] by the server like any other unsupported event.
          if (it == std::end(kEvents)) {
            if (ev.empty()) c.fail("Expected a NOTIFY event");
            else g.events.emplace_back(ev);
            return;
          }
          g.events.emplace_back(*it);
          if (*it == "MessageNew" && c.peek() == ' ' && c.peek(1) == '(') {
            c.sp();
            c.list([&] { read_fetch_item(c, g.message_new_fetch, false); }, false);
          }
        },
        false);
  }
  c.expect(')');
  if (c.ok()) {
    bool fresh = has(g.events, "MessageNew"), gone = has(g.events, "MessageExpunge"), flags = has(g.events, "FlagChange");
    if (fresh != gone || (flags && !fresh)) c.fail("MessageNew, MessageExpunge and FlagChange must go together");
  }
  return g;
}

}  // namespace

Result<NotifyArgs> parse_notify(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  NotifyArgs a;
  if (c.accept_keyword("NONE")) {
    a.none = true;
  } else {
    c.expect_keyword("SET");
    c.sp();
    if (c.accept_keyword("STATUS")) {
      a.status = true;
      c.sp();
    }
    do a.groups.push_back(read_group(c, opt));
    while (c.ok() && c.accept(' '));
  }
  c.expect_end();
  if (!c.ok()) return c.error();
  return a;
}

}  // namespace claret::imap::proto
