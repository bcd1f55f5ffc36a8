// Connection::Impl: the Asio side of io::Connection (socket, optional TLS stream, timers, buffers).
// Internal to io/: protocol code includes connection.hpp only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>

#include "io/connection.hpp"
#include "io/deflate_stage.hpp"
#include "io/shutdown_signal.hpp"
#include "tls/context.hpp"
#include "tls/context_native.hpp"

namespace claret::io {

struct Connection::Impl : std::enable_shared_from_this<Connection::Impl> {
  using tcp = boost::asio::ip::tcp;
  using TlsStream = boost::asio::ssl::stream<tcp::socket&>;
  using Clock = std::chrono::steady_clock;
  enum class Role { server, client };
  enum class Timer { read, write };

  // `socket` must use the connection's strand as its executor; every member runs on that strand.
  // `tls` may be null (no STARTTLS / implicit TLS possible). `server_name` is the SNI and the name to
  // verify for client connections.
  static std::shared_ptr<Impl> create(tcp::socket socket, Role role, std::shared_ptr<tls::TlsContext> tls,
                                      ShutdownSignal shutdown, std::string server_name = {});
  Impl(tcp::socket socket, Role role, std::shared_ptr<tls::TlsContext> tls, ShutdownSignal shutdown,
       std::string server_name);
  ~Impl();

  // Starts TLS on the raw socket (implicit TLS, or the second half of start_tls).
  boost::asio::awaitable<Status> handshake();
  // Appends at most max_bytes newly received bytes to in_ (inflated when compression is on). Never returns 0
  // bytes successfully.
  boost::asio::awaitable<Result<std::size_t>> read_more(std::size_t max_bytes, bool interruptible);
  // Appends at most max_bytes bytes from the socket (or TLS) to `dst`: what read_more uses below the deflate stage.
  boost::asio::awaitable<Result<std::size_t>> read_transport(std::string& dst, std::size_t max_bytes,
                                                             bool interruptible);
  // Completes when the socket is readable (true) or at `at` (false), consuming nothing.
  boost::asio::awaitable<Result<bool>> wait_readable(Clock::time_point at);
  boost::asio::awaitable<Status> flush();
  boost::asio::awaitable<void> close();
  // Called by the Server after the shutdown grace period: drops the connection without goodbye.
  void force_close();

  std::size_t available() const { return in_.size() - in_pos_; }
  void consume(std::size_t n);
  // When the next read or write must give up: the idle timeout from now, or the command deadline if
  // that comes first. `what` names the limit for the error message.
  struct Expiry {
    Clock::time_point at;
    const char* what;
  };
  Expiry expiry() const;
  // The timeouts of the operation in flight. arm() records when `which` must give up; disarm() forgets it. Neither
  // touches the timer unless the new limit comes before the one the timer is already set for: see watch_timer_.
  void arm(Timer which, Clock::time_point at);
  void disarm(Timer which);
  void watch_until(Clock::time_point at);
  void on_watch_timer();
  // Plain transport only: one non-blocking recv into a scratch buffer, appended to dst (would_block when nothing is
  // there yet). Not a coroutine, so the thread-local scratch is never held across a suspension.
  std::size_t read_nonblocking(std::string& dst, std::size_t max_bytes, boost::system::error_code& ec);
  Error map_error(const boost::system::error_code& ec, bool timed_out, bool interrupted) const;
  void on_shutdown_signal();

  tcp::socket socket_;
  Role role_;
  std::shared_ptr<tls::TlsContext> tls_config_;
  std::shared_ptr<tls::NativeContext> tls_native_;  // keeps this connection's certificate alive
  std::unique_ptr<TlsStream> tls_;
  bool tls_failed_ = false;
  std::string server_name_;
  ShutdownSignal shutdown_;
  std::uint64_t shutdown_callback_ = 0;

  // Between TLS (below) and the line reader (above) once the session enabled compression (IMAP COMPRESS, RFC
  // 4978); null until then, so a plain connection pays nothing for it.
  std::unique_ptr<DeflateStage> deflate_;

  std::string in_;
  std::size_t in_pos_ = 0;
  std::string out_;
  bool last_bare_lf_ = false;

  // One timer per connection watches the deadlines of the read and the write in flight. It is not set and cancelled
  // around each operation (that cost a timerfd update per arm and a posted "aborted" handler per cancel, i.e. a
  // cross-thread wake-up per I/O): arm() only records the deadline, and the timer, once set, is left running. When
  // it fires it times out whatever operation is past its deadline and sets itself for the next pending one, if any.
  // Since every new deadline is "now + idle timeout", later than the one the timer holds, it fires about once per
  // idle timeout while the connection is busy, and not at all once it is quiet.
  boost::asio::steady_timer watch_timer_;
  Clock::time_point watch_at_ = Clock::time_point::max();  // when the timer fires; max: not set
  std::uint64_t watch_generation_ = 0;  // tells a stale timer completion (re-set or cancelled since) from the live one
  Clock::time_point read_deadline_ = Clock::time_point::max();   // max: no read in flight
  Clock::time_point write_deadline_ = Clock::time_point::max();  // max: no write in flight
  boost::asio::steady_timer write_idle_;  // never expires; cancelled when a write ends
  bool read_timed_out_ = false;
  bool write_timed_out_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool read_interruptible_ = false;
  bool read_interrupted_ = false;
  bool closed_ = false;

  Duration idle_timeout_ = std::chrono::minutes(5);
  std::optional<Clock::time_point> deadline_;

  std::string peer_address_;
  std::uint16_t peer_port_ = 0;
  std::string local_address_;
  std::uint16_t local_port_ = 0;
  std::uint64_t bytes_in_ = 0;
  std::uint64_t bytes_out_ = 0;
};

}  // namespace claret::io
