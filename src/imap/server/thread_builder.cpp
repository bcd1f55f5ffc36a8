// RFC 5256 THREAD=ORDEREDSUBJECT and THREAD=REFERENCES.
#include "imap/server/thread_builder.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "base/strings.hpp"

namespace claret::imap::server {

namespace {

bool by_date(const ThreadInput& a, const ThreadInput& b) {
  return a.sent_date != b.sent_date ? a.sent_date < b.sent_date : a.id < b.id;
}

// Space-separated ids as the store keeps them ("a@b c@d", mime::parse_message_ids); angle brackets, if any,
// are dropped so "<a@b>" and "a@b" are the same id.
std::vector<std::string> message_ids(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find_first_of(" \t\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view id = text.substr(pos, end - pos);
    if (!id.empty() && id.front() == '<') id.remove_prefix(1);
    if (!id.empty() && id.back() == '>') id.remove_suffix(1);
    if (!id.empty()) out.emplace_back(id);
    pos = end + 1;
  }
  return out;
}

struct Container {
  const ThreadInput* message = nullptr;
  int parent = -1;
  std::vector<int> children;
};

class Threader {
 public:
  explicit Threader(const std::vector<ThreadInput>& messages) {
    containers_.reserve(messages.size() * 2);
    for (const auto& m : messages) add(m);
  }

  std::vector<proto::ThreadNode> build() {
    std::vector<int> roots;
    for (int i = 0; i < static_cast<int>(containers_.size()); ++i)
      if (containers_[i].parent < 0) roots.push_back(i);
    std::vector<int> pruned;
    for (int r : roots) prune(r, pruned, true);
    pruned = group_by_subject(pruned);
    std::vector<proto::ThreadNode> out;
    for (int r : pruned) out.push_back(node(r));
    sort_siblings(out);
    return out;
  }

 private:
  int id_for(const std::string& message_id) {
    auto it = by_id_.find(message_id);
    if (it != by_id_.end()) return it->second;
    containers_.emplace_back();
    int c = static_cast<int>(containers_.size()) - 1;
    by_id_.emplace(message_id, c);
    return c;
  }

  bool is_ancestor(int maybe_ancestor, int c) const {
    for (int p = c; p >= 0; p = containers_[p].parent)
      if (p == maybe_ancestor) return true;
    return false;
  }

  void unlink(int child) {
    int p = containers_[child].parent;
    if (p < 0) return;
    auto& siblings = containers_[p].children;
    siblings.erase(std::remove(siblings.begin(), siblings.end(), child), siblings.end());
    containers_[child].parent = -1;
  }

  void link(int parent, int child) {
    containers_[child].parent = parent;
    containers_[parent].children.push_back(child);
  }

  void add(const ThreadInput& m) {
    // A missing or duplicate Message-ID makes the message a thread of its own (§2.2 step 1A).
    int self;
    auto own = message_ids(m.message_id);
    const std::string mid = own.empty() ? std::string() : own.front();
    auto it = mid.empty() ? by_id_.end() : by_id_.find(mid);
    if (!mid.empty() && (it == by_id_.end() || containers_[it->second].message == nullptr)) {
      self = id_for(mid);
    } else {
      containers_.emplace_back();
      self = static_cast<int>(containers_.size()) - 1;
    }
    containers_[self].message = &m;
    auto refs = message_ids(m.references);
    if (refs.empty()) {
      auto irt = message_ids(m.in_reply_to);
      if (!irt.empty()) refs.push_back(irt.front());
    }
    // §2.2 step 1B: link each reference to the next unless that would make a loop or re-parent a child.
    int prev = -1;
    for (const auto& ref : refs) {
      int c = id_for(ref);
      if (prev >= 0 && c != prev && containers_[c].parent < 0 && !is_ancestor(c, prev)) link(prev, c);
      prev = c;
    }
    // §2.2 step 1C: the last reference is the message's parent, replacing what an earlier message implied.
    if (prev >= 0 && prev != self && !is_ancestor(self, prev)) {
      unlink(self);
      link(prev, self);
    }
  }

  // §2.2 step 3: empty containers disappear; their children move up, except that an empty root with several
  // children stays (as a dummy) so that they remain one thread.
  void prune(int c, std::vector<int>& out, bool at_root) {
    std::vector<int> kids;
    for (int k : containers_[c].children) prune(k, kids, false);
    containers_[c].children = kids;
    for (int k : kids) containers_[k].parent = c;
    if (containers_[c].message == nullptr) {
      if (kids.empty()) return;
      if (!at_root || kids.size() == 1) {
        for (int k : kids) out.push_back(k);
        return;
      }
    }
    out.push_back(c);
  }

  const ThreadInput* first_message(int c) const {
    if (containers_[c].message) return containers_[c].message;
    const ThreadInput* best = nullptr;
    for (int k : containers_[c].children) {
      const ThreadInput* m = first_message(k);
      if (m && (!best || by_date(*m, *best))) best = m;
    }
    return best;
  }

  // §2.2 step 5 (simplified: the store does not keep whether a subject had "Re:"): roots that share a non-empty
  // base subject are gathered under one dummy parent.
  std::vector<int> group_by_subject(const std::vector<int>& roots) {
    std::map<std::string, std::vector<int>> by_subject;
    std::vector<int> out;
    for (int r : roots) {
      const ThreadInput* m = first_message(r);
      if (!m || m->base_subject.empty()) {
        out.push_back(r);
        continue;
      }
      by_subject[to_lower(m->base_subject)].push_back(r);
    }
    for (auto& [subject, group] : by_subject) {
      if (group.size() == 1) {
        out.push_back(group.front());
        continue;
      }
      containers_.emplace_back();
      int dummy = static_cast<int>(containers_.size()) - 1;
      for (int r : group) {
        if (containers_[r].message == nullptr) {  // an existing dummy: adopt its children instead of nesting it
          for (int k : containers_[r].children) link(dummy, k);
          containers_[r].children.clear();
        } else {
          link(dummy, r);
        }
      }
      out.push_back(dummy);
    }
    return out;
  }

  proto::ThreadNode node(int c) const {
    proto::ThreadNode n;
    n.id = containers_[c].message ? containers_[c].message->id : 0;
    for (int k : containers_[c].children) n.children.push_back(node(k));
    return n;
  }

  // Sorted by sent date (§2.2 step 4 and 6); a dummy sorts by its earliest child.
  void sort_siblings(std::vector<proto::ThreadNode>& nodes) const {
    for (auto& n : nodes) sort_siblings(n.children);
    std::vector<std::pair<const ThreadInput*, std::size_t>> keys;
    std::vector<proto::ThreadNode> sorted;
    for (std::size_t i = 0; i < nodes.size(); ++i) keys.emplace_back(earliest(nodes[i]), i);
    std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
      if (!a.first || !b.first) return a.first != nullptr && b.first == nullptr;
      return by_date(*a.first, *b.first);
    });
    for (const auto& [m, i] : keys) sorted.push_back(std::move(nodes[i]));
    nodes = std::move(sorted);
  }

  const ThreadInput* earliest(const proto::ThreadNode& n) const {
    if (n.id != 0) return by_number_.count(n.id) ? by_number_.at(n.id) : nullptr;
    const ThreadInput* best = nullptr;
    for (const auto& k : n.children) {
      const ThreadInput* m = earliest(k);
      if (m && (!best || by_date(*m, *best))) best = m;
    }
    return best;
  }

 public:
  void index(const std::vector<ThreadInput>& messages) {
    for (const auto& m : messages) by_number_[m.id] = &m;
  }

 private:
  std::vector<Container> containers_;
  std::unordered_map<std::string, int> by_id_;
  std::unordered_map<std::uint32_t, const ThreadInput*> by_number_;
};

}  // namespace

std::vector<proto::ThreadNode> thread_ordered_subject(std::vector<ThreadInput> messages) {
  std::stable_sort(messages.begin(), messages.end(), [](const ThreadInput& a, const ThreadInput& b) {
    int c = to_lower(a.base_subject).compare(to_lower(b.base_subject));
    if (c != 0) return c < 0;
    return by_date(a, b);
  });
  std::vector<std::pair<const ThreadInput*, proto::ThreadNode>> threads;
  for (std::size_t i = 0; i < messages.size();) {
    std::size_t j = i + 1;
    const std::string subject = to_lower(messages[i].base_subject);
    while (j < messages.size() && to_lower(messages[j].base_subject) == subject) ++j;
    proto::ThreadNode root;
    root.id = messages[i].id;
    for (std::size_t k = i + 1; k < j; ++k) root.children.push_back(proto::ThreadNode{messages[k].id, {}});
    threads.emplace_back(&messages[i], std::move(root));
    i = j;
  }
  std::stable_sort(threads.begin(), threads.end(),
                   [](const auto& a, const auto& b) { return by_date(*a.first, *b.first); });
  std::vector<proto::ThreadNode> out;
  out.reserve(threads.size());
  for (auto& t : threads) out.push_back(std::move(t.second));
  return out;
}

std::vector<proto::ThreadNode> thread_references(const std::vector<ThreadInput>& messages) {
  Threader t(messages);
  t.index(messages);
  return t.build();
}

}  // namespace claret::imap::server
