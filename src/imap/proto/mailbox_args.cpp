// Mailbox command arguments: RFC 9051 §6.3.2-§6.3.11, RFC 7162 §3.1.8/§3.2.5, RFC 6154 §3-4, RFC 5258 §3,
// RFC 5819 §2, RFC 8438, RFC 7889, RFC 8474.
#include "imap/proto/mailbox_args.hpp"

#include "base/strings.hpp"
#include "imap/proto/flags.hpp"
#include "imap/proto/mailbox_name.hpp"

namespace claret::imap::proto {
namespace {

constexpr std::string_view kStatusNames[] = {"MESSAGES", "UIDNEXT",       "UIDVALIDITY", "UNSEEN",    "DELETED",
                                             "SIZE",     "RECENT",        "HIGHESTMODSEQ", "APPENDLIMIT", "MAILBOXID",
                                             "DELETED-STORAGE"};

static_assert(std::size(kStatusNames) == static_cast<std::size_t>(StatusItem::deleted_storage) + 1,
              "kStatusNames must follow StatusItem");

template <typename T>
Result<T> finish(Cursor& c, T value) {
  c.expect_end();
  if (!c.ok()) return c.error();
  return value;
}

// Names, references and patterns alike: modified UTF-7 (or UTF-8 after UTF8=ACCEPT) to UTF-8, INBOX upper-cased.
std::string decode_or_fail(Cursor& c, const std::string& wire, const ParseOptions& opt) {
  if (!c.ok()) return {};
  auto decoded = decode_mailbox(wire, opt.utf8_accept);
  if (!decoded) {
    c.fail(decoded.error().message);
    return {};
  }
  return std::move(decoded.value());
}

QresyncParams read_qresync(Cursor& c, const ParseOptions& opt) {
  QresyncParams q;
  c.expect('(');
  q.uidvalidity = c.nz_number();
  c.sp();
  q.modseq = c.number64();
  if (c.accept(' ')) {
    if (c.peek() != '(') {
      q.known_uids = read_sequence_set(c, opt.limits.max_sequence_ranges, false);
      if (c.peek() == ' ') c.sp();
    }
    if (c.accept('(')) {
      q.known_sequence_set = read_sequence_set(c, opt.limits.max_sequence_ranges, false);
      c.sp();
      q.known_uid_set = read_sequence_set(c, opt.limits.max_sequence_ranges, false);
      c.expect(')');
    }
  }
  c.expect(')');
  return q;
}

}  // namespace

std::string_view status_item_name(StatusItem item) { return kStatusNames[static_cast<std::size_t>(item)]; }

std::string read_mailbox(Cursor& c, const ParseOptions& opt) {
  std::string wire = c.astring();
  return decode_or_fail(c, wire, opt);
}

std::vector<StatusItem> read_status_items(Cursor& c) {
  std::vector<StatusItem> items;
  c.list(
      [&] {
        std::string_view word = c.atom();
        for (std::size_t k = 0; k < std::size(kStatusNames); ++k)
          if (iequals(word, kStatusNames[k])) {
            items.push_back(static_cast<StatusItem>(k));
            return;
          }
        c.fail("Unknown STATUS item");
      },
      false);
  return items;
}

Result<SelectArgs> parse_select(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  SelectArgs a;
  a.mailbox = read_mailbox(c, opt);
  if (c.accept(' ')) {
    c.list(
        [&] {
          if (c.accept_keyword("CONDSTORE")) {
            a.condstore = true;
          } else if (c.accept_keyword("QRESYNC")) {
            c.sp();
            if (a.qresync) c.fail("QRESYNC given twice");
            a.qresync = read_qresync(c, opt);
          } else {
            c.fail("Unknown SELECT parameter");
          }
        },
        false);
  }
  return finish(c, std::move(a));
}

Result<CreateArgs> parse_create(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  CreateArgs a;
  a.mailbox = read_mailbox(c, opt);
  if (c.accept(' ')) {
    c.list(
        [&] {
          c.expect_keyword("USE");
          c.sp();
          c.list([&] {
            if (!c.accept('\\')) {
              c.fail("Expected a special-use attribute");
              return;
            }
            std::string_view name = c.atom();
            a.special_use.push_back(canonical_flag("\\" + std::string(name)));
            // canonical_flag knows the system flags; special-use names get their RFC 6154 case here.
            for (std::string_view known : {"\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash"})
              if (iequals(known, a.special_use.back())) a.special_use.back() = std::string(known);
          });
        },
        false);
  }
  return finish(c, std::move(a));
}

Result<MailboxArgs> parse_mailbox_only(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  MailboxArgs a;
  a.mailbox = read_mailbox(c, opt);
  return finish(c, std::move(a));
}

Result<RenameArgs> parse_rename(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  RenameArgs a;
  a.from = read_mailbox(c, opt);
  c.sp();
  a.to = read_mailbox(c, opt);
  return finish(c, std::move(a));
}

Result<ListArgs> parse_list(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  ListArgs a;
  if (c.peek() == '(') {
    a.extended = true;
    c.list([&] {
      if (c.accept_keyword("SUBSCRIBED"))
        a.select_subscribed = true;
      else if (c.accept_keyword("REMOTE"))
        a.select_remote = true;
      else if (c.accept_keyword("RECURSIVEMATCH"))
        a.select_recursive_match = true;
      else if (c.accept_keyword("SPECIAL-USE"))
        a.select_special_use = true;
      else
        c.fail("Unknown LIST selection option");
    });
    // RFC 5258 §3 (list-select-opts): RECURSIVEMATCH modifies a base option (SUBSCRIBED, or SPECIAL-USE from
    // RFC 6154); alone or with only REMOTE it MUST be rejected with BAD.
    if (c.ok() && a.select_recursive_match && !a.select_subscribed && !a.select_special_use)
      c.fail("RECURSIVEMATCH needs SUBSCRIBED or SPECIAL-USE");
    c.sp();
  }
  a.reference = decode_or_fail(c, c.astring(), opt);
  c.sp();
  if (c.peek() == '(') {
    a.extended = true;
    c.list([&] { a.patterns.push_back(decode_or_fail(c, c.list_mailbox(), opt)); }, false);
  } else {
    a.patterns.push_back(decode_or_fail(c, c.list_mailbox(), opt));
  }
  if (c.accept(' ')) {
    a.extended = true;
    c.expect_keyword("RETURN");
    c.sp();
    c.list([&] {
      if (c.accept_keyword("SUBSCRIBED")) {
        a.return_subscribed = true;
      } else if (c.accept_keyword("CHILDREN")) {
        a.return_children = true;
      } else if (c.accept_keyword("SPECIAL-USE")) {
        a.return_special_use = true;
      } else if (c.accept_keyword("STATUS")) {
        c.sp();
        a.return_status = read_status_items(c);
      } else {
        c.fail("Unknown LIST return option");
      }
    });
  }
  return finish(c, std::move(a));
}

Result<ListArgs> parse_lsub(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  ListArgs a;
  a.lsub = true;
  a.select_subscribed = true;
  a.reference = decode_or_fail(c, c.astring(), opt);
  c.sp();
  a.patterns.push_back(decode_or_fail(c, c.list_mailbox(), opt));
  return finish(c, std::move(a));
}

Result<StatusArgs> parse_status(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  StatusArgs a;
  a.mailbox = read_mailbox(c, opt);
  c.sp();
  a.items = read_status_items(c);
  return finish(c, std::move(a));
}

}  // namespace claret::imap::proto
