// Arguments of STORE (RFC 9051 §6.4.6, UNCHANGEDSINCE RFC 7162 §3.1.3), COPY (§6.4.7), MOVE (RFC 6851 §3)
// and UID EXPUNGE (RFC 4315 §2.1, RFC 9051 §6.4.9), all also in their UID forms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/parse_options.hpp"
#include "imap/proto/sequence_set.hpp"

namespace claret::imap::proto {

struct StoreArgs {
  enum class Op : std::uint8_t { replace, add, remove };  // FLAGS, +FLAGS, -FLAGS
  SequenceSet set;
  std::optional<std::uint64_t> unchanged_since;
  Op op = Op::replace;
  bool silent = false;
  std::vector<std::string> flags;
};

struct CopyArgs {  // COPY and MOVE
  SequenceSet set;
  std::string mailbox;  // UTF-8
};

struct UidExpungeArgs {
  SequenceSet uids;
};

Result<StoreArgs> parse_store(std::string_view args, const ParseOptions& opt);
Result<CopyArgs> parse_copy(std::string_view args, const ParseOptions& opt);
Result<UidExpungeArgs> parse_uid_expunge(std::string_view args, const ParseOptions& opt);

}  // namespace claret::imap::proto
