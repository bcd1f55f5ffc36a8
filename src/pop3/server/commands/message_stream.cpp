// RETR/TOP transfer (RFC 1939 §7): the stored blob is read in bounded chunks with pread on the offload pool and
// sent with CRLF line endings and byte-stuffing, so a large message is never held in memory whole.
#include "base/log.hpp"
#include "io/offload.hpp"
#include "pop3/proto/message_encoder.hpp"
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"
#include "pop3/server/error_map.hpp"
#include "store/errc.hpp"

namespace claret::pop3::server {

namespace {

// Large enough that a typical message (tens of KB) takes one store round trip, small enough to bound memory
// per session.
constexpr std::uint64_t kChunk = 128 * 1024;

struct Opened {
  store::BlobReader reader;
  std::string first;
};

// Blocking: runs offloaded. Opening and the first read share one trip to the pool.
Result<Opened> open_blob(const store::BlobStore& blobs, const std::string& id) {
  auto reader = blobs.open(id);
  if (!reader) return reader.error();
  auto first = reader->read_at(0, kChunk);
  if (!first) return first.error();
  return Opened{std::move(*reader), std::move(*first)};
}

}  // namespace

// After a RETR response: open the next live message and read its first chunk (see Session::read_ahead). A failure
// is ignored here: the RETR that needs the message will open it again and report.
boost::asio::awaitable<void> read_ahead(Session& s, std::uint64_t number) {
  const MaildropMessage* next = s.maildrop.find(number);
  if (next == nullptr || next->deleted) co_return;
  const store::BlobStore& blobs = s.services().store.blobs();
  const std::string blob_id = next->blob_id;
  auto ahead = co_await io::offload([&blobs, &blob_id] { return open_blob(blobs, blob_id); });
  if (ahead) s.read_ahead = Session::ReadAhead{number, std::move(ahead->reader), std::move(ahead->first)};
}

boost::asio::awaitable<void> send_message(Session& s, std::uint64_t number, const MaildropMessage& m,
                                          std::optional<std::uint64_t> body_lines) {
  const store::BlobStore& blobs = s.services().store.blobs();
  const std::string blob_id = m.blob_id;
  Result<Opened> opened = make_error("not opened");
  if (s.read_ahead && s.read_ahead->number == number) {
    opened = Opened{std::move(s.read_ahead->reader), std::move(s.read_ahead->first)};
  } else {
    opened = co_await io::offload([&blobs, &blob_id] { return open_blob(blobs, blob_id); });
  }
  s.read_ahead.reset();
  if (!opened) {
    // The blob goes away only when no message references it any more: another session (IMAP EXPUNGE, a second
    // POP3 QUIT) removed this message after our snapshot was taken.
    if (store::has_code(opened.error(), store::Errc::not_found)) {
      s.reply(proto::err("Message was removed by another session"));
    } else {
      s.reply(store_error_reply(opened.error(), s.cid(), "pop3.retrieve.open_failed"));
    }
    co_return;
  }
  const store::BlobReader& reader = opened->reader;
  const std::uint64_t size = reader.size();
  proto::MessageEncoder encoder(body_lines);
  s.reply(proto::ok(body_lines ? std::string("Top of message follows") : std::to_string(size) + " octets"));
  std::string chunk = std::move(opened->first);
  std::uint64_t offset = chunk.size();
  for (;;) {
    s.conn().enqueue(encoder.encode(chunk));
    if (encoder.done() || offset >= size || chunk.empty()) break;
    // More to come: send what we have, so memory stays at one chunk whatever the message size.
    auto flushed = co_await s.flush();
    if (!flushed) co_return;
    auto next = co_await io::offload([&reader, offset] { return reader.read_at(offset, kChunk); });
    if (!next) {
      // "+OK" and part of the message are out: the only honest end is to drop the connection, which leaves the
      // maildrop untouched (no UPDATE state).
      log::warn("pop3.retrieve.read_failed", {{"cid", s.cid()}, {"blob", blob_id}, {"error", next.error().message}});
      s.closing = true;
      s.close_reason = "blob_read";
      co_return;
    }
    chunk = std::move(*next);
    offset += chunk.size();
  }
  s.conn().enqueue(encoder.finish());
  ++s.retrieved;
  if (body_lines) co_return;
  // The reply goes out first, so reading the next message overlaps the client's turn instead of adding to it.
  auto sent = co_await s.flush();
  if (!sent) co_return;
  co_await read_ahead(s, number + 1);
}

}  // namespace claret::pop3::server
