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
  void arm(Timer which, Clock::time_point at);
  void disarm(Timer which);
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

  boost::asio::steady_timer read_timer_;
  boost::asio::steady_timer write_timer_;
  boost::asio::steady_timer write_idle_;  // never expires; cancelled when a write ends
  std::uint64_t read_generation_ = 0;
  std::uint64_t write_generation_ = 0;
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
