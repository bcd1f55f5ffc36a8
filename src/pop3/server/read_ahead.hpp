// The RETR read-ahead of one POP3 session (RFC 1939 §5 RETR): complete responses prepared for the messages a client
// fetching in order will ask for next, so most RETRs are answered without a trip to the offload pool. Pure
// bookkeeping, no I/O: message_stream.cpp reads and encodes the planned messages in one pool trip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "pop3/server/maildrop.hpp"

namespace claret::pop3::server {

class ReadAhead {
 public:
  // A batch holds at most this many responses...
  static constexpr std::size_t kMaxMessages = 8;
  // ...and plans at most this many stored octets (the first message always fits): the memory a session may hold.
  static constexpr std::uint64_t kMaxBytes = 1024 * 1024;

  // RETR `number`: its prepared response when held. Held responses for lower numbers are dropped (the client skipped
  // them); a miss drops everything held.
  std::optional<std::string> take(std::uint64_t number);

  // After RETR `number` was answered: whether to prepare more now, i.e. the client is fetching in order (this RETR
  // followed the previous one, or was served from the read-ahead) and nothing is held any more. Call once per RETR;
  // a client that jumps gets its window shrunk back to one message, so it never costs more than one wasted read.
  bool want_more(std::uint64_t number, bool served_from_held);

  // The messages to prepare after `number`: the next ones in order, deleted ones skipped, stopping before a message
  // over `whole_max` (it is streamed when asked for), at the window and at kMaxBytes. Grows the window (1, 2, 4, 8)
  // for the next batch, like TCP slow start: a client that keeps going in order soon gets full batches.
  std::vector<std::uint64_t> plan(const Maildrop& drop, std::uint64_t number, std::uint64_t whole_max);

  // Prepared responses, in the planned order (a prefix of the plan: preparation stops at the first failure).
  void hold(std::uint64_t number, std::string response);

  std::size_t held() const { return held_.size(); }
  std::uint64_t held_bytes() const { return held_bytes_; }
  std::size_t window() const { return window_; }

 private:
  struct Entry {
    std::uint64_t number = 0;
    std::string response;
  };
  void drop_front();

  std::deque<Entry> held_;
  std::uint64_t held_bytes_ = 0;
  std::size_t window_ = 1;
  std::uint64_t last_retr_ = 0;
};

}  // namespace claret::pop3::server
