// IMAP session: greeting, the read loop (lines, literals with "+ " continuations, LITERAL-), the state and
// capability gate, one dispatch point, unsolicited updates, BYE on shutdown and timeout, and the error limit
// (RFC 9051 §2.2, §3, §5.4 autologout, §7.1.5 BYE, §7.5 continuation; RFC 7888 LITERAL-).
#include "imap/server/session.hpp"

#include <algorithm>
#include <chrono>

#include <boost/asio/this_coro.hpp>

#include "base/log.hpp"
#include "base/strings.hpp"
#include "imap/proto/error_response.hpp"
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/error_map.hpp"
#include "io/errors.hpp"
#include "io/pause.hpp"
#include "io/offload.hpp"
#include "imap/server/flags.hpp"
#include "imap/server/notify_report.hpp"
#include "imap/server/recent.hpp"

namespace claret::imap::server {

namespace {

struct TrailingLiteral {
  bool found = false;
  bool non_sync = false;
  std::uint64_t size = 0;
};

// "{n}", "{n+}" or "~{n}" at the end of a line (RFC 9051 §4.3, RFC 7888): how many raw bytes follow it.
TrailingLiteral trailing_literal(std::string_view line) {
  TrailingLiteral t;
  if (line.empty() || line.back() != '}') return t;
  std::size_t open = line.rfind('{');
  if (open == std::string_view::npos) return t;
  std::string_view inner = line.substr(open + 1, line.size() - open - 2);
  if (!inner.empty() && inner.back() == '+') {
    t.non_sync = true;
    inner.remove_suffix(1);
  }
  if (inner.empty() || inner.size() > 19) return t;
  for (char c : inner)
    if (c < '0' || c > '9') return t;
  auto n = parse_u64(inner);
  if (!n) return t;
  t.found = true;
  t.size = *n;
  return t;
}

// The largest message APPEND takes: the literal limit, and no more than SMTP would accept (APPENDLIMIT, RFC 7889).
std::uint64_t append_limit_of(const config::Config& c) {
  return std::min<std::uint64_t>(c.imap.max_literal_size, c.smtp.max_message_size);
}

// LITERAL- before login (RFC 7888 §4: non-synchronizing literals up to 4096 bytes, enough for LOGIN), LITERAL+
// after it: an unauthenticated client cannot make the server read large literals without a "+" first.
proto::Limits receiver_limits(const config::Config& c, bool literal_plus) {
  const config::ImapLimits& l = c.imap;
  proto::Limits limits;
  limits.max_line = l.max_line_length;
  limits.max_literal = append_limit_of(c);
  limits.max_command = limits.max_literal + 16ull * l.max_line_length;
  limits.literal_plus = literal_plus;
  return limits;
}

}  // namespace

Session::Session(Services& services, io::Connection& conn, io::SessionContext& ctx)
    : services_(services), conn_(conn), ctx_(ctx), receiver_(receiver_limits(services.config, false)) {
  opts_.limits = receiver_limits(services.config, false);
}

std::uint64_t Session::append_limit() const { return append_limit_of(services_.config); }

std::uint8_t Session::state_bit() const {
  switch (state) {
    case State::not_authenticated: return proto::kNotAuthenticated;
    case State::authenticated: return proto::kAuthenticated;
    case State::selected: return proto::kSelected;
    case State::logout: return proto::kLogout;
  }
  return proto::kLogout;
}

void Session::send(std::string_view response) { conn_.enqueue(response); }

void Session::send_owned(std::string response) { conn_.enqueue_owned(std::move(response)); }

void Session::ok(std::string_view tag, std::string_view text, std::string_view code) {
  log::debug("imap.command.done", {{"cid", cid()}, {"cmd", current_verb}, {"result", "OK"}});
  conn_.enqueue(proto::tagged(tag, proto::Condition::ok, code, text));
}

void Session::no(std::string_view tag, std::string_view text, std::string_view code) {
  // A NO is a normal answer (no such mailbox, quota): only protocol errors (BAD) count towards the limit.
  log::info("imap.command.done", {{"cid", cid()}, {"cmd", current_verb}, {"result", "NO"}, {"text", text}});
  conn_.enqueue(proto::tagged(tag, proto::Condition::no, code, text));
}

void Session::bad(std::string_view tag, std::string_view text, std::string_view code) {
  ++errors_;
  log::info("imap.command.done", {{"cid", cid()}, {"cmd", current_verb}, {"result", "BAD"}, {"text", text}});
  if (tag.empty()) conn_.enqueue(proto::untagged_status(proto::Condition::bad, code, text));
  else conn_.enqueue(proto::tagged(tag, proto::Condition::bad, code, text));
}

boost::asio::awaitable<bool> Session::flush() {
  auto st = co_await conn_.flush();
  if (!st) {
    closing = true;
    if (close_reason.empty()) close_reason = "network";
  }
  co_return st.ok();
}

bool Session::plaintext_allowed() const {
  if (!services_.config.auth.allow_plaintext_on_loopback) return false;
  std::string ip = conn_.peer_address();
  return ip == "::1" || ip.rfind("127.", 0) == 0 || ip.rfind("::ffff:127.", 0) == 0;
}

bool Session::too_many_errors() const {
  return services_.config.imap.max_errors > 0 && errors_ >= services_.config.imap.max_errors;
}

std::vector<std::string> Session::capabilities() const {
  std::vector<std::string> caps = {"IMAP4rev1", "IMAP4rev2", state == State::not_authenticated ? "LITERAL-" : "LITERAL+",
                                   "SASL-IR", "ID", "ENABLE"};
  if (state == State::not_authenticated) {
    if (conn_.can_start_tls()) caps.push_back("STARTTLS");
    if (passwords_allowed()) {
      caps.push_back("AUTH=PLAIN");
      caps.push_back("AUTH=LOGIN");
    } else {
      caps.push_back("LOGINDISABLED");
    }
    caps.push_back("AUTH=SCRAM-SHA-256");
    return caps;
  }
  for (const char* c : {"IDLE", "UIDPLUS", "MOVE", "UNSELECT", "NAMESPACE", "CHILDREN", "SPECIAL-USE",
                        "CREATE-SPECIAL-USE", "CONDSTORE", "QRESYNC", "ESEARCH", "SEARCHRES", "SORT", "SORT=DISPLAY",
                        "ESORT", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "LIST-EXTENDED", "LIST-STATUS",
                        "STATUS=SIZE", "BINARY", "PREVIEW", "OBJECTID", "UTF8=ACCEPT", "MULTIAPPEND", "QUOTA",
                        "QUOTA=RES-STORAGE", "SAVEDATE", "CATENATE", "NOTIFY"})
    caps.emplace_back(c);
  caps.emplace_back("COMPRESS=DEFLATE");  // RFC 4978: io::Connection compresses on every IMAP listener
  // RFC 7889: the largest message APPEND takes.
  caps.push_back("APPENDLIMIT=" + std::to_string(append_limit()));
  return caps;
}

boost::asio::awaitable<std::optional<proto::Event>> Session::next_event() {
  const auto& limits = services_.config.imap;
  for (;;) {
    proto::Event ev = receiver_.next();
    if (ev.kind == proto::Event::Kind::literal) {
      if (!ev.literal.accepted) {  // the command is dropped; the caller answers NO [TOOBIG]
        mid_command_ = false;
        co_return ev;
      }
      if (ev.literal.name != "APPEND" && ev.literal.size > opts_.limits.max_non_append_literal) {
        receiver_.reject_literal();
        send(proto::tagged(ev.literal.tag, proto::Condition::no, proto::response_code(proto::code::kTooBig),
                           "Literal too big for this command"));
        {
          const bool done_ok = co_await flush();
          if (!done_ok) co_return std::nullopt;
        }
        mid_command_ = false;
        continue;
      }
      send(proto::continuation("Ready for literal data"));
      {
        const bool done_ok = co_await flush();
        if (!done_ok) co_return std::nullopt;
      }
      pending_raw_ = ev.literal.size;
      continue;
    }
    if (ev.kind != proto::Event::Kind::need_more) co_return ev;
    // About to wait for the client: whatever responses are queued must leave first (pipelined commands get theirs
    // together, but never one that waits for more input).
    if (conn_.buffered() == 0) {
      {
        const bool done_ok = co_await flush();
        if (!done_ok) co_return std::nullopt;
      }
    }

    if (pending_raw_ > 0) {
      // Literal bytes are data in flight: finish them even when shutting down.
      auto bytes = co_await conn_.read_exact(pending_raw_);
      pending_raw_ = 0;
      if (!bytes) {
        closing = true;
        close_reason = io::to_string(static_cast<io::IoErrc>(bytes.error().code));
        co_return std::nullopt;
      }
      receiver_.feed(*bytes);
      continue;
    }
    // NOTIFY (RFC 5465 §5): while no command is in progress, other sessions' changes are pushed as they happen.
    std::shared_ptr<NotifyPusher> pusher;
    if (awaiting_command && notify.active && !mid_command_ && receiver_.buffered() == 0) {
      auto executor = co_await boost::asio::this_coro::executor;
      pusher = start_notify_pusher(*this, executor);
    }
    auto line = co_await conn_.read_line(limits.max_line_length,
                                         mid_command_ ? io::OnShutdown::keep_reading : io::OnShutdown::interrupt);
    if (pusher) co_await stop_notify_pusher(*this, pusher);
    if (!line) {
      const Error& e = line.error();
      if (io::is(e, io::IoErrc::too_long)) {
        // The over-long line was skipped by the connection; whatever command it belonged to is gone.
        receiver_.reset();
        mid_command_ = false;
        bad("", "Line too long", proto::response_code(proto::code::kTooBig));
        co_return proto::Event{};  // need_more: the caller checks the error limit and reads on
      }
      closing = true;
      close_reason = io::to_string(static_cast<io::IoErrc>(e.code));
      if (io::is(e, io::IoErrc::shutdown)) send(proto::untagged_status(proto::Condition::bye, "", "Server shutting down"));
      if (io::is(e, io::IoErrc::timeout))
        send(proto::untagged_status(proto::Condition::bye, "", "Autologout; idle for too long"));
      co_return std::nullopt;
    }
    std::string data = std::move(*line);
    TrailingLiteral lit = trailing_literal(data);
    data += "\r\n";
    receiver_.feed(data);
    mid_command_ = lit.found;
    // A non-synchronizing literal's bytes follow without a continuation; the receiver takes them (or skips them
    // after an error, within its discard limit, else it reports a fatal error before we read them).
    if (lit.found && lit.non_sync) pending_raw_ = lit.size;
  }
}

boost::asio::awaitable<void> Session::report_changes(bool allow_expunge) {
  if (!feed_) co_return;
  if (notify.active) co_await report_notify(*this);
  if (!selected) co_return;
  PendingChanges pending = feed_->take();
  // A poll with nothing on the change bus: only a commit since the last read (another process's) could change the
  // view, and the stamp says whether there was one.
  const bool forced_only = force_refresh && !pending.messages_changed;
  if (force_refresh) pending.messages_changed = true;
  force_refresh = false;
  const auto stamp = mail->commit_stamp();
  const bool ghosts_due = allow_expunge && selected_has_ghosts_;
  if (forced_only && !ghosts_due && stamp && stamp == listed_at) pending.messages_changed = false;
  // An earlier catch-up may have kept expunged messages in the view until EXPUNGE responses were allowed.
  if (pending.messages_changed || ghosts_due) {
    {
      store::MailStore* ms = mail.get();
      store::MailboxId id = selected->id();
      const std::uint32_t max_before = selected->max_uid();
      auto uids = co_await io::offload([ms, id] { return ms->list_uids(id); });
      if (uids) {
        listed_at = stamp;  // taken before the read: a commit in between makes it look stale, never current
        ViewUpdate u = selected->catch_up(*uids, allow_expunge);
        if (qresync) {
          if (!u.expunged_uids.empty())
            send(proto::vanished_response(proto::format_number_set(u.expunged_uids), false));
        } else {
          for (auto seq : u.expunged_seqs) send(proto::expunge_response(seq));
        }
        if (u.exists) send(proto::exists_response(*u.exists));
        if (u.exists) co_await announce_recent(*this);  // RFC 3501 §7.3.2: RECENT follows EXISTS
        if (u.exists && !notify.message_new_fetch.empty()) co_await fetch_new_for_notify(*this, max_before);
        selected_has_ghosts_ = !allow_expunge && selected->count() > uids->size();
      }
    }
  }
  // Another session changed flags: the store's listing this view may still share (SELECT's snapshot, which holds
  // every flag of the mailbox) is outdated now, so take a copy of the UIDs and let it go rather than keep it alive
  // for as long as this session stays selected.
  if (!pending.flags.empty() && selected->shares_snapshot()) selected->detach();
  for (const auto& f : pending.flags) {
    auto seq = selected->seq_of(f.uid);
    if (!seq) continue;
    std::string data = std::to_string(*seq) + " FETCH (UID " + std::to_string(f.uid) + " FLAGS " +
                       flags_to_wire(f.flags, !imap4rev2 && selected->is_recent(f.uid));
    if (condstore) data += " MODSEQ (" + std::to_string(f.modseq) + ")";
    data += ")";
    send(proto::untagged(data));
  }
}

void Session::expunge_from_view(const std::vector<std::uint32_t>& uids) {
  if (!selected) return;
  if (!qresync) {
    for (auto seq : selected->remove(uids)) send(proto::expunge_response(seq));
    return;
  }
  std::vector<std::uint32_t> present;
  for (auto uid : uids)
    if (selected->seq_of(uid)) present.push_back(uid);
  selected->remove(present);
  std::sort(present.begin(), present.end());
  if (!present.empty()) send(proto::vanished_response(proto::format_number_set(present), false));
}

boost::asio::awaitable<bool> Session::log_in(const std::string& address) {
  store::Store& st = services_.store;
  struct Opened {
    store::Account account;
    std::unique_ptr<store::MailStore> mail;
  };
  auto opened = co_await io::offload([&st, &address]() -> Result<Opened> {
    auto account = st.directory().get_account(address);
    if (!account) return account.error();
    auto ms = st.mail(account->id);
    if (!ms) return ms.error();
    return Opened{std::move(*account), std::move(*ms)};
  });
  if (!opened) {
    log::error("imap.login.open_failed", {{"cid", cid()}, {"error", opened.error().message}});
    co_return false;
  }
  user = opened->account.address;
  account = opened->account.id;
  mail = std::move(opened->mail);
  auto executor = co_await boost::asio::this_coro::executor;
  feed_ = std::make_unique<ChangeFeed>(services_.store.changes(), account, executor);
  state = State::authenticated;
  receiver_.set_limits(receiver_limits(services_.config, true));
  conn_.set_idle_timeout(std::chrono::seconds(services_.config.imap.idle_timeout_s));
  co_return true;
}

void Session::select(std::unique_ptr<SelectedMailbox> mailbox) {
  selected = std::move(mailbox);
  saved_result.clear();
  selected_has_ghosts_ = false;
  if (feed_) feed_->watch(selected->id());
  state = State::selected;
}

bool Session::committed_since_listed() const {
  if (!selected || !mail || !listed_at) return false;
  const auto now = mail->commit_stamp();
  return now && *now != *listed_at;
}

void Session::unselect() {
  selected.reset();
  listed_at.reset();
  saved_result.clear();
  selected_has_ghosts_ = false;
  if (feed_) feed_->watch(0);
  if (state == State::selected) state = State::authenticated;
}

namespace {

Task handle_command(Session& s, const proto::RawCommand& raw) {
  const proto::CommandInfo* info = proto::find_command(raw.name);
  s.current_verb = info ? std::string(info->name) : std::string("?");
  const Handler handler = info ? handler_for(info->id) : nullptr;
  if (!handler) {
    s.bad(raw.tag, "Unknown command");
    co_return;
  }
  // The state gate comes before the parse, so a command in the wrong state gets the same answer whatever its
  // arguments (RFC 9051 §3).
  if (!proto::allowed_in(*info, s.state_bit())) {
    s.bad(raw.tag, s.state == State::not_authenticated ? "Log in first" : "Command not allowed in this state");
    co_return;
  }
  auto cmd = proto::parse_command(raw, s.parse_options());
  if (!cmd) {
    s.send(proto::parse_error_response(raw.tag, cmd.error()));
    s.bad_count_only();
    co_return;
  }
  if (s.notify.active) note_own_mailbox_op(s, *cmd);
  co_await handler(s, *cmd);
}

std::chrono::seconds state_timeout(const Session& s) {
  const auto& l = s.config().imap;
  return std::chrono::seconds(s.state == State::not_authenticated ? l.preauth_timeout_s : l.idle_timeout_s);
}

Task run_session(io::Connection& conn, io::SessionContext& ctx, Services* services) {
  Session s(*services, conn, ctx);
  conn.set_idle_timeout(state_timeout(s));
  log::info("imap.session.start", {{"cid", ctx.connection_id},
                                    {"listener", ctx.listener},
                                    {"ip", conn.peer_address()},
                                    {"tls", conn.is_tls() ? conn.tls_version() : std::string("no")}});
  s.current_verb = "greeting";
  s.send(proto::untagged_status(proto::Condition::ok, proto::code_capability(s.capabilities()),
                                services->config.hostname + " IMAP claret ready"));
  {
    const bool done_ok = co_await s.flush();
    if (!done_ok) co_return;
  }

  while (!s.closing) {
    s.awaiting_command = true;
    auto ev = co_await s.next_event();
    s.awaiting_command = false;
    if (!ev) break;
    switch (ev->kind) {
      case proto::Event::Kind::need_more: break;  // an over-long line was answered
      case proto::Event::Kind::literal:          // refused synchronizing literal
        s.current_verb = ev->literal.name;
        s.send(proto::literal_refused_response(ev->literal));
        s.bad_count_only();
        break;
      case proto::Event::Kind::error:
        s.current_verb = "?";
        s.send(proto::receive_error_response(ev->error));
        s.bad_count_only();
        if (ev->error.fatal) {
          s.send(proto::untagged_status(proto::Condition::bye, "", "Cannot resynchronise the input"));
          s.closing = true;
          s.close_reason = "protocol";
        }
        break;
      case proto::Event::Kind::line:  // a line nobody asked for (stray IDLE "DONE")
        s.bad("", "Unexpected line");
        break;
      case proto::Event::Kind::command: {
        const State before = s.state;
        if (auto wait = s.command_pace(); wait.count() > 0) {
          // Over the address's command rate: answers already due leave first, then this command waits its turn.
          (void)co_await s.flush();
          co_await io::pause_for(wait);
        }
        co_await handle_command(s, ev->command);
        if (s.state != before) conn.set_idle_timeout(state_timeout(s));
        break;
      }
    }
    if (s.too_many_errors() && !s.closing) {
      s.send(proto::untagged_status(proto::Condition::bye, "", "Too many errors"));
      s.closing = true;
      s.close_reason = "errors";
    }
    // Pipelined commands: their responses leave together once no further input is waiting.
    if (s.closing || (conn.buffered() == 0 && s.receiver().buffered() == 0)) {
      {
        const bool done_ok = co_await s.flush();
        if (!done_ok) break;
      }
    }
  }
  (void)co_await s.flush();
  log::info("imap.session.end", {{"cid", ctx.connection_id},
                                  {"reason", s.close_reason.empty() ? std::string("logout") : s.close_reason},
                                  {"user", s.user}});
}

}  // namespace

io::SessionFn make_session(Services& services) {
  Services* svc = &services;
  return [svc](io::Connection& conn, io::SessionContext& ctx) { return run_session(conn, ctx, svc); };
}

}  // namespace claret::imap::server
