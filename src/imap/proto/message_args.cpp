// STORE, COPY, MOVE, UID EXPUNGE grammar: RFC 9051 §6.4.6-§6.4.9 and §9 store-att-flags; RFC 7162 §3.1.3;
// RFC 6851 §3; RFC 4315 §2.1.
#include "imap/proto/message_args.hpp"

#include "base/strings.hpp"
#include "imap/proto/flags.hpp"
#include "imap/proto/mailbox_args.hpp"

namespace claret::imap::proto {

Result<StoreArgs> parse_store(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  StoreArgs a;
  a.set = read_sequence_set(c, opt.limits.max_sequence_ranges, true);
  c.sp();
  if (c.peek() == '(') {
    c.list(
        [&] {
          c.expect_keyword("UNCHANGEDSINCE");
          c.sp();
          a.unchanged_since = c.number64();
        },
        false);
    c.sp();
  }
  if (c.accept('+'))
    a.op = StoreArgs::Op::add;
  else if (c.accept('-'))
    a.op = StoreArgs::Op::remove;
  if (c.accept_keyword("FLAGS.SILENT"))
    a.silent = true;
  else
    c.expect_keyword("FLAGS");
  c.sp();
  // (flag-list / (flag *(SP flag))): RFC 9051 allows the flags without parentheses.
  if (c.peek() == '(') {
    a.flags = read_flag_list(c);
  } else {
    a.flags.push_back(read_flag(c));
    while (c.ok() && c.accept(' ')) a.flags.push_back(read_flag(c));
  }
  c.expect_end();
  if (!c.ok()) return c.error();
  return a;
}

Result<CopyArgs> parse_copy(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  CopyArgs a;
  a.set = read_sequence_set(c, opt.limits.max_sequence_ranges, true);
  c.sp();
  a.mailbox = read_mailbox(c, opt);
  c.expect_end();
  if (!c.ok()) return c.error();
  return a;
}

Result<UidExpungeArgs> parse_uid_expunge(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  UidExpungeArgs a;
  a.uids = read_sequence_set(c, opt.limits.max_sequence_ranges, true);
  c.expect_end();
  if (!c.ok()) return c.error();
  return a;
}

}  // namespace claret::imap::proto
