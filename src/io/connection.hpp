// io::Connection: one TCP connection (plain, STARTTLS-upgradable or implicit TLS) with a line reader,
// buffered writer, idle timeouts and per-command deadlines (RFC 3207 §4.2, RFC 2595 §3.1, RFC 9051 §6.2.1).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "io/errors.hpp"

namespace claret::io {

// What a read does when the server starts shutting down while it waits for data.
enum class OnShutdown {
  keep_reading,  // in-flight data (message bodies, literals): finish the transaction first
  interrupt,     // waiting for the next command: return IoErrc::shutdown so the session says goodbye
};

struct StartTlsResult {
  // Bytes received after the STARTTLS command and before the handshake, thrown away unread. Non-zero
  // means the client pipelined plaintext after STARTTLS (possible command injection): sessions may log it.
  std::size_t discarded_bytes = 0;
};

// Thread model: a Connection belongs to one session running on the connection's strand; several
// coroutines of that session may share it (e.g. IMAP IDLE: one reads DONE while another pushes
// updates). At most one read may be outstanding (a second fails with invalid_state); flushes are
// serialised (a second flush waits for the first). A timeout or shutdown interrupt cancels all pending
// I/O of the connection.
class Connection {
 public:
  using Duration = std::chrono::steady_clock::duration;
  struct Impl;

  explicit Connection(std::shared_ptr<Impl> impl);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One line, without its terminator. A line ends at LF; a CR just before it is removed too
  // (last_line_bare_lf() tells whether it was missing). max_len counts the bytes before CRLF. Over the
  // limit, the rest of the line is read and discarded up to its LF, then IoErrc::too_long is returned
  // and the next read starts at the following line.
  boost::asio::awaitable<Result<std::string>> read_line(std::size_t max_len,
                                                        OnShutdown on_shutdown = OnShutdown::keep_reading);
  // Exactly n bytes (IMAP literals, SMTP BDAT chunks); the caller bounds n by its own limits.
  boost::asio::awaitable<Result<std::string>> read_exact(std::size_t n);
  // Whatever is available: buffered read-ahead first, else one socket read of at most max_bytes.
  boost::asio::awaitable<Result<std::string>> read_some(std::size_t max_bytes = 64 * 1024);
  // Waits up to `within` for the peer to send something, without consuming it: true if bytes are (or
  // become) available. For the SMTP pre-greeting check (RFC 5321 §4.3.1: the client waits for the 220;
  // a client that talks first is a bot, as Postfix's postscreen "pregreet" test assumes).
  boost::asio::awaitable<Result<bool>> input_within(Duration within);
  // True when the last line read by read_line ended with a bare LF rather than CRLF.
  bool last_line_bare_lf() const;
  // Bytes already received and not yet consumed (e.g. to detect SMTP clients talking too early).
  std::size_t buffered() const;

  // Appends to the output buffer without sending; flush() sends everything buffered in one write, so
  // replies to pipelined commands leave in one segment (RFC 2920).
  void enqueue(std::string_view data);
  // The same, taking the bytes over: when nothing else is queued the string becomes the output buffer, so a large
  // prepared response (a POP3 RETR's message) is not copied once more before its write.
  void enqueue_owned(std::string data);
  boost::asio::awaitable<Status> flush();
  // enqueue + flush.
  boost::asio::awaitable<Status> write(std::string_view data);

  // Upgrades a plain connection to TLS (server side: after the session sent its "ready" reply;
  // client side: after the peer's positive reply). Flushes pending output first, then discards every
  // byte read ahead, so nothing received in plaintext is ever interpreted after the handshake.
  boost::asio::awaitable<Result<StartTlsResult>> start_tls();
  // Whether start_tls() is possible (not TLS yet, not compressed, and a TLS context is configured).
  bool can_start_tls() const;

  // Turns on DEFLATE compression both ways (IMAP COMPRESS=DEFLATE, RFC 4978), above TLS if any. Flushes pending
  // output uncompressed first (the tagged OK), then everything written is compressed with a sync flush at the
  // end of each flush(), and everything read is inflated, including bytes already read ahead (the client
  // compresses from the byte after its command's CRLF). Costs about 110 KiB of zlib state, allocated here.
  boost::asio::awaitable<Status> start_compression();
  bool is_compressed() const;

  // Graceful close: flushes pending output, sends TLS close_notify (best effort, bounded by the idle
  // timeout) and closes the socket. Safe to call more than once.
  boost::asio::awaitable<void> close();

  // Each read (and write) fails with IoErrc::timeout if it makes no progress within this time.
  void set_idle_timeout(Duration timeout);
  // An absolute budget for the current command, from now: every read and write fails with
  // IoErrc::timeout once it is spent. Data trickling in does not extend it (Postfix smtpd deadlines).
  void set_deadline(Duration budget);
  void clear_deadline();

  bool shutdown_requested() const;

  bool is_tls() const;
  std::string tls_version() const;  // e.g. "TLSv1.3"; empty when not TLS
  std::string tls_cipher() const;   // e.g. "TLS_AES_256_GCM_SHA384"; empty when not TLS
  std::string peer_address() const;
  std::uint16_t peer_port() const;
  std::string local_address() const;
  std::uint16_t local_port() const;
  std::uint64_t bytes_in() const;
  std::uint64_t bytes_out() const;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace claret::io
