// Connection::Impl: socket and TLS operations with Postfix-style timeouts (idle per read, plus an
// absolute per-command deadline), watched by one timer per connection that cancels the socket when a deadline
// passes; plain reads and writes are tried synchronously (non-blocking) before going through the reactor.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "io/connection_impl.hpp"

namespace claret::io {
namespace asio = boost::asio;
namespace {

constexpr auto kTok = asio::as_tuple(asio::use_awaitable);
// close_notify is a courtesy: never wait long to send it.
constexpr auto kCloseNotifyTimeout = std::chrono::seconds(1);

}  // namespace

std::shared_ptr<Connection::Impl> Connection::Impl::create(tcp::socket socket, Role role,
                                                           std::shared_ptr<tls::TlsContext> tls,
                                                           ShutdownSignal shutdown, std::string server_name) {
  auto impl = std::make_shared<Impl>(std::move(socket), role, std::move(tls), std::move(shutdown),
                                     std::move(server_name));
  // The callback may run on any thread: it only posts to the connection's strand.
  std::weak_ptr<Impl> weak = impl;
  auto executor = impl->socket_.get_executor();
  impl->shutdown_callback_ = impl->shutdown_.add_callback([weak, executor] {
    asio::post(executor, [weak] {
      if (auto self = weak.lock()) self->on_shutdown_signal();
    });
  });
  return impl;
}

Connection::Impl::Impl(tcp::socket socket, Role role, std::shared_ptr<tls::TlsContext> tls, ShutdownSignal shutdown,
                       std::string server_name)
    : socket_(std::move(socket)),
      role_(role),
      tls_config_(std::move(tls)),
      server_name_(std::move(server_name)),
      shutdown_(std::move(shutdown)),
      watch_timer_(socket_.get_executor()),
      write_idle_(socket_.get_executor(), asio::steady_timer::time_point::max()) {
  boost::system::error_code ec;
  // Plain reads and writes are first tried synchronously (read_nonblocking, flush): with this flag a sync call that
  // cannot proceed returns would_block instead of polling. Async operations (TLS, waits) are unaffected.
  socket_.non_blocking(true, ec);
  auto peer = socket_.remote_endpoint(ec);
  if (!ec) {
    peer_address_ = peer.address().to_string();
    peer_port_ = peer.port();
  }
  auto local = socket_.local_endpoint(ec);
  if (!ec) {
    local_address_ = local.address().to_string();
    local_port_ = local.port();
  }
}

Connection::Impl::~Impl() { shutdown_.remove_callback(shutdown_callback_); }

void Connection::Impl::consume(std::size_t n) {
  in_pos_ += n;
  if (in_pos_ == in_.size()) {
    in_.clear();
    in_pos_ = 0;
  }
}

Connection::Impl::Expiry Connection::Impl::expiry() const {
  auto idle = Clock::now() + idle_timeout_;
  if (deadline_ && *deadline_ < idle) return {*deadline_, "command deadline"};
  return {idle, "idle timeout"};
}

void Connection::Impl::arm(Timer which, Clock::time_point at) {
  (which == Timer::read ? read_timed_out_ : write_timed_out_) = false;
  (which == Timer::read ? read_deadline_ : write_deadline_) = at;
  // A timer already set for this moment or earlier will see the new deadline when it fires.
  if (at < watch_at_) watch_until(at);
}

void Connection::Impl::disarm(Timer which) {
  // The timer keeps running: when it fires with nothing in flight it simply stops (on_watch_timer).
  (which == Timer::read ? read_deadline_ : write_deadline_) = Clock::time_point::max();
}

void Connection::Impl::watch_until(Clock::time_point at) {
  watch_at_ = at;
  // expires_at() aborts a pending wait; the generation also covers a completion already queued when it did:
  // neither may act for the timer set here.
  watch_timer_.expires_at(at);
  watch_timer_.async_wait([weak = weak_from_this(), armed = ++watch_generation_](const boost::system::error_code& ec) {
    if (ec) return;
    auto self = weak.lock();
    if (!self || armed != self->watch_generation_) return;
    self->on_watch_timer();
  });
}

void Connection::Impl::on_watch_timer() {
  watch_at_ = Clock::time_point::max();
  const auto now = Clock::now();
  bool expired = false;
  if (read_deadline_ <= now) {
    read_timed_out_ = true;
    read_deadline_ = Clock::time_point::max();
    expired = true;
  }
  if (write_deadline_ <= now) {
    write_timed_out_ = true;
    write_deadline_ = Clock::time_point::max();
    expired = true;
  }
  if (expired) {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
  }
  // An operation still in flight (its deadline was moved later since the timer was set): watch it in turn.
  const auto next = std::min(read_deadline_, write_deadline_);
  if (next != Clock::time_point::max()) watch_until(next);
}

std::size_t Connection::Impl::read_nonblocking(std::string& dst, std::size_t max_bytes,
                                               boost::system::error_code& ec) {
  // A scratch buffer per thread rather than growing dst by the full chunk: resizing a std::string zero-fills it, and
  // a command line is a few bytes of a 16 KiB chunk. The copy is of the bytes received only.
  constexpr std::size_t kScratch = 16 * 1024;
  thread_local char scratch[kScratch];
  const std::size_t n = socket_.read_some(asio::buffer(scratch, std::min(max_bytes, kScratch)), ec);
  if (!ec) dst.append(scratch, n);
  return n;
}

void Connection::Impl::on_shutdown_signal() {
  if (reading_ && read_interruptible_ && !read_interrupted_) {
    read_interrupted_ = true;
    boost::system::error_code ignored;
    socket_.cancel(ignored);
  }
}

Error Connection::Impl::map_error(const boost::system::error_code& ec, bool timed_out, bool interrupted) const {
  if (timed_out) return make_io_error(IoErrc::timeout);
  if (interrupted) return make_io_error(IoErrc::shutdown);
  if (closed_) return make_io_error(IoErrc::closed);
  if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) return make_io_error(IoErrc::eof);
  if (ec.category() == asio::error::get_ssl_category()) return make_io_error(IoErrc::tls, ec.message());
  return make_io_error(IoErrc::network, ec.message());
}

asio::awaitable<Status> Connection::Impl::handshake() {
  if (tls_) co_return make_io_error(IoErrc::invalid_state, "TLS already active");
  if (!tls_config_) co_return make_io_error(IoErrc::invalid_state, "no TLS context");
  tls_native_ = tls_config_->snapshot();
  tls_ = std::make_unique<TlsStream>(socket_, tls_native_->ssl);
  SSL* ssl = tls_->native_handle();
  if (role_ == Role::client && !server_name_.empty()) {
    // SNI (RFC 6066 §3) and, when verifying, RFC 6125 host name matching.
    SSL_set_tlsext_host_name(ssl, server_name_.c_str());
    if (tls_config_->verify_peer()) SSL_set1_host(ssl, server_name_.c_str());
  }
  arm(Timer::read, expiry().at);
  reading_ = true;
  auto [ec] = co_await tls_->async_handshake(
      role_ == Role::server ? asio::ssl::stream_base::server : asio::ssl::stream_base::client, kTok);
  reading_ = false;
  bool timed_out = read_timed_out_;
  disarm(Timer::read);
  if (ec || timed_out) {
    tls_failed_ = true;
    co_return map_error(ec ? ec : asio::error::operation_aborted, timed_out, false);
  }
  co_return Status{};
}

asio::awaitable<Result<bool>> Connection::Impl::wait_readable(Clock::time_point at) {
  if (closed_) co_return make_io_error(IoErrc::closed);
  if (reading_) co_return make_io_error(IoErrc::invalid_state, "a read is already in progress");
  // With TLS (or compression), raw bytes may carry no application data; only plaintext can be checked.
  if (tls_ || deflate_) co_return false;
  if (at <= Clock::now()) {
    boost::system::error_code ec;
    co_return socket_.available(ec) > 0;
  }
  arm(Timer::read, at);
  reading_ = true;
  auto [ec] = co_await socket_.async_wait(tcp::socket::wait_read, kTok);
  reading_ = false;
  bool timed_out = read_timed_out_;
  disarm(Timer::read);
  if (timed_out) co_return false;
  if (ec) co_return map_error(ec, false, false);
  co_return true;
}

asio::awaitable<Result<std::size_t>> Connection::Impl::read_more(std::size_t max_bytes, bool interruptible) {
  if (closed_) co_return make_io_error(IoErrc::closed);
  if (reading_) co_return make_io_error(IoErrc::invalid_state, "a read is already in progress");
  // Drop consumed bytes before growing the buffer, so a long session does not accumulate them.
  if (in_pos_ > 0) {
    in_.erase(0, in_pos_);
    in_pos_ = 0;
  }
  if (!deflate_) co_return co_await read_transport(in_, max_bytes, interruptible);
  // Compressed: inflate at most one chunk per call, so the callers' line and literal limits apply to inflated
  // bytes and a small deflate bomb never becomes one large buffer. Transport reads happen only once the stage
  // has used up what it holds, so its input stays bounded by one transport chunk too.
  constexpr std::size_t kChunk = 16 * 1024;
  const std::size_t want = std::max<std::size_t>(1, std::min(max_bytes, kChunk));
  for (;;) {
    if (deflate_->has_pending_input()) {
      auto inflated = deflate_->inflate_into(in_, want);
      if (!inflated) co_return inflated.error();
      if (*inflated > 0) co_return *inflated;
      if (deflate_->has_pending_input()) continue;  // input consumed without output yet (block headers)
    }
    // A stream the peer ended can carry nothing more: the same as the end of the connection.
    if (deflate_->ended()) co_return make_io_error(IoErrc::eof, "the peer ended its compressed stream");
    std::string compressed;
    auto got = co_await read_transport(compressed, kChunk, interruptible);
    if (!got) co_return got.error();
    deflate_->feed(compressed);
  }
}

asio::awaitable<Result<std::size_t>> Connection::Impl::read_transport(std::string& dst, std::size_t max_bytes,
                                                                      bool interruptible) {
  if (closed_) co_return make_io_error(IoErrc::closed);
  if (tls_failed_) co_return make_io_error(IoErrc::tls, "TLS session failed earlier");
  if (reading_) co_return make_io_error(IoErrc::invalid_state, "a read is already in progress");
  if (interruptible && shutdown_.requested()) co_return make_io_error(IoErrc::shutdown);
  auto [at, what] = expiry();
  if (at <= Clock::now()) co_return make_io_error(IoErrc::timeout, what);

  constexpr std::size_t kChunk = 16 * 1024;
  std::size_t want = std::max<std::size_t>(1, std::min(max_bytes, kChunk));
  if (!tls_) {
    // Plain: try the read first and wait only when nothing is there. A read that succeeds at once (pipelined
    // commands, a message body arriving) involves no timer, no reactor and no completion posted to another thread
    // (Asio posts even an immediately successful async read through the scheduler, which wakes a second io thread).
    boost::system::error_code try_ec;
    const std::size_t got = read_nonblocking(dst, want, try_ec);
    if (!try_ec && got > 0) {
      bytes_in_ += got;
      co_return got;
    }
    if (!try_ec) try_ec = asio::error::eof;
    if (try_ec != asio::error::would_block && try_ec != asio::error::try_again)
      co_return map_error(try_ec, false, false);
    // Most connections are idle (IMAP IDLE, a mail client between commands): do not hold a grown receive buffer
    // while waiting.
    constexpr std::size_t kKeepWhileIdle = 1024;
    if (dst.empty() && in_.empty() && in_.capacity() > kKeepWhileIdle) std::string().swap(in_);
    // Wait with a small read rather than async_wait(wait_read): the reactor watches sockets edge-triggered, and a
    // wait queued just after the bytes' edge was handled would never complete, while a read first retries the
    // socket. Small, because the idle connection holds it: a command line fits, and a longer input continues
    // with the non-blocking read above at the next call.
    constexpr std::size_t kWaitChunk = 512;
    want = std::min(want, kWaitChunk);
  }
  // Plain: the wait. TLS: always the stream's async read (it may hold decrypted bytes the socket no longer shows).
  std::size_t old_size = dst.size();
  dst.resize(old_size + want);
  auto buffer = asio::buffer(dst.data() + old_size, want);

  arm(Timer::read, at);
  reading_ = true;
  read_interruptible_ = interruptible;
  read_interrupted_ = false;
  boost::system::error_code ec;
  std::size_t n = 0;
  if (tls_) {
    std::tie(ec, n) = co_await tls_->async_read_some(buffer, kTok);
  } else {
    std::tie(ec, n) = co_await socket_.async_read_some(buffer, kTok);
  }
  reading_ = false;
  read_interruptible_ = false;
  bool timed_out = read_timed_out_;
  bool interrupted = read_interrupted_;
  disarm(Timer::read);
  dst.resize(old_size + n);
  bytes_in_ += n;
  if (n > 0) co_return n;  // an error that came with data shows up on the next read
  if (!ec) ec = asio::error::eof;
  if (tls_ && ec.category() == asio::error::get_ssl_category() && ec != asio::ssl::error::stream_truncated)
    tls_failed_ = true;
  co_return map_error(ec, timed_out, interrupted);
}

asio::awaitable<Status> Connection::Impl::flush() {
  // Writes are serialised: a flush that finds one in progress (e.g. an IMAP IDLE push while a reply
  // is being sent) waits for it, then sends whatever has accumulated meanwhile. The timer never
  // expires; cancel() wakes the waiters.
  while (writing_ && !closed_) co_await write_idle_.async_wait(kTok);
  if (out_.empty()) co_return Status{};
  if (closed_) co_return make_io_error(IoErrc::closed);
  if (tls_failed_) co_return make_io_error(IoErrc::tls, "TLS session failed earlier");
  auto [at, what] = expiry();
  if (at <= Clock::now()) co_return make_io_error(IoErrc::timeout, what);
  // Take the buffer: another coroutine may enqueue() while this write is in flight.
  std::string data;
  data.swap(out_);
  if (deflate_) {
    // Each flush ends with a sync flush, so the peer can decompress the whole reply now (RFC 4978 §4).
    std::string compressed;
    auto deflated = deflate_->deflate_into(data, compressed);
    if (!deflated) co_return deflated.error();
    data.swap(compressed);
  }
  std::size_t sent = 0;
  if (!tls_) {
    // Plain: write synchronously as far as the socket buffer takes it (a whole reply, usually), so the common case
    // costs one send and no timer, reactor or posted completion. Only the rest, if any, waits asynchronously.
    boost::system::error_code ec;
    while (sent < data.size()) {
      const std::size_t n = socket_.write_some(asio::buffer(data.data() + sent, data.size() - sent), ec);
      if (ec || n == 0) break;
      sent += n;
    }
    bytes_out_ += sent;
    if (sent == data.size()) co_return Status{};
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) co_return map_error(ec, false, false);
  }
  arm(Timer::write, at);
  writing_ = true;
  boost::system::error_code ec;
  std::size_t n = 0;
  const auto rest = asio::buffer(data.data() + sent, data.size() - sent);
  if (tls_) {
    std::tie(ec, n) = co_await asio::async_write(*tls_, rest, kTok);
  } else {
    std::tie(ec, n) = co_await asio::async_write(socket_, rest, kTok);
  }
  writing_ = false;
  write_idle_.cancel();
  bool timed_out = write_timed_out_;
  disarm(Timer::write);
  bytes_out_ += n;
  if (ec || timed_out) co_return map_error(ec ? ec : asio::error::operation_aborted, timed_out, false);
  co_return Status{};
}

asio::awaitable<void> Connection::Impl::close() {
  if (closed_) co_return;
  if (!writing_) {
    auto flushed = co_await flush();
    (void)flushed;  // best effort: the peer may already be gone
  }
  if (tls_ && !tls_failed_ && !closed_ && !reading_ && !writing_) {
    // Send our close_notify without waiting for the peer's (RFC 8446 §6.1 allows it): marking the
    // peer's alert as already received makes SSL_shutdown complete once ours is written.
    SSL* ssl = tls_->native_handle();
    SSL_set_shutdown(ssl, SSL_get_shutdown(ssl) | SSL_RECEIVED_SHUTDOWN);
    auto at = std::min(Clock::now() + kCloseNotifyTimeout, Clock::now() + idle_timeout_);
    arm(Timer::read, at);
    reading_ = true;
    auto [ec] = co_await tls_->async_shutdown(kTok);
    (void)ec;  // a peer that closes without its own close_notify is normal
    reading_ = false;
    disarm(Timer::read);
  }
  force_close();
}

void Connection::Impl::force_close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  disarm(Timer::read);
  disarm(Timer::write);
  // Nothing more to watch: let the timer go, so it holds no work on the io_context.
  ++watch_generation_;
  watch_at_ = Clock::time_point::max();
  watch_timer_.cancel();
  write_idle_.cancel();
}

}  // namespace claret::io
