// RETR read-ahead bookkeeping: what is held, when to read more, which messages (RFC 1939 §5 RETR).
#include "pop3/server/read_ahead.hpp"

#include <algorithm>

namespace claret::pop3::server {

void ReadAhead::drop_front() {
  held_bytes_ -= held_.front().response.size();
  held_.pop_front();
}

std::optional<std::string> ReadAhead::take(std::uint64_t number) {
  while (!held_.empty() && held_.front().number < number) drop_front();
  if (held_.empty() || held_.front().number != number) {
    held_.clear();
    held_bytes_ = 0;
    return std::nullopt;
  }
  std::string response = std::move(held_.front().response);
  held_bytes_ -= response.size();
  held_.pop_front();
  return response;
}

bool ReadAhead::want_more(std::uint64_t number, bool served_from_held) {
  const bool in_order = served_from_held || number == last_retr_ + 1;
  last_retr_ = number;
  if (!in_order) {
    window_ = 1;
    return false;
  }
  return held_.empty();
}

std::vector<std::uint64_t> ReadAhead::plan(const Maildrop& drop, std::uint64_t number, std::uint64_t whole_max) {
  std::vector<std::uint64_t> out;
  std::uint64_t bytes = 0;
  for (std::uint64_t n = number + 1; n <= drop.count() && out.size() < window_; ++n) {
    const MaildropMessage* m = drop.find(n);
    if (m->deleted) continue;
    if (m->size > whole_max) break;
    if (!out.empty() && bytes + m->size > kMaxBytes) break;
    bytes += m->size;
    out.push_back(n);
  }
  window_ = std::min(window_ * 2, kMaxMessages);
  return out;
}

void ReadAhead::hold(std::uint64_t number, std::string response) {
  held_bytes_ += response.size();
  held_.push_back(Entry{number, std::move(response)});
}

}  // namespace claret::pop3::server
