// BDAT chunk accumulator (RFC 3030 §2-§3, CHUNKING and BINARYMIME): exact octet counts, no dot-stuffing,
// message complete after the chunk marked LAST.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "smtp/proto/content_scanner.hpp"

namespace claret::smtp::proto {

// One instance per message (the server makes a new one after RSET, a new MAIL, or the LAST chunk).
class BdatReader {
 public:
  explicit BdatReader(ContentLimits limits);

  // Announces the chunk of a "BDAT size [LAST]" command. Error (code 503) while a chunk is still being
  // read or after LAST. Over-limit chunks must still be read in full (RFC 3030 §2): feed() discards them.
  Status begin_chunk(std::uint64_t size, bool last);

  // Consumes bytes of the current chunk, up to its announced size; returns how many were used (the rest
  // is the next command).
  std::size_t feed(std::string_view bytes);

  std::uint64_t chunk_remaining() const { return remaining_; }
  bool chunk_complete() const { return remaining_ == 0; }
  bool message_complete() const { return last_ && remaining_ == 0; }

  std::string take_content() { return scanner_.take_content(); }
  const std::string& content() const { return scanner_.content(); }
  const ContentSummary& summary() const { return scanner_.summary(); }

 private:
  ContentScanner scanner_;
  std::uint64_t remaining_ = 0;
  bool last_ = false;
};

}  // namespace claret::smtp::proto
