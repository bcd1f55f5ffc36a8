// ImapClient: framing responses off the connection, tags, literals (synchronising or LITERAL+), STARTTLS
// (RFC 9051 §6.2.1: capabilities are forgotten after it), and the command helpers the webmail uses.
#include "imap/client/client.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "base/base64.hpp"
#include "io/connect.hpp"
#include "io/connection.hpp"
#include "io/errors.hpp"

namespace claret::imap::client {

namespace {

using boost::asio::awaitable;

constexpr std::size_t kMaxLine = 8u << 20;

Error lost(const Error& e) {
  return Error{kConnectionFailed, "connection to the IMAP server failed: " + e.message};
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string too_large_text(std::uint64_t limit) {
  return "message too large (limit " + std::to_string(limit) + " bytes)";
}

bool is_code(std::string_view name, std::string_view want) {
  return name.size() == want.size() &&
         std::equal(name.begin(), name.end(), want.begin(), [](char a, char b) {
           return std::toupper(static_cast<unsigned char>(a)) == b;
         });
}

std::string flag_list(const std::vector<std::string>& flags) {
  std::string out = "(";
  for (const auto& f : flags) {
    if (out.size() > 1) out += ' ';
    out += f;
  }
  return out + ")";
}

// Flags are atoms ("\\Seen", "$Label"); anything else would break the command syntax.
bool valid_flag(std::string_view f) {
  if (f.empty()) return false;
  for (std::size_t i = 0; i < f.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(f[i]);
    if (c <= 0x20 || c >= 0x7f || c == '(' || c == ')' || c == '{' || c == '"' || c == '%' || c == '*' ||
        c == ']' || (c == '\\' && i != 0))
      return false;
  }
  return true;
}

}  // namespace

ImapClient::ImapClient(std::unique_ptr<io::Connection> conn, ClientOptions options)
    : conn_(std::move(conn)), options_(std::move(options)) {}

ImapClient::~ImapClient() = default;

bool ImapClient::has_capability(std::string_view cap) const {
  auto want = upper(std::string(cap));
  return std::find(caps_.begin(), caps_.end(), want) != caps_.end();
}

std::optional<std::uint64_t> ImapClient::append_limit() const {
  constexpr std::string_view kPrefix = "APPENDLIMIT=";
  for (const auto& c : caps_) {
    if (c.size() <= kPrefix.size() || c.compare(0, kPrefix.size(), kPrefix) != 0) continue;
    std::uint64_t n = 0;
    auto digits = std::string_view(c).substr(kPrefix.size());
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && end == digits.data() + digits.size()) return n;
  }
  return std::nullopt;  // absent, or a bare APPENDLIMIT (limits per mailbox only)
}

awaitable<Result<std::unique_ptr<ImapClient>>> ImapClient::connect(ClientOptions options) {
  io::ConnectOptions co;
  co.host = options.host;
  co.port = options.port;
  co.implicit_tls = options.security == Security::implicit_tls;
  if (options.security != Security::plaintext) {
    if (!options.tls) co_return Error{kConnectionFailed, "IMAP over TLS needs a TLS client context"};
    co.tls = options.tls;
  }
  co.connect_timeout = options.connect_timeout;
  co.idle_timeout = options.command_timeout;
  auto conn = co_await io::connect(std::move(co));
  if (!conn) co_return lost(conn.error());
  std::unique_ptr<ImapClient> client(new ImapClient(std::move(*conn), std::move(options)));
  auto st = co_await client->greeting_and_tls();
  if (!st) {
    co_await client->conn_->close();
    co_return st.error();
  }
  co_return std::move(client);
}

awaitable<Status> ImapClient::greeting_and_tls() {
  conn_->set_deadline(options_.command_timeout);
  auto greeting = co_await read_response();
  conn_->clear_deadline();
  if (!greeting) co_return greeting.error();
  if (greeting->kind != Response::Kind::untagged ||
      (greeting->status != RespStatus::ok && greeting->status != RespStatus::preauth))
    co_return Error{kConnectionFailed, "IMAP server refused the connection: " + greeting->text};
  note(*greeting);
  if (options_.security == Security::starttls) {
    if (caps_.empty()) {
      auto st = co_await refresh_capabilities();
      if (!st) co_return st;
    }
    if (!has_capability("STARTTLS")) co_return Error{kConnectionFailed, "IMAP server does not offer STARTTLS"};
    auto r = co_await run(Command("STARTTLS"));
    if (!r) co_return r.error();
    if (r->status != RespStatus::ok) co_return Error{kConnectionFailed, "STARTTLS refused: " + r->text};
    auto tls = co_await conn_->start_tls();
    if (!tls) {
      usable_ = false;
      co_return lost(tls.error());
    }
    caps_.clear();
  }
  if (caps_.empty()) co_return co_await refresh_capabilities();
  co_return Status{};
}

awaitable<Result<Response>> ImapClient::read_response() {
  ResponseFramer framer;
  for (;;) {
    auto line = co_await conn_->read_line(kMaxLine);
    if (!line) {
      usable_ = false;
      co_return lost(line.error());
    }
    auto need = framer.feed_line(*line);
    if (!need) {
      usable_ = false;
      co_return Error{kProtocolError, need.error().message};
    }
    if (!need->has_value()) break;
    auto bytes = co_await conn_->read_exact(**need);
    if (!bytes) {
      usable_ = false;
      co_return lost(bytes.error());
    }
    framer.feed_literal(*bytes);
  }
  auto r = parse_response(framer.take());
  if (!r) {
    usable_ = false;
    co_return Error{kProtocolError, r.error().message};
  }
  co_return std::move(*r);
}

namespace {

// The MODSEQ of a FETCH response ("* 5 FETCH (… MODSEQ (12) …)"), without parsing the other items.
std::optional<std::uint64_t> fetch_modseq(const Response& r) {
  if (r.data.empty() || !r.data[0].is_list()) return std::nullopt;
  const auto& items = r.data[0].items;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    if (!items[i].is_atom() || !is_code(items[i].text, "MODSEQ")) continue;
    const auto& v = items[i + 1];
    if (v.is_list() && v.items.size() == 1) return v.items[0].number();
  }
  return std::nullopt;
}

}  // namespace

void ImapClient::note(const Response& r) {
  if (r.code.name == "CAPABILITY") caps_ = parse_capabilities(r.code.args);
  if (r.kind != Response::Kind::untagged) return;
  if (r.name == "CAPABILITY") caps_ = parse_capabilities(r.data);
  if (r.status == RespStatus::bye) usable_ = false;
  // Changes to the selected mailbox (MailboxView). Anything that might be one counts: a spurious bump only
  // costs a cache miss upstream, a missed one would show stale data.
  if (r.name == "EXISTS" && r.number) {
    if (*r.number != view_.exists) ++view_.version;
    view_.exists = *r.number;
  } else if (r.name == "EXPUNGE" || r.name == "VANISHED") {
    if (r.name == "EXPUNGE" && view_.exists > 0) --view_.exists;
    ++view_.version;
  } else if (r.name == "FETCH") {
    auto m = fetch_modseq(r);
    if (m && *m > view_.highestmodseq) {
      view_.highestmodseq = *m;
      ++view_.version;
    }
  }
  if (r.code.name == "HIGHESTMODSEQ" && !r.code.args.empty()) {
    auto m = r.code.args[0].number().value_or(0);
    if (m > view_.highestmodseq) {
      view_.highestmodseq = m;
      ++view_.version;
    }
  }
}

awaitable<Status> ImapClient::send_literal_and_wait(const std::string& bytes, bool synchronising,
                                                    CommandResult& collect) {
  if (synchronising) {
    for (;;) {
      auto r = co_await read_response();
      if (!r) co_return r.error();
      if (r->kind == Response::Kind::continuation) break;
      if (r->kind == Response::Kind::tagged) {
        // The server refused the literal (e.g. too large): the command is over.
        collect.status = r->status;
        collect.code = r->code;
        collect.text = r->text;
        co_return Status{};
      }
      note(*r);
      collect.untagged.push_back(std::move(*r));
    }
  }
  conn_->enqueue(bytes);
  co_return Status{};
}

awaitable<Result<CommandResult>> ImapClient::run(const Command& command) {
  if (!usable_) co_return Error{kConnectionFailed, "the IMAP connection is closed"};
  std::string tag = "C" + std::to_string(next_tag_++);
  CommandResult result;
  conn_->set_deadline(options_.command_timeout);
  const auto& pieces = command.pieces();
  const auto& literals = command.literals();
  // Non-synchronising literals only up to 4096 bytes even with LITERAL+ (the LITERAL- rule, RFC 7888 §5): a
  // server over its APPENDLIMIT answers a large one with BAD and BYE, after the bytes are on their way; a
  // synchronising literal lets it say NO [TOOBIG] first. Never one over a known APPENDLIMIT.
  bool nonsync_ok = has_capability("LITERAL+") || has_capability("LITERAL-");
  auto limit = append_limit();
  std::string out = tag + " ";
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    out += pieces[i];
    if (i >= literals.size()) break;
    bool nonsync = nonsync_ok && literals[i].size() <= 4096 && (!limit || literals[i].size() <= *limit);
    out += "{" + std::to_string(literals[i].size()) + (nonsync ? "+}\r\n" : "}\r\n");
    conn_->enqueue(out);
    out.clear();
    if (!nonsync) {
      auto st = co_await conn_->flush();
      if (!st) {
        usable_ = false;
        conn_->clear_deadline();
        co_return lost(st.error());
      }
    }
    auto sent = co_await send_literal_and_wait(literals[i], !nonsync, result);
    if (!sent) {
      conn_->clear_deadline();
      co_return sent.error();
    }
    if (result.status != RespStatus::none) {
      conn_->clear_deadline();
      co_return result;
    }
  }
  out += "\r\n";
  auto st = co_await conn_->write(out);
  if (!st) {
    usable_ = false;
    conn_->clear_deadline();
    co_return lost(st.error());
  }
  for (;;) {
    auto r = co_await read_response();
    if (!r) {
      conn_->clear_deadline();
      co_return r.error();
    }
    note(*r);
    if (r->kind == Response::Kind::tagged) {
      if (r->tag != tag) continue;  // not ours (cannot happen without pipelining); ignore
      result.status = r->status;
      result.code = std::move(r->code);
      result.text = std::move(r->text);
      break;
    }
    if (r->kind == Response::Kind::continuation) {
      usable_ = false;
      conn_->clear_deadline();
      co_return Error{kProtocolError, "unexpected continuation request from the IMAP server"};
    }
    result.untagged.push_back(std::move(*r));
  }
  conn_->clear_deadline();
  co_return result;
}

Status ImapClient::check(const CommandResult& r, std::string_view what) const {
  if (r.status == RespStatus::ok) return {};
  std::string msg = std::string(what) + ": " + (r.text.empty() ? std::string(status_name(r.status)) : r.text);
  if (r.code.name == "NONEXISTENT" || r.code.name == "TRYCREATE") return Error{kNonexistent, msg};
  return Error{r.status == RespStatus::no ? kRefused : kBadCommand, msg};
}

awaitable<Status> ImapClient::refresh_capabilities() {
  auto r = co_await run(Command("CAPABILITY"));
  if (!r) co_return r.error();
  co_return check(*r, "CAPABILITY");
}

awaitable<Status> ImapClient::login(std::string user, std::string password) {
  Command cmd;
  bool plain = has_capability("AUTH=PLAIN");
  if (plain && has_capability("SASL-IR")) {
    std::string creds;
    creds += '\0';
    creds += user;
    creds += '\0';
    creds += password;
    cmd = Command("AUTHENTICATE PLAIN");
    cmd.atom(base64_encode(creds));
  } else if (!has_capability("LOGINDISABLED")) {
    cmd = Command("LOGIN");
    cmd.string(user).string(password);
  } else {
    co_return Error{kAuthenticationFailed, "the IMAP server allows neither LOGIN nor AUTHENTICATE PLAIN with SASL-IR"};
  }
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  if (r->status != RespStatus::ok)
    co_return Error{r->status == RespStatus::no ? kAuthenticationFailed : kBadCommand,
                    r->text.empty() ? "authentication failed" : r->text};
  if (r->code.name != "CAPABILITY") {
    auto st = co_await refresh_capabilities();
    if (!st) co_return st;
  }
  co_return Status{};
}

awaitable<Result<std::vector<MailboxInfo>>> ImapClient::list() {
  bool extended = has_capability("LIST-EXTENDED");
  bool list_status = has_capability("LIST-STATUS");
  Command cmd("LIST \"\" \"*\"");
  if (extended) {
    std::string ret = "RETURN (SUBSCRIBED CHILDREN";
    if (has_capability("SPECIAL-USE")) ret += " SPECIAL-USE";
    if (list_status) ret += " STATUS (MESSAGES UNSEEN)";
    cmd.atom(ret + ")");
  }
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  auto st = check(*r, "LIST");
  if (!st) co_return st.error();
  std::vector<MailboxInfo> out;
  std::vector<StatusData> statuses;
  for (const auto& u : r->untagged) {
    if (u.name == "LIST") {
      auto e = parse_list(u);
      if (!e) co_return Error{kProtocolError, e.error().message};
      MailboxInfo m;
      m.entry = std::move(*e);
      m.subscribed = !extended || m.entry.has_attribute("\\Subscribed");
      // RFC 5258 §3: \NonExistent entries only report subscriptions or children.
      if (m.entry.has_attribute("\\NonExistent")) continue;
      out.push_back(std::move(m));
    } else if (u.name == "STATUS") {
      auto s = parse_status(u);
      if (s) statuses.push_back(std::move(*s));
    }
  }
  for (auto& m : out)
    for (auto& s : statuses)
      if (s.name == m.entry.name) m.status = s;
  if (!list_status) {
    for (auto& m : out) {
      if (m.entry.has_attribute("\\Noselect") || m.entry.has_attribute("\\NonExistent")) continue;
      Command sc("STATUS");
      sc.string(m.entry.name).atom("(MESSAGES UNSEEN)");
      auto sr = co_await run(sc);
      if (!sr) co_return sr.error();
      if (sr->status != RespStatus::ok) continue;  // vanished meanwhile
      for (const auto& u : sr->untagged)
        if (u.name == "STATUS")
          if (auto s = parse_status(u)) m.status = std::move(*s);
    }
  }
  co_return out;
}

awaitable<Result<SelectInfo>> ImapClient::select(std::string mailbox, bool read_only, bool condstore) {
  Command cmd(read_only ? "EXAMINE" : "SELECT");
  cmd.mailbox(mailbox, utf8_accept_);
  condstore = condstore && has_capability("CONDSTORE");
  if (condstore) cmd.atom("(CONDSTORE)");
  selected_.clear();
  view_.condstore = false;
  ++view_.version;
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  auto st = check(*r, read_only ? "EXAMINE" : "SELECT");
  if (!st) co_return st.error();
  SelectInfo info;
  info.read_only = read_only || r->code.name == "READ-ONLY";
  for (const auto& u : r->untagged) {
    if (u.name == "EXISTS" && u.number) info.exists = *u.number;
    if (u.name == "FLAGS" && !u.data.empty() && u.data[0].is_list())
      for (const auto& f : u.data[0].items) info.flags.push_back(f.text);
    auto arg = [&]() -> std::uint64_t { return u.code.args.empty() ? 0 : u.code.args[0].number().value_or(0); };
    if (u.code.name == "UIDVALIDITY") info.uidvalidity = static_cast<std::uint32_t>(arg());
    if (u.code.name == "UIDNEXT") info.uidnext = static_cast<std::uint32_t>(arg());
    if (u.code.name == "HIGHESTMODSEQ") info.highestmodseq = arg();
    if (u.code.name == "NOMODSEQ") condstore = false;
  }
  selected_ = mailbox;
  view_.exists = info.exists;
  view_.highestmodseq = info.highestmodseq;
  view_.condstore = condstore && info.highestmodseq > 0;
  ++view_.version;
  co_return info;
}

awaitable<Result<std::vector<FetchData>>> ImapClient::uid_fetch(std::string uid_set, std::string items) {
  Command cmd("UID FETCH");
  cmd.atom(uid_set).atom(items);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  auto st = check(*r, "FETCH");
  if (!st) co_return st.error();
  std::vector<FetchData> out;
  for (const auto& u : r->untagged) {
    if (u.name != "FETCH" || !u.number || u.data.empty()) continue;
    auto f = parse_fetch(*u.number, u.data[0]);
    if (!f) co_return Error{kProtocolError, f.error().message};
    if (f->uid) out.push_back(std::move(*f));
  }
  co_return out;
}

awaitable<Result<std::vector<std::uint32_t>>> ImapClient::uid_search(Command criteria) {
  Command cmd("UID SEARCH");
  if (criteria.has_literals()) cmd.atom("CHARSET UTF-8");
  cmd.append(criteria);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  auto st = check(*r, "SEARCH");
  if (!st) co_return st.error();
  std::vector<std::uint32_t> ids;
  for (const auto& u : r->untagged) {
    if (u.name != "SEARCH" && u.name != "ESEARCH") continue;
    auto s = u.name == "SEARCH" ? parse_search(u) : parse_esearch(u);
    if (!s) co_return Error{kProtocolError, s.error().message};
    ids.insert(ids.end(), s->ids.begin(), s->ids.end());
  }
  std::sort(ids.begin(), ids.end());
  co_return ids;
}

awaitable<Result<std::vector<std::uint32_t>>> ImapClient::uid_sort(std::string sort_keys, Command criteria) {
  Command cmd("UID SORT");
  cmd.atom(sort_keys).atom("UTF-8").append(criteria);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  auto st = check(*r, "SORT");
  if (!st) co_return st.error();
  std::vector<std::uint32_t> ids;
  for (const auto& u : r->untagged) {
    if (u.name != "SORT") continue;
    auto s = parse_search(u);
    if (!s) co_return Error{kProtocolError, s.error().message};
    ids.insert(ids.end(), s->ids.begin(), s->ids.end());
  }
  co_return ids;
}

awaitable<Result<std::vector<ThreadNode>>> ImapClient::uid_thread(std::string algorithm, Command criteria) {
  Command cmd("UID THREAD");
  cmd.atom(algorithm).atom("UTF-8").append(criteria);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  auto st = check(*r, "THREAD");
  if (!st) co_return st.error();
  std::vector<ThreadNode> out;
  for (const auto& u : r->untagged) {
    if (u.name != "THREAD") continue;
    auto t = parse_thread(u);
    if (!t) co_return Error{kProtocolError, t.error().message};
    out.insert(out.end(), t->begin(), t->end());
  }
  co_return out;
}

awaitable<Status> ImapClient::uid_store(std::string uid_set, std::string action, std::vector<std::string> flags) {
  for (const auto& f : flags)
    if (!valid_flag(f)) co_return Error{kBadCommand, "invalid flag '" + f + "'"};
  Command cmd("UID STORE");
  cmd.atom(uid_set).atom(action).atom(flag_list(flags));
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  co_return check(*r, "STORE");
}

awaitable<Result<std::optional<CopyUid>>> ImapClient::uid_copy(std::string uid_set, std::string to) {
  Command cmd("UID COPY");
  cmd.atom(uid_set).mailbox(to, utf8_accept_);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  auto st = check(*r, "COPY");
  if (!st) co_return st.error();
  co_return parse_copyuid(r->code);
}

awaitable<Status> ImapClient::uid_move(std::string uid_set, std::string to) {
  if (has_capability("MOVE")) {
    Command cmd("UID MOVE");
    cmd.atom(uid_set).mailbox(to, utf8_accept_);
    auto r = co_await run(cmd);
    if (!r) co_return r.error();
    co_return check(*r, "MOVE");
  }
  auto copied = co_await uid_copy(uid_set, to);
  if (!copied) co_return copied.error();
  std::vector<std::string> deleted{std::string("\\Deleted")};
  auto stored = co_await uid_store(uid_set, "+FLAGS.SILENT", deleted);
  if (!stored) co_return stored;
  co_return co_await uid_expunge(uid_set);
}

awaitable<Status> ImapClient::uid_expunge(std::string uid_set) {
  // Without UIDPLUS only a plain EXPUNGE exists, which also removes other messages marked \Deleted.
  Command cmd(has_capability("UIDPLUS") ? "UID EXPUNGE" : "EXPUNGE");
  if (has_capability("UIDPLUS")) cmd.atom(uid_set);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  co_return check(*r, "EXPUNGE");
}

awaitable<Result<std::optional<AppendUid>>> ImapClient::append(std::string mailbox, std::vector<std::string> flags,
                                                               std::string message) {
  for (const auto& f : flags)
    if (!valid_flag(f)) co_return Error{kBadCommand, "invalid flag '" + f + "'"};
  Command cmd("APPEND");
  cmd.mailbox(mailbox, utf8_accept_);
  if (!flags.empty()) cmd.atom(flag_list(flags));
  // Refused here rather than by a server that would drop the connection (RFC 7889 §3).
  if (auto limit = append_limit(); limit && message.size() > *limit)
    co_return Error{kTooLarge, too_large_text(*limit)};
  cmd.literal(message);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  if (r->status == RespStatus::no && is_code(r->code.name, "TOOBIG")) {
    auto limit = append_limit();
    co_return Error{kTooLarge, limit ? too_large_text(*limit) : "message too large: " + r->text};
  }
  auto st = check(*r, "APPEND");
  if (!st) co_return st.error();
  co_return parse_appenduid(r->code);
}

awaitable<Status> ImapClient::create(std::string mailbox) {
  Command cmd("CREATE");
  cmd.mailbox(mailbox, utf8_accept_);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  co_return check(*r, "CREATE");
}

awaitable<Status> ImapClient::rename(std::string from, std::string to) {
  Command cmd("RENAME");
  cmd.mailbox(from, utf8_accept_).mailbox(to, utf8_accept_);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  co_return check(*r, "RENAME");
}

awaitable<Status> ImapClient::remove(std::string mailbox) {
  if (selected_ == mailbox) {
    // Deleting the selected mailbox is allowed but leaves the session in a state some servers dislike.
    auto left = co_await unselect();
    if (!left) co_return left;
  }
  Command cmd("DELETE");
  cmd.mailbox(mailbox, utf8_accept_);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  co_return check(*r, "DELETE");
}

awaitable<Status> ImapClient::subscribe(std::string mailbox, bool subscribe) {
  Command cmd(subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE");
  cmd.mailbox(mailbox, utf8_accept_);
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  co_return check(*r, subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE");
}

awaitable<Status> ImapClient::unselect() {
  if (selected_.empty()) co_return Status{};
  Command cmd("UNSELECT");
  if (!has_capability("UNSELECT")) {
    cmd = Command("EXAMINE");
    cmd.string("claret-webmail-unselect-7f3a9c");  // does not exist: refused, and a refused EXAMINE deselects
  }
  auto r = co_await run(cmd);
  if (!r) co_return r.error();
  selected_.clear();
  view_.condstore = false;
  ++view_.version;
  co_return Status{};
}

awaitable<Status> ImapClient::noop() {
  auto r = co_await run(Command("NOOP"));
  if (!r) co_return r.error();
  co_return check(*r, "NOOP");
}

awaitable<Result<std::vector<Response>>> ImapClient::idle(std::chrono::milliseconds timeout) {
  if (!has_capability("IDLE")) {
    auto r = co_await run(Command("NOOP"));
    if (!r) co_return r.error();
    co_return std::move(r->untagged);
  }
  if (!usable_) co_return Error{kConnectionFailed, "the IMAP connection is closed"};
  std::string tag = "C" + std::to_string(next_tag_++);
  std::vector<Response> seen;
  conn_->set_deadline(options_.command_timeout);
  auto sent = co_await conn_->write(tag + " IDLE\r\n");
  if (!sent) {
    usable_ = false;
    co_return lost(sent.error());
  }
  for (;;) {
    auto r = co_await read_response();
    if (!r) co_return r.error();
    if (r->kind == Response::Kind::continuation) break;
    if (r->kind == Response::Kind::tagged) {
      conn_->clear_deadline();
      if (r->status != RespStatus::ok) co_return Error{kRefused, "IDLE: " + r->text};
      co_return seen;
    }
    note(*r);
    seen.push_back(std::move(*r));
  }
  // Wait for an update, bounded by `timeout`: a read deadline that expires is the normal "nothing happened".
  auto until = std::chrono::steady_clock::now() + timeout;
  // A server may flush pending updates before its "+ idling" (claret does): they count, so DONE comes at once.
  bool got_update = false;
  for (const Response& r : seen)
    if (r.kind == Response::Kind::untagged && (r.number || r.name == "VANISHED")) got_update = true;
  while (!got_update) {
    auto left = until - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    conn_->set_deadline(left);
    auto line = co_await conn_->read_line(kMaxLine);
    if (!line) {
      if (io::is(line.error(), io::IoErrc::timeout)) break;
      usable_ = false;
      co_return lost(line.error());
    }
    ResponseFramer framer;
    auto need = framer.feed_line(*line);
    if (!need || need->has_value()) {
      // Updates during IDLE carry no literals; anything else is unexpected here.
      usable_ = false;
      co_return Error{kProtocolError, "unexpected data from the IMAP server during IDLE"};
    }
    auto parsed = parse_response(framer.take());
    if (!parsed) {
      usable_ = false;
      co_return Error{kProtocolError, parsed.error().message};
    }
    note(*parsed);
    if (parsed->kind == Response::Kind::untagged && (parsed->number || parsed->name == "VANISHED")) got_update = true;
    if (parsed->status == RespStatus::bye) got_update = true;
    seen.push_back(std::move(*parsed));
  }
  conn_->set_deadline(options_.command_timeout);
  auto done = co_await conn_->write("DONE\r\n");
  if (!done) {
    usable_ = false;
    co_return lost(done.error());
  }
  for (;;) {
    auto r = co_await read_response();
    if (!r) co_return r.error();
    note(*r);
    if (r->kind == Response::Kind::tagged) break;
    seen.push_back(std::move(*r));
  }
  conn_->clear_deadline();
  co_return seen;
}

awaitable<void> ImapClient::logout() {
  if (usable_) {
    conn_->set_deadline(std::chrono::seconds(5));
    auto r = co_await run(Command("LOGOUT"));
    (void)r;
  }
  usable_ = false;
  co_await conn_->close();
}

}  // namespace claret::imap::client
