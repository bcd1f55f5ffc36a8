// Readers for untagged mailbox/search data and UIDPLUS codes.
#include "imap/client/mailbox_data.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace claret::imap::client {

namespace {

Error bad(std::string_view what, std::string_view detail) {
  return make_error("malformed IMAP " + std::string(what) + " response: " + std::string(detail));
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::uint32_t> u32(const Value& v) {
  auto n = v.number();
  if (!n || *n > 0xffffffffu) return std::nullopt;
  return static_cast<std::uint32_t>(*n);
}

Result<ThreadNode> thread_list(const Value& v, std::size_t depth);

// thread-list = "(" (thread-members / thread-nested) ")"; members are a chain, nested lists branch off the last.
Status thread_members(const std::vector<Value>& items, std::size_t i, ThreadNode& into, std::size_t depth) {
  if (depth > kMaxValueDepth) return bad("THREAD", "nested too deeply");
  if (i >= items.size()) return {};
  if (items[i].is_list()) {
    for (; i < items.size(); ++i) {
      if (!items[i].is_list()) return bad("THREAD", "message number after a nested thread");
      auto child = thread_list(items[i], depth + 1);
      if (!child) return child.error();
      into.children.push_back(std::move(*child));
    }
    return {};
  }
  auto id = u32(items[i]);
  if (!id) return bad("THREAD", "message number expected");
  ThreadNode node;
  node.id = *id;
  auto st = thread_members(items, i + 1, node, depth + 1);
  if (!st) return st;
  into.children.push_back(std::move(node));
  return {};
}

Result<ThreadNode> thread_list(const Value& v, std::size_t depth) {
  if (!v.is_list() || v.items.empty()) return bad("THREAD", "non-empty list expected");
  ThreadNode holder;
  auto st = thread_members(v.items, 0, holder, depth);
  if (!st) return st.error();
  if (holder.children.size() == 1) return std::move(holder.children[0]);
  return holder;  // "((3)(5))": a dummy root (id 0) over siblings
}

}  // namespace

bool ListEntry::has_attribute(std::string_view a) const {
  return std::any_of(attributes.begin(), attributes.end(), [&](const std::string& x) { return iequals(x, a); });
}

std::vector<std::string> parse_capabilities(const std::vector<Value>& data) {
  std::vector<std::string> caps;
  for (const auto& v : data)
    if (v.is_atom()) caps.push_back(v.keyword());
  return caps;
}

Result<ListEntry> parse_list(const Response& r) {
  const auto& d = r.data;
  if (d.size() < 3 || !d[0].is_list()) return bad("LIST", "(attributes) delimiter name expected");
  ListEntry e;
  for (const auto& a : d[0].items) {
    if (!a.is_atom()) return bad("LIST", "attributes must be atoms");
    e.attributes.push_back(a.text);
  }
  if (d[1].is_string() && d[1].text.size() == 1)
    e.delimiter = d[1].text[0];
  else if (!d[1].is_nil())
    return bad("LIST", "delimiter must be a one-character string or NIL");
  if (!d[2].is_text()) return bad("LIST", "mailbox name expected");
  e.name = d[2].text;
  return e;
}

Result<StatusData> parse_status(const Response& r) {
  const auto& d = r.data;
  if (d.size() < 2 || !d[0].is_text() || !d[1].is_list() || d[1].items.size() % 2 != 0)
    return bad("STATUS", "mailbox (name value ...) expected");
  StatusData s;
  s.name = d[0].text;
  const auto& it = d[1].items;
  for (std::size_t i = 0; i + 1 < it.size(); i += 2) {
    auto key = it[i].keyword();
    auto n = it[i + 1].number();
    if (!n) return bad("STATUS", "number expected for " + key);
    auto small = static_cast<std::uint32_t>(std::min<std::uint64_t>(*n, 0xffffffffu));
    if (key == "MESSAGES") s.messages = small;
    else if (key == "UNSEEN") s.unseen = small;
    else if (key == "RECENT") s.recent = small;
    else if (key == "UIDNEXT") s.uidnext = small;
    else if (key == "UIDVALIDITY") s.uidvalidity = small;
    else if (key == "HIGHESTMODSEQ") s.highestmodseq = *n;
    else if (key == "SIZE") s.size = *n;
  }
  return s;
}

Result<SearchData> parse_search(const Response& r) {
  SearchData s;
  for (const auto& v : r.data) {
    if (v.is_list()) {
      if (v.items.size() == 2 && v.items[0].keyword() == "MODSEQ" && v.items[1].number()) {
        s.modseq = *v.items[1].number();
        continue;
      }
      return bad(r.name, "unexpected list");
    }
    auto n = u32(v);
    if (!n) return bad(r.name, "number expected");
    s.ids.push_back(*n);
  }
  return s;
}

Result<SearchData> parse_esearch(const Response& r) {
  SearchData s;
  const auto& d = r.data;
  std::size_t i = 0;
  if (i < d.size() && d[i].is_list()) ++i;  // (TAG "x")
  if (i < d.size() && d[i].keyword() == "UID") ++i;
  for (; i + 1 < d.size(); i += 2) {
    auto key = d[i].keyword();
    const auto& v = d[i + 1];
    if (key == "ALL") {
      if (!v.is_atom()) return bad("ESEARCH", "ALL needs a sequence set");
      auto ids = expand_number_set(v.text);
      if (!ids) return ids.error();
      s.ids = std::move(*ids);
    } else if (key == "COUNT") {
      s.count = u32(v);
    } else if (key == "MIN") {
      s.min = u32(v);
    } else if (key == "MAX") {
      s.max = u32(v);
    } else if (key == "MODSEQ") {
      s.modseq = v.number();
    }
  }
  return s;
}

Result<std::vector<ThreadNode>> parse_thread(const Response& r) {
  std::vector<ThreadNode> out;
  for (const auto& v : r.data) {
    auto t = thread_list(v, 0);
    if (!t) return t.error();
    out.push_back(std::move(*t));
  }
  return out;
}

std::optional<AppendUid> parse_appenduid(const ResponseCode& code) {
  if (code.name != "APPENDUID" || code.args.size() != 2) return std::nullopt;
  auto v = u32(code.args[0]);
  auto u = u32(code.args[1]);
  if (!v || !u) {
    // MULTIAPPEND may send a set; take its first uid.
    if (!v || !code.args[1].is_atom()) return std::nullopt;
    auto set = expand_number_set(code.args[1].text, 1u << 16);
    if (!set || set->empty()) return std::nullopt;
    return AppendUid{*v, set->front()};
  }
  return AppendUid{*v, *u};
}

std::optional<CopyUid> parse_copyuid(const ResponseCode& code) {
  if (code.name != "COPYUID" || code.args.size() != 3) return std::nullopt;
  auto v = u32(code.args[0]);
  if (!v || !code.args[1].is_atom() || !code.args[2].is_atom()) return std::nullopt;
  auto src = expand_number_set(code.args[1].text);
  auto dst = expand_number_set(code.args[2].text);
  if (!src || !dst || src->size() != dst->size()) return std::nullopt;
  return CopyUid{*v, std::move(*src), std::move(*dst)};
}

Result<std::vector<std::uint32_t>> expand_number_set(std::string_view set, std::size_t max_count) {
  std::vector<std::uint32_t> out;
  auto num = [](std::string_view s) -> std::optional<std::uint32_t> {
    std::uint32_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || n == 0) return std::nullopt;
    return n;
  };
  std::size_t pos = 0;
  while (pos <= set.size()) {
    auto comma = set.find(',', pos);
    auto item = set.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    auto colon = item.find(':');
    auto a = num(item.substr(0, colon));
    auto b = colon == std::string_view::npos ? a : num(item.substr(colon + 1));
    if (!a || !b) return make_error("malformed IMAP sequence set '" + std::string(set) + "'");
    auto lo = std::min(*a, *b), hi = std::max(*a, *b);
    if (hi - lo >= max_count || out.size() + (hi - lo) >= max_count)
      return make_error("IMAP sequence set too large");
    // RFC 4315 §3: a range in COPYUID keeps its direction; list in the order written.
    if (*a <= *b)
      for (auto n = lo;; ++n) { out.push_back(n); if (n == hi) break; }
    else
      for (auto n = hi;; --n) { out.push_back(n); if (n == lo) break; }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

std::string format_number_set(std::vector<std::uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string out;
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(ids[i]);
    if (j > i) out += ':' + std::to_string(ids[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace claret::imap::client
