// io::Connection public API: line framing (CRLF, RFC 5321 §2.3.8 / RFC 9051 §2.2), exact and streaming
// reads, buffered writes, STARTTLS with read-ahead discard (RFC 3207 §4.2, RFC 2595 §3.1, RFC 9051 §6.2.1), and
// DEFLATE compression (RFC 4978).
#include "io/connection.hpp"

#include <boost/asio/ssl/stream.hpp>

#include "io/connection_impl.hpp"

namespace claret::io {
namespace asio = boost::asio;

Connection::Connection(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::~Connection() = default;

asio::awaitable<Result<std::string>> Connection::read_line(std::size_t max_len, OnShutdown on_shutdown) {
  Impl& s = *impl_;
  // Where to look for the next LF: bytes before it were already searched.
  std::size_t scan_from = s.in_pos_;
  bool discarding = false;
  for (;;) {
    auto lf = s.in_.find('\n', scan_from);
    if (lf != std::string::npos) {
      if (discarding) {
        s.consume(lf + 1 - s.in_pos_);
        co_return make_io_error(IoErrc::too_long, "line longer than " + std::to_string(max_len) + " bytes");
      }
      std::string line = s.in_.substr(s.in_pos_, lf - s.in_pos_);
      s.consume(lf + 1 - s.in_pos_);
      s.last_bare_lf_ = line.empty() || line.back() != '\r';
      if (!s.last_bare_lf_) line.pop_back();
      if (line.size() > max_len)
        co_return make_io_error(IoErrc::too_long, "line longer than " + std::to_string(max_len) + " bytes");
      co_return line;
    }
    // No LF yet. Past the limit (+1 for a CR that may precede the LF) the line can only be refused:
    // stop buffering it and skip bytes until its end, so memory stays bounded whatever the peer sends.
    if (!discarding && s.available() > max_len && s.available() - max_len > 1) discarding = true;
    if (discarding) s.consume(s.available());
    // consume() may have reset the buffer; in_pos_ is then 0 and the next search starts at the new data.
    scan_from = s.in_.size();
    // read_more() compacts the buffer, which moves unconsumed bytes to offset 0.
    std::size_t unscanned_offset = scan_from - s.in_pos_;
    auto got = co_await s.read_more(64 * 1024, on_shutdown == OnShutdown::interrupt);
    if (!got) co_return got.error();
    scan_from = s.in_pos_ + unscanned_offset;
  }
}

asio::awaitable<Result<std::string>> Connection::read_exact(std::size_t n) {
  Impl& s = *impl_;
  while (s.available() < n) {
    auto got = co_await s.read_more(n - s.available(), false);
    if (!got) co_return got.error();
  }
  std::string data = s.in_.substr(s.in_pos_, n);
  s.consume(n);
  co_return data;
}

asio::awaitable<Result<std::string>> Connection::read_some(std::size_t max_bytes) {
  Impl& s = *impl_;
  if (max_bytes == 0) co_return std::string();
  if (s.available() == 0) {
    auto got = co_await s.read_more(max_bytes, false);
    if (!got) co_return got.error();
  }
  std::size_t n = std::min(max_bytes, s.available());
  std::string data = s.in_.substr(s.in_pos_, n);
  s.consume(n);
  co_return data;
}

asio::awaitable<Result<bool>> Connection::input_within(Duration within) {
  if (impl_->available() > 0) co_return true;
  co_return co_await impl_->wait_readable(std::chrono::steady_clock::now() + within);
}

bool Connection::last_line_bare_lf() const { return impl_->last_bare_lf_; }
std::size_t Connection::buffered() const { return impl_->available(); }

void Connection::enqueue(std::string_view data) { impl_->out_.append(data); }

void Connection::enqueue_owned(std::string data) {
  if (impl_->out_.empty()) {
    impl_->out_.swap(data);
  } else {
    impl_->out_.append(data);
  }
}

asio::awaitable<Status> Connection::flush() { co_return co_await impl_->flush(); }

asio::awaitable<Status> Connection::write(std::string_view data) {
  impl_->out_.append(data);
  co_return co_await impl_->flush();
}

bool Connection::can_start_tls() const {
  return !impl_->tls_ && impl_->tls_config_ && !impl_->closed_ && !impl_->deflate_;
}

asio::awaitable<Result<StartTlsResult>> Connection::start_tls() {
  Impl& s = *impl_;
  if (!can_start_tls()) co_return make_io_error(IoErrc::invalid_state, "STARTTLS not possible on this connection");
  // The "ready to start TLS" reply must leave in plaintext before the handshake.
  if (auto flushed = co_await s.flush(); !flushed) co_return flushed.error();
  // RFC 3207 §4.2 / RFC 2595 §3.1 / RFC 9051 §6.2.1: nothing received before the handshake may be
  // acted on afterwards, or an attacker could inject commands into the protected session.
  StartTlsResult result{s.available()};
  s.in_.clear();
  s.in_pos_ = 0;
  if (auto st = co_await s.handshake(); !st) co_return st.error();
  co_return result;
}

asio::awaitable<Status> Connection::start_compression() {
  Impl& s = *impl_;
  if (s.deflate_) co_return make_io_error(IoErrc::invalid_state, "compression already active");
  // The reply that accepts compression leaves uncompressed (RFC 4978 §3).
  {
    auto flushed = co_await s.flush();
    if (!flushed) co_return flushed.error();
  }
  auto stage = DeflateStage::create();
  if (!stage) co_return stage.error();
  s.deflate_ = std::move(*stage);
  // Unlike STARTTLS, bytes read ahead are not discarded: they are the start of the client's compressed stream.
  if (s.available() > 0) {
    s.deflate_->feed(std::string_view(s.in_).substr(s.in_pos_));
    s.in_.clear();
    s.in_pos_ = 0;
  }
  co_return Status{};
}

bool Connection::is_compressed() const { return impl_->deflate_ != nullptr; }

asio::awaitable<void> Connection::close() { co_await impl_->close(); }

void Connection::set_idle_timeout(Duration timeout) { impl_->idle_timeout_ = timeout; }
void Connection::set_deadline(Duration budget) { impl_->deadline_ = Impl::Clock::now() + budget; }
void Connection::clear_deadline() { impl_->deadline_.reset(); }
bool Connection::shutdown_requested() const { return impl_->shutdown_.requested(); }

bool Connection::is_tls() const { return impl_->tls_ != nullptr && !impl_->tls_failed_; }

std::string Connection::tls_version() const {
  if (!is_tls()) return {};
  const char* v = SSL_get_version(impl_->tls_->native_handle());
  return v ? v : "";
}

std::string Connection::tls_cipher() const {
  if (!is_tls()) return {};
  const char* c = SSL_get_cipher_name(impl_->tls_->native_handle());
  return c ? c : "";
}

std::string Connection::peer_address() const { return impl_->peer_address_; }
std::uint16_t Connection::peer_port() const { return impl_->peer_port_; }
std::string Connection::local_address() const { return impl_->local_address_; }
std::uint16_t Connection::local_port() const { return impl_->local_port_; }
std::uint64_t Connection::bytes_in() const { return impl_->bytes_in_; }
std::uint64_t Connection::bytes_out() const { return impl_->bytes_out_; }

}  // namespace claret::io
