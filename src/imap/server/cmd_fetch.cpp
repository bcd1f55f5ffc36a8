// FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9, §7.5.2): FLAGS, UID, INTERNALDATE, RFC822.SIZE, ENVELOPE,
// BODYSTRUCTURE and BODY from the metadata computed at delivery; BODY[section]<partial>, BODY.PEEK, RFC822,
// RFC822.HEADER, RFC822.TEXT as byte ranges of the stored blob through its part map; MODSEQ and CHANGEDSINCE
// (RFC 7162 §3.1.4), VANISHED (§3.2.6); BINARY[], BINARY.PEEK, BINARY.SIZE (RFC 3516); PREVIEW (RFC 8970) from
// the stored preview; EMAILID/THREADID (RFC 8474); SAVEDATE (RFC 8514); \Recent (RFC 3501) in FLAGS; \Seen
// set by non-PEEK body fetches.
#include <algorithm>

#include "base/log.hpp"
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/error_map.hpp"
#include "imap/server/flag_fetch.hpp"
#include "imap/server/flags.hpp"
#include "imap/server/header_filter.hpp"
#include "imap/server/message_set.hpp"
#include "io/offload.hpp"
#include "base/strings.hpp"
#include "mime/body.hpp"
#include "mime/part_map.hpp"

namespace claret::imap::server {

namespace {

using Kind = proto::FetchItem::Kind;

// Output is flushed in pieces so a large FETCH does not sit in memory whole.
constexpr std::size_t kFlushBytes = 1 << 20;

bool needs_blob(const proto::FetchItem& item) {
  return item.kind == Kind::body_section || item.kind == Kind::rfc822 || item.kind == Kind::rfc822_header ||
         item.kind == Kind::rfc822_text || item.kind == Kind::binary || item.kind == Kind::binary_size;
}

// The stored metadata an item needs (store::meta_part bits); none for FLAGS, UID, sizes and dates, so most
// FETCHes of many messages read only the small columns.
std::uint32_t meta_parts_for(const proto::FetchItem& item) {
  namespace mp = store::meta_part;
  if (needs_blob(item)) return mp::kPartMap;
  switch (item.kind) {
    case Kind::envelope: return mp::kEnvelope;
    case Kind::body_structure: return mp::kBodyStructure;
    case Kind::body_structure_basic: return mp::kBody;
    case Kind::preview: return mp::kPreview;
    default: return 0;
  }
}

bool sets_seen(const proto::FetchItem& item) {
  return ((item.kind == Kind::body_section || item.kind == Kind::binary) && !item.peek) ||
         item.kind == Kind::rfc822 || item.kind == Kind::rfc822_text;
}

bool supported(const proto::FetchItem& item) {
  switch (item.kind) {
    default: return true;
  }
}

struct Message {
  store::MessageRecord record;
  std::vector<std::string> sections;  // bytes for each body item, in item order
  bool unknown_cte = false;           // a BINARY item met a transfer encoding it cannot decode
};

// BINARY[part] (RFC 3516 §4.2): the part's body with its Content-Transfer-Encoding removed. The encoding comes
// from the part's MIME header, or the message header for part 1 of a single-part message and for BINARY[].
// nullopt: an encoding claret cannot decode (answered NO [UNKNOWN-CTE]).
std::optional<std::string> binary_bytes(const store::BlobReader& blob, const mime::PartMap* map,
                                        const proto::Section& section) {
  std::optional<mime::ByteRange> body;
  std::optional<mime::ByteRange> header;
  if (section.part.empty()) {
    auto whole = blob.read_at(0, blob.size());  // BINARY[]: the message as stored
    return whole ? std::move(*whole) : std::string();
  }
  if (!map) return std::string();
  const std::string part = proto::section_string(section);
  body = map->find(part);
  header = map->find(part + ".MIME");
  if (!header && section.part.size() == 1) header = map->find("HEADER");
  if (!body) return std::string();
  auto bytes = blob.read_at(body->offset, body->size);
  if (!bytes) return std::string();
  std::string encoding = "7bit";
  if (header) {
    if (auto h = blob.read_at(header->offset, header->size)) {
      std::string field = filter_header_fields(*h, {"CONTENT-TRANSFER-ENCODING"}, true);
      auto colon = field.find(':');
      if (colon != std::string::npos) encoding = to_lower(trim(field.substr(colon + 1)));
    }
  }
  if (encoding == "7bit" || encoding == "8bit" || encoding == "binary") return std::move(*bytes);
  if (encoding == "base64" || encoding == "quoted-printable")
    return mime::decode_transfer_encoding(*bytes, encoding);
  return std::nullopt;
}

// Bytes of one body section: the part map gives the range, HEADER.FIELDS filters it. nullopt: no such part.
std::optional<std::string> section_bytes(const store::BlobReader& blob, const mime::PartMap* map,
                                         const proto::Section& section) {
  std::optional<mime::ByteRange> range;
  if (section.part.empty() && section.text == proto::Section::Text::none) {
    range = mime::ByteRange{0, blob.size()};
  } else if (map) {
    range = map->find(proto::section_string(section));
  }
  if (!range) return std::nullopt;
  auto bytes = blob.read_at(range->offset, range->size);
  if (!bytes) return std::nullopt;
  if (section.text == proto::Section::Text::header_fields)
    return filter_header_fields(*bytes, section.fields, true);
  if (section.text == proto::Section::Text::header_fields_not)
    return filter_header_fields(*bytes, section.fields, false);
  return std::move(*bytes);
}

proto::Section section_for(const proto::FetchItem& item) {
  proto::Section s;
  if (item.kind == Kind::rfc822_header) s.text = proto::Section::Text::header;
  else if (item.kind == Kind::rfc822_text) s.text = proto::Section::Text::text;
  else if (item.kind == Kind::body_section) s = item.section;
  return s;
}

// Blocking: reads the body sections of every message (offloaded).
Result<std::vector<Message>> load(store::Store& st, store::MailStore& ms, store::MailboxId mailbox,
                                  const store::UidSet& uids, const std::vector<proto::FetchItem>& items,
                                  std::optional<std::uint64_t> changed_since) {
  // Most FETCHes of many messages ask only for flags and sizes: skip the metadata columns then.
  std::uint32_t parts = 0;
  for (const auto& item : items) parts |= meta_parts_for(item);
  auto records = parts ? ms.fetch_meta(mailbox, uids, parts) : ms.fetch_records(mailbox, uids);
  if (!records) return records.error();
  std::vector<Message> out;
  out.reserve(records->size());
  const bool want_blob = std::any_of(items.begin(), items.end(), needs_blob);
  for (auto& r : *records) {
    if (changed_since && r.modseq <= *changed_since) continue;
    Message m;
    if (want_blob) {
      auto blob = st.blobs().open(r.blob_id);
      if (!blob) return blob.error();
      std::optional<mime::PartMap> map;
      if (auto pm = mime::parse_part_map(r.meta.part_map)) map = std::move(*pm);
      for (const auto& item : items) {
        if (!needs_blob(item)) continue;
        if (item.kind == Kind::binary || item.kind == Kind::binary_size) {
          auto bytes = binary_bytes(*blob, map ? &*map : nullptr, item.section);
          if (!bytes) m.unknown_cte = true;
          m.sections.push_back(bytes ? std::move(*bytes) : std::string());
          continue;
        }
        auto bytes = section_bytes(*blob, map ? &*map : nullptr, section_for(item));
        m.sections.push_back(bytes ? std::move(*bytes) : std::string());
      }
    }
    m.record = std::move(r);
    out.push_back(std::move(m));
  }
  return out;
}

// OBJECTID (RFC 8474 §5): the stored blob's id names the message's content ("M…", the same for its copies);
// threads are the store's thread ids ("T…", NIL when the store has none).
std::string email_id(const store::MessageRecord& r) {
  std::string id = "M";
  for (char c : r.blob_id)
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_') id += c;
  return id.size() > 1 ? id.substr(0, 255) : "M" + std::to_string(r.uid);
}

std::string fetch_response(std::uint32_t seq, const Message& m, const std::vector<proto::FetchItem>& items,
                           bool add_uid, bool add_flags, bool add_modseq, bool utf8, bool recent) {
  const auto& r = m.record;
  std::string out = "* " + std::to_string(seq) + " FETCH (";
  bool first = true;
  auto sep = [&] {
    if (!first) out += ' ';
    first = false;
  };
  bool uid_done = false, flags_done = false, modseq_done = false;
  std::size_t section_index = 0;
  if (add_uid) {
    sep();
    out += "UID " + std::to_string(r.uid);
    uid_done = true;
  }
  for (const auto& item : items) {
    switch (item.kind) {
      case Kind::uid:
        if (uid_done) break;
        sep();
        out += "UID " + std::to_string(r.uid);
        uid_done = true;
        break;
      case Kind::flags:
        if (flags_done) break;
        sep();
        out += "FLAGS " + flags_to_wire(r.flags, recent);
        flags_done = true;
        break;
      case Kind::modseq:
        if (modseq_done) break;
        sep();
        out += "MODSEQ (" + std::to_string(r.modseq) + ")";
        modseq_done = true;
        break;
      case Kind::internal_date:
        sep();
        out += "INTERNALDATE ";
        proto::append_date_time(out, proto::from_unix(r.internaldate));
        break;
      case Kind::save_date:  // RFC 8514 §4: NIL when the store has no save date
        sep();
        out += "SAVEDATE ";
        if (r.savedate > 0) proto::append_date_time(out, proto::from_unix(r.savedate));
        else out += "NIL";
        break;
      case Kind::rfc822_size:
        sep();
        out += "RFC822.SIZE " + std::to_string(r.size);
        break;
      case Kind::envelope:
        sep();
        out += "ENVELOPE " + r.meta.envelope;
        break;
      case Kind::body_structure:
        sep();
        out += "BODYSTRUCTURE " + r.meta.body_structure;
        break;
      case Kind::body_structure_basic:
        sep();
        out += "BODY " + r.meta.body;
        break;
      case Kind::preview:
        sep();
        out += "PREVIEW ";
        proto::append_nstring(out, r.meta.preview.empty() ? std::nullopt : std::optional<std::string_view>(r.meta.preview),
                              utf8);
        break;
      case Kind::email_id:
        sep();
        out += "EMAILID (" + email_id(r) + ")";
        break;
      case Kind::thread_id:
        sep();
        out += r.thread_id != 0 ? "THREADID (T" + std::to_string(r.thread_id) + ")" : std::string("THREADID NIL");
        break;
      case Kind::binary_size:
        sep();
        out += item.response_name() + " " + std::to_string(m.sections[section_index++].size());
        break;
      case Kind::binary: {
        sep();
        std::string_view data = m.sections[section_index++];
        out += item.response_name() + " ";
        if (item.partial) {
          std::uint64_t off = std::min<std::uint64_t>(item.partial->offset, data.size());
          data = data.substr(off, std::min<std::uint64_t>(item.partial->length, data.size() - off));
        }
        // RFC 3516 §4.2: literal8 only when the data holds NUL, which a plain literal may not carry.
        if (data.find('\0') != std::string_view::npos) proto::append_literal8(out, data);
        else proto::append_literal(out, data);
        break;
      }
      case Kind::rfc822:
      case Kind::rfc822_header:
      case Kind::rfc822_text:
      case Kind::body_section: {
        sep();
        const std::string& bytes = m.sections[section_index++];
        if (item.kind == Kind::rfc822) out += "RFC822 ";
        else if (item.kind == Kind::rfc822_header) out += "RFC822.HEADER ";
        else if (item.kind == Kind::rfc822_text) out += "RFC822.TEXT ";
        else out += item.response_name() + " ";
        std::string_view data = bytes;
        if (item.kind == Kind::body_section && item.partial) {
          // RFC 9051 §6.4.5: a partial past the end is the empty string.
          std::uint64_t off = std::min<std::uint64_t>(item.partial->offset, data.size());
          data = data.substr(off, std::min<std::uint64_t>(item.partial->length, data.size() - off));
        }
        // A literal may not carry NUL (RFC 9051 §4.3: CHAR8 = %x01-ff) and BODY[] has no literal8 form (only
        // BINARY[] does), so NUL goes out as 0x80, as Dovecot does: same length (RFC822.SIZE and partial offsets
        // still hold), and the exact bytes stay available through BINARY[].
        if (data.find('\0') != std::string_view::npos) {
          std::string cleaned(data);
          std::replace(cleaned.begin(), cleaned.end(), '\0', '\x80');
          proto::append_literal(out, cleaned);
        } else {
          proto::append_literal(out, data);
        }
        break;
      }
      default: break;
    }
  }
  if (add_flags && !flags_done) {
    sep();
    out += "FLAGS " + flags_to_wire(r.flags, recent);
  }
  if (add_modseq && !modseq_done) {
    sep();
    out += "MODSEQ (" + std::to_string(r.modseq) + ")";
  }
  out += ")\r\n";
  return out;
}

}  // namespace

Task cmd_fetch(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::FetchArgs>(cmd.args);
  const bool uid_mode = cmd.info->id == proto::CommandId::uid_fetch;
  for (const auto& item : args.items) {
    if (!supported(item)) {
      s.bad(cmd.tag, "Fetch item not supported");
      co_return;
    }
  }
  if (args.vanished && !s.qresync) {  // RFC 7162 §3.2.6
    s.bad(cmd.tag, "VANISHED needs ENABLE QRESYNC first");
    co_return;
  }
  SelectedMailbox& view = *s.selected;
  auto resolved = resolve_message_set(s, cmd.tag, args.set, uid_mode);
  if (!resolved) co_return;
  const store::UidSet uids = std::move(*resolved);
  bool want_modseq = args.changed_since.has_value();
  for (const auto& item : args.items) want_modseq = want_modseq || item.kind == Kind::modseq;
  if (want_modseq) s.condstore = true;

  const bool mark_seen = !view.read_only() && std::any_of(args.items.begin(), args.items.end(), sets_seen);
  store::Store& st = s.services().store;
  store::MailStore* ms = s.mail.get();
  const store::MailboxId mailbox = view.id();
  const auto& items = args.items;
  const auto changed_since = args.changed_since;

  if (mark_seen && !uids.empty()) {
    // \Seen first, so the FLAGS sent with the data already include it (RFC 9051 §6.4.5 BODY[]).
    auto marked = co_await io::offload([ms, mailbox, &uids] {
      store::Flags seen;
      seen.system = store::flag::kSeen;
      return ms->set_flags(mailbox, uids, store::FlagOp::add, seen, std::nullopt);
    });
    if (marked) {
      for (const auto& u : marked->updated)
        if (u.changed) s.feed().ignore_own(u.modseq);
    }
  }
  // UID/FLAGS/MODSEQ only (a client resyncing a big mailbox): the store's narrow flag listing, formatted below into
  // one buffer; anything else loads full records (and blobs when asked).
  const bool narrow = flags_only(items) && !mark_seen;
  FlagRows flag_rows;
  std::vector<Message> messages;
  if (narrow) {
    // For 1:* the store's shared listing of the whole mailbox (in memory for big ones, store/sqlite/flag_cache.hpp),
    // filtered by the UID set and CHANGEDSINCE off the event loop: no per-message copy (flag_fetch.hpp).
    const std::uint64_t since = changed_since.value_or(0);
    auto listed = co_await io::offload([ms, mailbox, &uids, since] { return load_flag_rows(*ms, mailbox, uids, since); });
    if (!listed) {
      ErrorReply r = map_store_error(listed.error(), s.cid(), "imap.fetch.error");
      s.no(cmd.tag, r.text, r.code);
      co_return;
    }
    flag_rows = std::move(*listed);
  } else {
    auto loaded = co_await io::offload(
        [&st, ms, mailbox, &uids, &items, changed_since] { return load(st, *ms, mailbox, uids, items, changed_since); });
    if (!loaded) {
      ErrorReply r = map_store_error(loaded.error(), s.cid(), "imap.fetch.error");
      s.no(cmd.tag, r.text, r.code);
      co_return;
    }
    messages = std::move(*loaded);
  }
  if (args.vanished && changed_since) {
    // RFC 7162 §3.2.6: UIDs in the set expunged since CHANGEDSINCE, before the FETCH responses. The UID set as
    // written counts (not only the UIDs still in the view), since the client asks about ones it may still hold.
    const std::uint64_t since = *changed_since;
    auto changes = co_await io::offload([ms, mailbox, since] { return ms->changes_since(mailbox, since); });
    if (!changes) {
      ErrorReply r = map_store_error(changes.error(), s.cid(), "imap.fetch.error");
      s.no(cmd.tag, r.text, r.code);
      co_return;
    }
    std::vector<std::uint32_t> vanished;
    const std::uint32_t largest = std::max(view.max_uid(), changes->expunged.empty() ? 0u : changes->expunged.back());
    for (auto uid : changes->expunged)
      if (args.set.contains(uid, largest)) vanished.push_back(uid);
    if (!vanished.empty()) s.send(proto::vanished_response(proto::format_number_set(vanished), true));
  }
  for (const auto& m : messages) {
    if (m.unknown_cte) {
      s.no(cmd.tag, "Unknown Content-Transfer-Encoding", proto::response_code(proto::code::kUnknownCte));
      co_return;
    }
  }
  // Once QRESYNC is enabled every FETCH response carries the UID (RFC 7162 §3.2.4).
  const bool add_uid = uid_mode || s.qresync;
  const bool recent_flag = !s.imap4rev2;
  if (narrow) {
    // Formatted and sent a piece at a time (kFlagPiece bytes, about 7,000 lines): the client reads the first piece
    // while the next is formatted, instead of waiting for a 3.5 MB buffer (100,000 messages) to be built, and each
    // piece is handed to the connection without a copy. A reply smaller than one piece leaves with the tagged OK.
    // Measured in docs/benchmarks.md (bigbox).
    constexpr std::size_t kFlagPiece = 256 * 1024;
    FlagFetchFormatter formatter(flag_rows, view, items, add_uid, want_modseq, recent_flag);
    for (;;) {
      std::string piece;
      // Room for the line that crosses the limit, so the buffer never grows (and is never copied) while formatted.
      piece.reserve(std::min(kFlagPiece, flag_rows.max_rows() * 48) + 4096);
      const bool done = formatter.format(piece, kFlagPiece);
      s.send_owned(std::move(piece));
      if (done) break;
      const bool sent = co_await s.flush();
      if (!sent) co_return;
    }
  }
  std::size_t pending_bytes = 0;
  for (const auto& m : messages) {
    auto seq = view.seq_of(m.record.uid);
    if (!seq) continue;
    std::string resp = fetch_response(*seq, m, items, add_uid, mark_seen,
                                      want_modseq || (s.condstore && mark_seen), s.utf8_accept(),
                                      recent_flag && view.is_recent(m.record.uid));
    pending_bytes += resp.size();
    s.send(resp);
    if (pending_bytes > kFlushBytes) {
      {
        const bool done_ok = co_await s.flush();
        if (!done_ok) co_return;
      }
      pending_bytes = 0;
    }
  }
  co_await s.report_changes(!(cmd.info->flags & proto::kUsesSeqs));
  s.ok(cmd.tag, uid_mode ? "UID FETCH completed" : "FETCH completed");
}

Task fetch_new_for_notify(Session& s, std::uint32_t above_uid) {
  if (!s.selected) co_return;
  SelectedMailbox& view = *s.selected;
  std::vector<std::uint32_t> fresh;
  for (auto uid : view.uids())
    if (uid > above_uid) fresh.push_back(uid);
  if (fresh.empty()) co_return;
  const store::UidSet uids = store::UidSet::of(fresh);
  store::Store& st = s.services().store;
  store::MailStore* ms = s.mail.get();
  const store::MailboxId mailbox = view.id();
  const auto* items = &s.notify.message_new_fetch;
  auto loaded = co_await io::offload(
      [&st, ms, mailbox, &uids, items] { return load(st, *ms, mailbox, uids, *items, std::nullopt); });
  if (!loaded) co_return;  // the EXISTS went out; the client can FETCH itself
  for (const auto& m : *loaded) {
    auto seq = view.seq_of(m.record.uid);
    if (!seq || m.unknown_cte) continue;
    s.send(fetch_response(*seq, m, *items, s.qresync, false, false, s.utf8_accept(),
                          !s.imap4rev2 && view.is_recent(m.record.uid)));
  }
}

}  // namespace claret::imap::server
