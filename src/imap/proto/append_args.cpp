// APPEND grammar: RFC 9051 §6.3.12 / §9 append, RFC 3502 §6 append-message, RFC 4469 §5 cat-part,
// RFC 3516 §4.4 literal8, RFC 6855 §4 UTF8 (literal8).
#include "imap/proto/append_args.hpp"

#include "imap/proto/flags.hpp"
#include "imap/proto/mailbox_args.hpp"

namespace claret::imap::proto {
namespace {

AppendMessage read_message(Cursor& c) {
  AppendMessage m;
  if (c.peek() == '(') {
    m.flags = read_flag_list(c);
    c.sp();
  }
  if (c.peek() == '"') {
    m.internal_date = read_date_time(c);
    c.sp();
  }
  if (c.accept_keyword("CATENATE")) {
    c.sp();
    std::vector<CatenatePart> parts;
    c.list(
        [&] {
          CatenatePart part;
          if (c.accept_keyword("TEXT")) {
            c.sp();
            if (c.peek() != '{' && c.peek() != '~') {
              c.fail("CATENATE TEXT needs a literal");
              return;
            }
            StringValue v = c.string8();
            part.data = std::move(v.bytes);
            part.binary = v.binary;
          } else if (c.accept_keyword("URL")) {
            part.kind = CatenatePart::Kind::url;
            c.sp();
            part.data = c.astring();
          } else {
            c.fail("Expected TEXT or URL");
          }
          parts.push_back(std::move(part));
        },
        false);
    m.catenate = std::move(parts);
    return m;
  }
  // RFC 6855 §4: "UTF8 (" literal8 ")" after ENABLE UTF8=ACCEPT (the session checks that it is enabled).
  if (c.accept_keyword("UTF8")) {
    c.sp();
    if (c.peek() != '(') {
      c.fail("Expected ( after UTF8");
      return m;
    }
    c.list(
        [&] {
          if (c.peek() != '~') {
            c.fail("UTF8 needs a literal8");
            return;
          }
          StringValue v = c.string8();
          m.data = std::move(v.bytes);
          m.binary = true;
          m.utf8 = true;
        },
        false);
    return m;
  }
  if (c.peek() != '{' && c.peek() != '~') {
    c.fail("APPEND needs a literal");
    return m;
  }
  StringValue v = c.string8();
  m.data = std::move(v.bytes);
  m.binary = v.binary;
  return m;
}

}  // namespace

Result<AppendArgs> parse_append(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  AppendArgs a;
  a.mailbox = read_mailbox(c, opt);
  do {
    c.sp();
    a.messages.push_back(read_message(c));
  } while (c.ok() && !c.at_end());
  c.expect_end();
  if (!c.ok()) return c.error();
  return a;
}

}  // namespace claret::imap::proto
