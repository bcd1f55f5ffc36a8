// RETR/TOP transfer (RFC 1939 §7): CRLF line endings and byte-stuffing, byte-exact. A small message (the usual
// case) is read and encoded into its complete response in one trip to the offload pool, straight from the store's
// buffer (store::read_small_blob); a large one is read with pread in bounded chunks, each encoded and flushed before the next is read, so it
// is never held in memory whole.
#include "base/log.hpp"
#include "io/offload.hpp"
#include "pop3/proto/message_encoder.hpp"
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"
#include "pop3/server/error_map.hpp"
#include "store/errc.hpp"
#include "store/small_blob_reader.hpp"

namespace claret::pop3::server {

namespace {

// Up to this size a message is encoded whole into one response buffer (about the size plus its stuffing): one
// store read, one encoding pass, one write.
constexpr std::uint64_t kWholeMax = 256 * 1024;
// Larger messages are streamed in chunks of this size, so memory per session stays bounded.
constexpr std::uint64_t kChunk = 128 * 1024;

std::string status_line(std::optional<std::uint64_t> body_lines, std::uint64_t size) {
  return proto::ok(body_lines ? std::string("Top of message follows") : std::to_string(size) + " octets");
}

// A message ready to send: either its complete response (`whole`), or an open reader with the first chunk read.
struct Prepared {
  bool whole = false;
  std::string response;  // whole: status line, encoded message, terminator
  store::BlobReader reader;
  std::string first;
};

// Blocking: runs offloaded. Reading, encoding and (for a large message) opening share one trip to the pool.
Result<Prepared> prepare(const store::BlobStore& blobs, const std::string& id, std::optional<std::uint64_t> body_lines) {
  Prepared p;
  auto visited = store::read_small_blob(blobs, id, kWholeMax, [&p, body_lines](std::string_view bytes) {
    p.response = status_line(body_lines, bytes.size());
    // Stuffing adds a byte per line starting with '.', rarely many: the margin avoids a regrowth in practice.
    p.response.reserve(p.response.size() + bytes.size() + bytes.size() / 64 + 16);
    proto::MessageEncoder encoder(body_lines);
    encoder.encode_to(p.response, bytes);
    encoder.finish_to(p.response);
  });
  if (!visited) return visited.error();
  if (*visited) {
    p.whole = true;
    return p;
  }
  auto reader = blobs.open(id);
  if (!reader) return reader.error();
  auto first = reader->read_at(0, kChunk);
  if (!first) return first.error();
  p.reader = std::move(*reader);
  p.first = std::move(*first);
  return p;
}

void reply_open_failed(Session& s, const Error& e) {
  // The blob goes away only when no message references it any more: another session (IMAP EXPUNGE, a second POP3
  // QUIT) removed this message after our snapshot was taken.
  if (store::has_code(e, store::Errc::not_found)) {
    s.reply(proto::err("Message was removed by another session"));
  } else {
    s.reply(store_error_reply(e, s.cid(), "pop3.retrieve.open_failed"));
  }
}

// The chunked path for a message over kWholeMax.
boost::asio::awaitable<void> stream_large(Session& s, Prepared& opened, const std::string& blob_id,
                                          std::optional<std::uint64_t> body_lines) {
  const store::BlobReader& reader = opened.reader;
  const std::uint64_t size = reader.size();
  proto::MessageEncoder encoder(body_lines);
  s.reply(status_line(body_lines, size));
  std::string chunk = std::move(opened.first);
  std::uint64_t offset = chunk.size();
  for (;;) {
    std::string encoded;
    encoded.reserve(chunk.size() + chunk.size() / 64 + 16);
    encoder.encode_to(encoded, chunk);
    s.conn().enqueue(encoded);
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
  std::string end;
  encoder.finish_to(end);
  s.conn().enqueue(end);
  ++s.retrieved;
}

}  // namespace

// After a RETR response of a client fetching in order: message n+1's response is prepared while the client takes
// the reply in (see Session::read_ahead). Only small messages; a failure is ignored here: the RETR that needs the
// message prepares it again and reports.
boost::asio::awaitable<void> read_ahead(Session& s, std::uint64_t number) {
  const MaildropMessage* next = s.maildrop.find(number);
  if (next == nullptr || next->deleted || next->size > kWholeMax) co_return;
  const store::BlobStore& blobs = s.services().store.blobs();
  const std::string blob_id = next->blob_id;
  auto ahead = co_await io::offload([&blobs, &blob_id] { return prepare(blobs, blob_id, std::nullopt); });
  if (ahead && ahead->whole) s.read_ahead = Session::ReadAhead{number, std::move(ahead->response)};
}

boost::asio::awaitable<void> send_message(Session& s, std::uint64_t number, const MaildropMessage& m,
                                          std::optional<std::uint64_t> body_lines) {
  const store::BlobStore& blobs = s.services().store.blobs();
  const std::string blob_id = m.blob_id;
  // Read-ahead pays only for a client fetching in order (fetchmail, phones); a client jumping around (or several
  // sessions sharing out one maildrop) would make it read every message twice.
  const bool in_order = !body_lines && number == s.last_retr + 1;
  if (!body_lines) s.last_retr = number;
  Result<Prepared> prepared = make_error("not prepared");
  if (!body_lines && s.read_ahead && s.read_ahead->number == number) {
    Prepared p;
    p.whole = true;
    p.response = std::move(s.read_ahead->response);
    prepared = std::move(p);
  } else {
    prepared = co_await io::offload([&blobs, &blob_id, body_lines] { return prepare(blobs, blob_id, body_lines); });
  }
  s.read_ahead.reset();
  if (!prepared) {
    reply_open_failed(s, prepared.error());
    co_return;
  }
  if (prepared->whole) {
    s.reply_prepared(prepared->response);
    ++s.retrieved;
  } else {
    co_await stream_large(s, *prepared, blob_id, body_lines);
    if (s.closing) co_return;
  }
  if (!in_order) co_return;
  // The reply goes out first, so preparing the next message overlaps the client's turn instead of adding to it.
  auto sent = co_await s.flush();
  if (!sent) co_return;
  co_await read_ahead(s, number + 1);
}

}  // namespace claret::pop3::server
