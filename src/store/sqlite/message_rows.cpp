// Row helpers for the SQLite store: keywords (RFC 9051 §2.3.2), UIDVALIDITY/UID/MODSEQ allocation (RFC 9051 §2.3.1.1,
// RFC 7162 §3.1), thread assignment from In-Reply-To/References (RFC 5322 §3.6.4).
#include "store/sqlite/message_rows.hpp"

#include <algorithm>
#include <ctime>

#include "base/strings.hpp"

namespace claret::store::sqlite {

std::vector<std::string> normalize_keywords(const std::vector<std::string>& keywords) {
  std::vector<std::string> out;
  for (const auto& k : keywords) {
    if (k.empty() || k.find(' ') != std::string::npos) continue;  // not an IMAP atom; never stored
    bool dup = std::any_of(out.begin(), out.end(), [&](const std::string& o) { return iequals(o, k); });
    if (!dup) out.push_back(k);
  }
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) { return to_lower(a) < to_lower(b); });
  return out;
}

std::string encode_keywords(const std::vector<std::string>& keywords) {
  std::string out;
  for (const auto& k : normalize_keywords(keywords)) {
    if (!out.empty()) out += ' ';
    out += k;
  }
  return out;
}

std::vector<std::string> decode_keywords(const std::string& text) {
  std::vector<std::string> out;
  for (std::string_view k : split(text, ' '))
    if (!k.empty()) out.emplace_back(k);
  return out;
}


const char* const kRecordColumns = "uid, modseq, flags, keywords, internaldate, size, blob_id, thread_id, savedate";

std::string message_columns(uint32_t parts) {
  namespace mp = meta_part;
  auto col = [&](uint32_t bit, const char* name) { return std::string(parts & bit ? name : "NULL"); };
  std::string sort = parts & mp::kSortFields
                         ? "subject, from_addr, from_name, to_addr, cc_addr, message_id, in_reply_to, refs, sent_date, "
                           "has_attachments"
                         : "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0";
  return std::string(kRecordColumns) + ", " + col(mp::kEnvelope, "envelope") + ", " +
         col(mp::kBodyStructure, "body_structure") + ", " + col(mp::kBody, "body") + ", " +
         col(mp::kPartMap, "part_map") + ", " + col(mp::kPreview, "preview") + ", " +
         col(mp::kSearchText, "(SELECT search_text FROM message_texts t WHERE t.id = messages.id)") + ", " + sort;
}

FlagRecord flag_record_from_row(const Statement& r) {
  FlagRecord f;
  f.uid = static_cast<uint32_t>(r.int64(0));
  f.modseq = static_cast<uint64_t>(r.int64(1));
  f.flags.system = static_cast<uint32_t>(r.int64(2));
  std::string_view keywords = r.bytes_view(3);
  if (!keywords.empty()) f.flags.keywords = decode_keywords(std::string(keywords));  // most messages have none
  return f;
}

Statement select_by_uids(Connection& db, const std::string& head, const UidSet& uids, const std::string& tail) {
  const auto& r = uids.ranges();
  if (r.size() == 1) {
    Statement q = db.prepare(head + " uid BETWEEN ?98 AND ?99 " + tail);
    q.bind(98, static_cast<int64_t>(r.front().first));
    q.bind(99, static_cast<int64_t>(r.front().last));
    return q;
  }
  return db.prepare_once(head + " " + uid_hull_clause(uids) + " " + tail);
}

MessageRecord message_from_row(const Statement& r, bool with_meta) {
  MessageRecord m;
  m.uid = static_cast<uint32_t>(r.int64(0));
  m.modseq = static_cast<uint64_t>(r.int64(1));
  m.flags.system = static_cast<uint32_t>(r.int64(2));
  m.flags.keywords = decode_keywords(r.text(3));
  m.internaldate = r.int64(4);
  m.size = static_cast<uint64_t>(r.int64(5));
  m.blob_id = r.text(6);
  m.thread_id = r.int64(7);
  m.savedate = r.int64(8);
  if (with_meta) {
    MessageMeta& x = m.meta;
    x.envelope = r.text(9);
    x.body_structure = r.text(10);
    x.body = r.text(11);
    x.part_map = r.text(12);
    x.preview = r.text(13);
    x.search_text = r.text(14);
    x.subject = r.text(15);
    x.from_addr = r.text(16);
    x.from_name = r.text(17);
    x.to_addr = r.text(18);
    x.cc_addr = r.text(19);
    x.message_id = r.text(20);
    x.in_reply_to = r.text(21);
    x.references = r.text(22);
    x.sent_date = r.int64(23);
    x.has_attachments = r.int64(24) != 0;
  }
  return m;
}

const char* const kMailboxColumns = "id, name, uidvalidity, uidnext, highestmodseq, special_use, subscribed, noselect";

MailboxInfo mailbox_from_row(const Statement& r) {
  MailboxInfo m;
  m.id = r.int64(0);
  m.name = r.text(1);
  m.uidvalidity = static_cast<uint32_t>(r.int64(2));
  m.uidnext = static_cast<uint32_t>(r.int64(3));
  m.highestmodseq = static_cast<uint64_t>(r.int64(4));
  m.special_use = r.text(5);
  m.subscribed = r.int64(6) != 0;
  m.noselect = r.int64(7) != 0;
  return m;
}

std::optional<MailboxInfo> find_mailbox(Connection& db, AccountId account, MailboxId id) {
  auto q = db.query(std::string("SELECT ") + kMailboxColumns + " FROM mailboxes WHERE id = ? AND account_id = ?", id,
                    account);
  if (!q.step()) return std::nullopt;
  return mailbox_from_row(q);
}

std::optional<MailboxInfo> find_mailbox(Connection& db, AccountId account, const std::string& name) {
  auto q = db.query(std::string("SELECT ") + kMailboxColumns + " FROM mailboxes WHERE account_id = ? AND name = ?",
                    account, name);
  if (!q.step()) return std::nullopt;
  return mailbox_from_row(q);
}

MailboxInfo insert_mailbox(Connection& db, AccountId account, const std::string& name, const std::string& special_use,
                           bool subscribed) {
  // UIDVALIDITY must differ from every earlier mailbox of the same name (RFC 9051 §2.3.1.1): the clock, but never
  // less than the last value handed out plus one, survives deletes, restarts and clock steps backwards.
  int64_t now = static_cast<int64_t>(std::time(nullptr)) & 0x7fffffff;
  int64_t uidvalidity = db.scalar(
      0, "UPDATE meta SET value = max(value + 1, ?) WHERE key = 'last_uidvalidity' RETURNING value", now);
  db.run("INSERT INTO mailboxes(account_id, name, uidvalidity, special_use, subscribed) VALUES (?, ?, ?, ?, ?)",
         account, name, uidvalidity, special_use, subscribed ? 1 : 0);
  MailboxInfo m;
  m.id = db.last_insert_rowid();
  m.name = name;
  m.uidvalidity = static_cast<uint32_t>(uidvalidity);
  m.uidnext = 1;
  m.highestmodseq = 1;
  m.special_use = special_use;
  m.subscribed = subscribed;
  return m;
}

// The counters are read back with a plain SELECT, not UPDATE … RETURNING: SQLite runs a RETURNING statement to its end
// into an ephemeral table first, and that table's private pager is allocated and freed on every execution (fresh heap
// pages faulted in, then trimmed away with madvise and a TLB shootdown of the other core). On the delivery path that
// was about a tenth of the server's CPU per message, in assign_thread, reserve_uids and the per-batch blob release.
std::pair<uint32_t, uint64_t> reserve_uids(Connection& db, MailboxId mailbox, uint32_t count) {
  db.run("UPDATE mailboxes SET uidnext = uidnext + ?, highestmodseq = highestmodseq + 1 WHERE id = ?",
         static_cast<int64_t>(count), mailbox);
  if (db.changes() == 0) throw SqlError(0, "mailbox vanished while reserving uids");
  auto q = db.query("SELECT uidnext, highestmodseq FROM mailboxes WHERE id = ?", mailbox);
  if (!q.step()) throw SqlError(0, "mailbox vanished while reserving uids");
  return {static_cast<uint32_t>(q.int64(0) - count), static_cast<uint64_t>(q.int64(1))};
}

uint64_t bump_modseq(Connection& db, MailboxId mailbox) {
  db.run("UPDATE mailboxes SET highestmodseq = highestmodseq + 1 WHERE id = ?", mailbox);
  if (db.changes() == 0) throw SqlError(0, "mailbox vanished while bumping modseq");
  auto q = db.query("SELECT highestmodseq FROM mailboxes WHERE id = ?", mailbox);
  if (!q.step()) throw SqlError(0, "mailbox vanished while bumping modseq");
  return static_cast<uint64_t>(q.int64(0));
}

int64_t assign_thread(Connection& db, AccountId account, const MessageMeta& meta) {
  std::vector<std::string> parents;
  for (std::string_view id : split(meta.in_reply_to, ' '))
    if (!id.empty()) parents.emplace_back(id);
  auto refs = split(meta.references, ' ');
  for (auto it = refs.rbegin(); it != refs.rend(); ++it)
    if (!it->empty()) parents.emplace_back(*it);
  for (const auto& id : parents) {
    if (id == meta.message_id) continue;
    int64_t t = db.scalar(0, "SELECT thread_id FROM messages WHERE account_id = ? AND message_id = ? LIMIT 1",
                          account, id);
    if (t != 0) return t;
  }
  db.run("UPDATE meta SET value = value + 1 WHERE key = 'last_thread_id'");  // no RETURNING: see reserve_uids
  return db.scalar(0, "SELECT value FROM meta WHERE key = 'last_thread_id'");
}

void insert_message(Connection& db, const NewMessage& m, const MessageMeta& x) {
  auto q = db.prepare(
      "INSERT INTO messages(mailbox_id, account_id, uid, modseq, blob_id, size, internaldate, flags, keywords, "
      "thread_id, envelope, body_structure, body, part_map, preview, subject, from_addr, from_name, "
      "to_addr, cc_addr, message_id, in_reply_to, refs, sent_date, has_attachments, savedate) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,CAST(strftime('%s','now') AS INTEGER))");
  q.bind_all(m.mailbox, m.account, static_cast<int64_t>(m.uid), static_cast<int64_t>(m.modseq), m.blob_id,
             static_cast<int64_t>(m.size), m.internaldate, static_cast<int64_t>(m.flags.system & flag::kAll),
             encode_keywords(m.flags.keywords), m.thread_id, x.envelope, x.body_structure, x.body);
  q.bind_blob(14, x.part_map);
  q.bind(15, x.preview).bind(16, x.subject).bind(17, x.from_addr).bind(18, x.from_name);
  q.bind(19, x.to_addr).bind(20, x.cc_addr).bind(21, x.message_id).bind(22, x.in_reply_to).bind(23, x.references);
  q.bind(24, x.sent_date).bind(25, static_cast<int64_t>(x.has_attachments ? 1 : 0));
  q.run();
  // The text the FTS5 index reads (migration 9: kept out of the message row so metadata reads stay on leaf pages).
  db.run("INSERT INTO message_texts(id, search_text) VALUES (?, ?)", db.last_insert_rowid(), x.search_text);
}

bool fits_quota(Connection& db, AccountId account, uint64_t extra) {
  auto q = db.query("SELECT quota, usage FROM accounts WHERE id = ?", account);
  if (!q.step()) return false;
  uint64_t quota = static_cast<uint64_t>(q.int64(0));
  uint64_t usage = static_cast<uint64_t>(q.int64(1));
  return quota == 0 || usage + extra <= quota;
}

std::string uid_hull_clause(const UidSet& uids) {
  const auto& r = uids.ranges();
  if (r.empty()) return "0";
  auto between = [](uint32_t a, uint32_t b) {
    return "uid BETWEEN " + std::to_string(a) + " AND " + std::to_string(b);
  };
  if (r.size() > 32) return between(r.front().first, r.back().last);
  std::string out = "(";
  for (size_t i = 0; i < r.size(); ++i) {
    if (i) out += " OR ";
    out += between(r[i].first, r[i].last);
  }
  return out + ")";
}

}  // namespace claret::store::sqlite
