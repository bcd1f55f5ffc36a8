// SqliteMailStore::search: translates a SearchKey tree (RFC 9051 §6.4.4 subset) into one SQL query, with TEXT pushed
// down to the FTS5 index (https://sqlite.org/fts5.html §3 query syntax).
#include <variant>

#include "base/strings.hpp"
#include "store/errc.hpp"
#include "store/sqlite/message_rows.hpp"
#include "store/sqlite/sqlite_mail_store.hpp"
#include "store/sqlite/text_index.hpp"

namespace claret::store::sqlite {
namespace {

using Param = std::variant<int64_t, std::string>;
constexpr int kMaxDepth = 64;

// Each whitespace-separated word becomes a quoted FTS5 phrase with a prefix marker, all of them required: quoting
// makes any user text (operators, quotes, punctuation) literal, and the prefix gives substring-like matching of
// word starts as IMAP clients expect from TEXT/BODY.
std::string fts_query(std::string_view text) {
  std::string out;
  for (std::string_view word : split(text, ' ')) {
    word = trim(word);
    if (word.empty()) continue;
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : word) {
      if (c == '"') out += '"';
      out += c;
    }
    out += "\"*";
  }
  return out;
}

Result<std::string> to_sql(const SearchKey& k, std::vector<Param>& params, int depth) {
  if (depth > kMaxDepth) return store_error(Errc::invalid, "search program nested too deeply");
  using K = SearchKey::Kind;
  switch (k.kind) {
    case K::all:
      return std::string("1");
    case K::uid: {
      if (k.uids.ranges().size() <= 32) return uid_hull_clause(k.uids);
      // Large sets go in as one bound JSON array of [first, last] pairs: exact, and the SQL text stays fixed.
      std::string json = "[";
      for (const auto& r : k.uids.ranges()) {
        if (json.size() > 1) json += ',';
        json += '[';
        json += std::to_string(r.first);
        json += ',';
        json += std::to_string(r.last);
        json += ']';
      }
      params.emplace_back(json + "]");
      return std::string("EXISTS (SELECT 1 FROM json_each(?) j WHERE uid BETWEEN j.value->>0 AND j.value->>1)");
    }
    case K::flags_set:
      params.emplace_back(static_cast<int64_t>(k.flags));
      params.emplace_back(static_cast<int64_t>(k.flags));
      return std::string("(flags & ?) = ?");
    case K::flags_unset:
      params.emplace_back(static_cast<int64_t>(k.flags));
      return std::string("(flags & ?) = 0");
    case K::keyword:
    case K::unkeyword:
      params.emplace_back(std::string(" ").append(to_lower(k.text)).append(" "));
      return std::string(k.kind == K::keyword ? "instr(' ' || lower(keywords) || ' ', ?) > 0"
                                              : "instr(' ' || lower(keywords) || ' ', ?) = 0");
    case K::larger:
      params.emplace_back(k.number);
      return std::string("size > ?");
    case K::smaller:
      params.emplace_back(k.number);
      return std::string("size < ?");
    case K::before:
      params.emplace_back(k.number);
      return std::string("internaldate < ?");
    case K::since:
      params.emplace_back(k.number);
      return std::string("internaldate >= ?");
    case K::saved_before:
      params.emplace_back(k.number);
      return std::string("savedate < ?");
    case K::saved_since:
      params.emplace_back(k.number);
      return std::string("savedate >= ?");
    case K::modseq:
      params.emplace_back(k.number);
      return std::string("modseq >= ?");
    case K::text: {
      std::string q = fts_query(k.text);
      if (q.empty()) return std::string("1");  // an empty string is contained in every message
      params.emplace_back(q);
      return std::string("id IN (SELECT rowid FROM message_text WHERE message_text MATCH ?)");
    }
    case K::and_:
    case K::or_: {
      if (k.children.empty()) return std::string(k.kind == K::and_ ? "1" : "0");
      std::string out = "(";
      for (size_t i = 0; i < k.children.size(); ++i) {
        auto c = to_sql(k.children[i], params, depth + 1);
        if (!c) return c.error();
        if (i) out += k.kind == K::and_ ? " AND " : " OR ";
        out += *c;
      }
      return out + ")";
    }
    case K::not_: {
      if (k.children.size() != 1) return store_error(Errc::invalid, "NOT takes exactly one key");
      auto c = to_sql(k.children[0], params, depth + 1);
      if (!c) return c.error();
      return std::string("NOT ") + *c;
    }
  }
  return store_error(Errc::invalid, "unknown search key");
}

bool has_text_key(const SearchKey& k, int depth) {
  if (k.kind == SearchKey::Kind::text) return true;
  if (depth > kMaxDepth) return false;  // to_sql rejects it
  for (const SearchKey& c : k.children)
    if (has_text_key(c, depth + 1)) return true;
  return false;
}

}  // namespace

Result<std::vector<uint32_t>> SqliteMailStore::search(MailboxId mailbox, const SearchKey& key) {
  std::vector<Param> params;
  auto where = to_sql(key, params, 0);
  if (!where) return where.error();
  if (has_text_key(key, 0)) {
    // Messages still waiting for the bulk indexer (text_index.hpp) are indexed first, so a search sees every
    // message its caller could see. Usually nothing waits and this is one cheap read.
    auto pending = b_.read<bool>(
        [&](Connection& db) -> Result<bool> { return mailbox_has_pending_text(db, mailbox); });
    if (!pending) return pending.error();
    if (*pending) {
      auto indexed = b_.write<bool>(
          [&](WriteContext& ctx) -> Result<bool> {
            index_pending_text_of_mailbox(ctx.db, mailbox);
            return true;
          },
          Durability::relaxed);
      if (!indexed) return indexed.error();
    }
  }
  return b_.read<std::vector<uint32_t>>([&](Connection& db) -> Result<std::vector<uint32_t>> {
    if (!find_mailbox(db, account_, mailbox)) return store_error(Errc::not_found, "no such mailbox");
    auto q = db.prepare_once("SELECT uid FROM messages WHERE mailbox_id = ? AND " + *where + " ORDER BY uid");
    q.bind(1, mailbox);
    int i = 2;
    for (const Param& p : params) {
      if (const auto* n = std::get_if<int64_t>(&p)) q.bind(i++, *n);
      else q.bind(i++, std::get<std::string>(p));
    }
    std::vector<uint32_t> out;
    while (q.step()) out.push_back(static_cast<uint32_t>(q.int64(0)));
    return out;
  });
}

}  // namespace claret::store::sqlite
