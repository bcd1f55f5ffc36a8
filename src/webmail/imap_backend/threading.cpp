// Union-find over message ids and base subjects (a simplified RFC 5256 REFERENCES algorithm).
#include "webmail/imap_backend/threading.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "mime/base_subject.hpp"

namespace claret::webmail {

std::vector<std::string> message_ids(std::string_view header) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = header.find('<', pos)) != std::string_view::npos) {
    auto end = header.find('>', pos);
    if (end == std::string_view::npos) break;
    out.emplace_back(header.substr(pos, end - pos + 1));
    pos = end + 1;
  }
  return out;
}

std::vector<std::vector<std::uint32_t>> group_threads(const std::vector<ThreadInput>& messages) {
  std::vector<std::size_t> parent(messages.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  auto unite = [&](std::size_t a, std::size_t b) { parent[find(a)] = find(b); };
  std::map<std::string, std::size_t> by_id;
  std::map<std::string, std::size_t> by_subject;  // base subject → first message that is not a reply
  for (std::size_t i = 0; i < messages.size(); ++i) {
    for (const auto& id : message_ids(messages[i].message_id)) by_id.emplace(id, i);
    auto base = mime::base_subject(messages[i].subject);
    if (!base.empty()) by_subject.emplace(base, i);
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    bool linked = false;
    for (const auto& ref : message_ids(messages[i].references + " " + messages[i].in_reply_to)) {
      auto it = by_id.find(ref);
      if (it != by_id.end()) {
        unite(i, it->second);
        linked = true;
      }
    }
    // A reply whose parent is not here by id: join the conversation with the same base subject.
    auto base = mime::base_subject(messages[i].subject);
    if (!linked && !base.empty() && base != messages[i].subject) {
      auto it = by_subject.find(base);
      if (it != by_subject.end()) unite(i, it->second);
    }
  }
  std::map<std::size_t, std::vector<std::uint32_t>> groups;
  for (std::size_t i = 0; i < messages.size(); ++i) groups[find(i)].push_back(messages[i].uid);
  std::vector<std::vector<std::uint32_t>> out;
  for (auto& [root, uids] : groups) {
    std::sort(uids.begin(), uids.end());
    out.push_back(std::move(uids));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
  return out;
}

namespace {
void collect(const imap::client::ThreadNode& n, std::vector<std::uint32_t>& out) {
  if (n.id != 0) out.push_back(n.id);
  for (const auto& c : n.children) collect(c, out);
}
}  // namespace

std::vector<std::uint32_t> thread_members(const imap::client::ThreadNode& root) {
  std::vector<std::uint32_t> out;
  collect(root, out);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace claret::webmail
