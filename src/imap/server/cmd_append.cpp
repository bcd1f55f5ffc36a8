// APPEND (RFC 9051 §6.3.12) with APPENDUID (RFC 4315 §3): the message goes to the BlobStore, its metadata is
// computed once (mail::compute_meta) and the store appends it; quota → NO [OVERQUOTA], missing mailbox →
// NO [TRYCREATE]. MULTIAPPEND (RFC 3502): all messages go to the store in one transaction (append_many), so the
// command appends all or none and no other session ever sees a partial result. CATENATE (RFC 4469): a message
// may be assembled from TEXT literals and URLs of the user's own messages (catenate.cpp); a URL naming nothing
// readable → NO [BADURL url], an assembled message over APPENDLIMIT → NO [TOOBIG].
#include "imap/proto/response_codes.hpp"
#include "imap/server/catenate.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/error_map.hpp"
#include "imap/server/flags.hpp"
#include "io/offload.hpp"
#include "mail/message_meta.hpp"
#include "store/errc.hpp"

namespace claret::imap::server {

namespace {

struct AppendJob {
  std::string mailbox;
  std::string user;
  std::uint64_t limit = 0;
  std::int64_t now = 0;
};

struct AppendOutcome {
  std::vector<store::AppendResult> results;
  std::string bad_url;   // CATENATE: NO [BADURL]
  bool too_big = false;  // CATENATE: NO [TOOBIG]
  bool empty = false;    // CATENATE: an empty message
};

// Blocking (offloaded): the blobs and metadata of every message, then one store call for all of them.
Result<AppendOutcome> append_all(store::Store& st, store::MailStore& ms, const AppendJob& job,
                                 const std::vector<proto::AppendMessage>& msgs) {
  auto info = ms.get_mailbox(job.mailbox);
  if (!info) return info.error();
  AppendOutcome out;
  std::vector<store::AppendItem> items;
  items.reserve(msgs.size());
  for (const auto& msg : msgs) {
    const std::string* data = &msg.data;
    Catenated built;
    if (msg.catenate) {
      auto c = catenate(st, ms, job.user, *msg.catenate, job.limit);
      if (!c) return c.error();
      built = std::move(*c);
      if (!built.bad_url.empty() || built.too_big || built.data.empty()) {
        out.bad_url = std::move(built.bad_url);
        out.too_big = built.too_big;
        out.empty = out.bad_url.empty() && !out.too_big;
        return out;
      }
      data = &built.data;
    }
    auto blob = st.blobs().put(*data);
    if (!blob) return blob.error();
    store::AppendItem item;
    item.blob = std::move(*blob);
    item.flags = flags_from_list(msg.flags);
    item.internaldate = msg.internal_date ? proto::to_unix(*msg.internal_date) : job.now;
    item.meta = mail::compute_meta(*data);
    items.push_back(std::move(item));
  }
  if (items.size() == 1) {  // the common case keeps the single-message call
    auto one = ms.append(info->id, items[0].blob, items[0].flags, items[0].internaldate, items[0].meta);
    if (!one) return one.error();
    out.results.push_back(std::move(*one));
    return out;
  }
  auto many = ms.append_many(info->id, items);
  if (!many) return many.error();
  out.results = std::move(*many);
  return out;
}

}  // namespace

Task cmd_append(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::AppendArgs>(cmd.args);
  for (const auto& m : args.messages) {
    if (m.utf8 && !s.utf8_accept()) {  // RFC 6855 §4
      s.bad(cmd.tag, "APPEND UTF8 needs ENABLE UTF8=ACCEPT");
      co_return;
    }
    if (m.data.empty() && !m.catenate) {
      s.no(cmd.tag, "Empty message", proto::response_code(proto::code::kCannot));
      co_return;
    }
  }
  store::Store& st = s.services().store;
  store::MailStore* ms = s.mail.get();
  AppendJob job;
  job.mailbox = args.mailbox;
  job.user = s.user;
  job.limit = s.append_limit();
  job.now = static_cast<std::int64_t>(std::time(nullptr));
  const AppendJob* j = &job;
  const std::vector<proto::AppendMessage>* msgs = &args.messages;
  auto result = co_await io::offload([&st, ms, j, msgs] { return append_all(st, *ms, *j, *msgs); });
  if (!result) {
    if (store::has_code(result.error(), store::Errc::not_found)) {
      s.no(cmd.tag, "No such mailbox", proto::response_code(proto::code::kTryCreate));
    } else {
      ErrorReply r = map_store_error(result.error(), s.cid(), "imap.append.error");
      s.no(cmd.tag, r.text, r.code);
    }
    co_return;
  }
  if (!result->bad_url.empty()) {  // RFC 4469 §5, §6: url-resp-text is any TEXT-CHAR but "]"
    std::string url;
    for (char c : result->bad_url)
      if (c != ']' && c != '\r' && c != '\n' && c != '\0') url += c;
    s.no(cmd.tag, "CATENATE URL names no message of yours", proto::response_code("BADURL", url));
    co_return;
  }
  if (result->too_big) {
    s.no(cmd.tag, "Message too big", proto::response_code(proto::code::kTooBig));
    co_return;
  }
  if (result->empty) {
    s.no(cmd.tag, "Empty message", proto::response_code(proto::code::kCannot));
    co_return;
  }
  const auto& appended = result->results;
  std::uint32_t uidvalidity = appended.empty() ? 0 : appended.front().uidvalidity;
  std::vector<std::uint32_t> uids;
  for (const auto& r : appended) uids.push_back(r.uid);
  if (s.selected && s.selected->info().name == job.mailbox) s.force_refresh = true;
  co_await s.report_changes(true);
  s.ok(cmd.tag, "APPEND completed", proto::code_append_uid(uidvalidity, proto::format_number_set(uids)));
}

}  // namespace claret::imap::server
