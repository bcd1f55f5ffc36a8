// RETR/TOP transfer (RFC 1939 §7): CRLF line endings and byte-stuffing, byte-exact. A small message (the usual
// case) is read and encoded into its complete response in one trip to the offload pool, straight from the store's
// buffer (store::read_small_blob); a large one is read with pread in bounded chunks, each encoded and flushed before the next is read, so it
// is never held in memory whole.
#include <utility>
#include <vector>

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
// A RETR/TOP the read-ahead did not prepare, of a message up to this size (the SQLite store's default limit for
// blobs kept in the database, so in practice a page-cached row), is prepared on the session's own thread instead of
// the offload pool: the pool trip (two thread wake-ups and context switches) costs more CPU than the read and the
// encoding. Measured at c=4 (sessions sharing out one maildrop, no read-ahead), same binary, same minutes, load 16:
// 80-93 us of server CPU per 42 KB message without the trip, 113-143 us with it. Larger messages keep the pool.
constexpr std::uint64_t kDirectMax = 128 * 1024;

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
  Result<bool> visited = false;
  if (!body_lines) {
    // RETR: the store copies the message straight into the response after its status line, and it is checked in
    // place (proto::encode_whole_in_place): one copy of the message in all, where the encoder would add a second.
    std::size_t body_at = 0;
    visited = store::append_small_blob(blobs, id, kWholeMax, p.response,
                                       [&body_at](std::string& out, std::uint64_t size) {
                                         const std::string status = status_line(std::nullopt, size);
                                         out.reserve(status.size() + size + 3);
                                         out.append(status);
                                         body_at = out.size();
                                       });
    if (visited && *visited) proto::encode_whole_in_place(p.response, body_at);
  } else {
    visited = store::read_small_blob(blobs, id, kWholeMax, [&p, body_lines](std::string_view bytes) {
      const std::string status = status_line(body_lines, bytes.size());
      // Stuffing adds a byte per line starting with '.', rarely many: the margin avoids a regrowth in practice.
      p.response.reserve(status.size() + bytes.size() + bytes.size() / 64 + 16);
      p.response.append(status);
      proto::MessageEncoder encoder(body_lines);
      encoder.encode_to(p.response, bytes);
      encoder.finish_to(p.response);
    });
  }
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

// Blocking: runs offloaded. The responses for the planned messages (read_ahead.hpp), in order, in one pool trip; it
// stops at the first message that cannot be prepared whole: the RETR that needs it prepares it again and reports.
std::vector<std::pair<std::uint64_t, std::string>> prepare_batch(const store::BlobStore& blobs, const Maildrop& drop,
                                                                 const std::vector<std::uint64_t>& numbers) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  out.reserve(numbers.size());
  for (std::uint64_t n : numbers) {
    auto p = prepare(blobs, drop.find(n)->blob_id, std::nullopt);
    if (!p || !p->whole) break;
    out.emplace_back(n, std::move(p->response));
  }
  return out;
}

// After the RETR of `number` by a client fetching in order, once it is flushed: the responses for the next messages are
// prepared in one pool trip while the client takes the reply in, so their RETRs are answered without waiting for the
// pool. A failure is ignored here.
boost::asio::awaitable<void> read_ahead(Session& s, std::uint64_t number) {
  const std::vector<std::uint64_t> numbers = s.read_ahead.plan(s.maildrop, number, kWholeMax);
  if (numbers.empty()) co_return;
  const store::BlobStore& blobs = s.services().store.blobs();
  // The maildrop is only changed by this session's commands, and the session waits here: the pool may read it.
  const Maildrop& drop = s.maildrop;
  auto batch = co_await io::offload([&blobs, &drop, &numbers] { return prepare_batch(blobs, drop, numbers); });
  for (auto& [n, response] : batch) s.read_ahead.hold(n, std::move(response));
}

}  // namespace

boost::asio::awaitable<void> send_message(Session& s, std::uint64_t number, const MaildropMessage& m,
                                          std::optional<std::uint64_t> body_lines) {
  const store::BlobStore& blobs = s.services().store.blobs();
  const std::string blob_id = m.blob_id;
  // RETR may have its response read ahead; TOP never does, and leaves the read-ahead alone.
  std::optional<std::string> held;
  if (!body_lines) held = s.read_ahead.take(number);
  if (held) {
    s.reply_prepared(std::move(*held));
    ++s.retrieved;
  } else {
    Result<Prepared> prepared = make_error("not prepared");
    if (m.size <= kDirectMax) {
      prepared = prepare(blobs, blob_id, body_lines);
    } else {
      prepared = co_await io::offload([&blobs, &blob_id, body_lines] { return prepare(blobs, blob_id, body_lines); });
    }
    if (!prepared) {
      reply_open_failed(s, prepared.error());
    } else if (prepared->whole) {
      s.reply_prepared(std::move(prepared->response));
      ++s.retrieved;
    } else {
      co_await stream_large(s, *prepared, blob_id, body_lines);
      if (s.closing) co_return;
    }
  }
  if (body_lines) co_return;
  // Read-ahead pays only for a client fetching in order (fetchmail, phones); a client jumping around (or several
  // sessions sharing out one maildrop) would make it read messages twice.
  if (!s.read_ahead.want_more(number, held.has_value())) co_return;
  // The reply goes out first, so preparing the next messages overlaps the client's turn instead of adding to it.
  auto sent = co_await s.flush();
  if (!sent) co_return;
  co_await read_ahead(s, number);
}

}  // namespace claret::pop3::server
