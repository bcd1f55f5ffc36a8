// BDAT (RFC 3030 §2, §3 CHUNKING and BINARYMIME): exact octet counts read whatever the outcome, 250 per chunk,
// the message ends with the LAST chunk.
#include <algorithm>
#include <chrono>

#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"
#include "smtp/server/delivery.hpp"
#include "smtp/server/error_map.hpp"

namespace claret::smtp::server {

namespace code = proto::code;
namespace enh = proto::enhanced;

namespace {

constexpr std::size_t kReadPiece = 64 * 1024;

// Ends the session after a failed read inside a chunk.
void read_failed(Session& s, const Error& error) {
  s.conn().clear_deadline();
  if (auto last = io_error_reply(error)) s.reply(*last);
  s.closing = true;
  s.close_reason = io::to_string(static_cast<io::IoErrc>(error.code));
  s.reset_transaction();
}

}  // namespace

boost::asio::awaitable<bool> discard_bdat_payload(Session& s, std::uint64_t size) {
  s.conn().set_deadline(std::chrono::seconds(s.config().smtp.data_timeout_s));
  while (size > 0) {
    auto piece = co_await s.conn().read_exact(static_cast<std::size_t>(std::min<std::uint64_t>(size, kReadPiece)));
    if (!piece) {
      read_failed(s, piece.error());
      co_return false;
    }
    size -= piece->size();
  }
  s.conn().clear_deadline();
  co_return true;
}

boost::asio::awaitable<void> cmd_bdat(Session& s, proto::BdatArgs args) {
  Transaction& t = s.txn();
  if (!t.bdat) t.bdat.emplace(proto::ContentLimits{s.config().smtp.max_message_size, proto::limit::kTextLine});
  if (auto st = t.bdat->begin_chunk(args.size, args.last); !st) {
    bool discarded = co_await discard_bdat_payload(s, args.size);
    if (discarded)
      s.reply(proto::make_reply(code::kBadSequence, enh::kInvalidCommand, st.error().message));
    co_return;
  }
  s.state = State::bdat;
  s.conn().set_deadline(std::chrono::seconds(s.config().smtp.data_timeout_s));
  std::uint64_t remaining = args.size;
  while (remaining > 0) {
    // The reader stops storing past the size limit, so a huge announced chunk costs time, not memory.
    auto piece = co_await s.conn().read_exact(static_cast<std::size_t>(std::min<std::uint64_t>(remaining, kReadPiece)));
    if (!piece) {
      read_failed(s, piece.error());
      co_return;
    }
    remaining -= piece->size();
    (void)t.bdat->feed(*piece);
  }
  s.conn().clear_deadline();
  if (!args.last) {
    s.reply(proto::make_reply(code::kOk, enh::kOk, std::to_string(args.size) + " octets received"));
    co_return;
  }
  ReceivedMessage message;
  message.binary = t.params.body == proto::BodyType::binary_mime;
  message.summary = t.bdat->summary();
  message.content = t.bdat->take_content();
  co_await finish_message(s, std::move(message));
}

}  // namespace claret::smtp::server
