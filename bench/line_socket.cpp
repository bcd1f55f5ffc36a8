// Blocking, bounded TCP client for the POP3/IMAP load generators (see line_socket.hpp).
#include "line_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace claret::bench {
namespace {

constexpr size_t kReadSize = 64 * 1024;

Error sys_error(const std::string& what) { return make_error(what + ": " + std::strerror(errno)); }

}  // namespace

Result<LineSocket> LineSocket::connect(const std::string& host, uint16_t port, std::chrono::milliseconds timeout) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return make_error("not an IPv4 address: " + host);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return sys_error("socket");
  LineSocket sock(fd);
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // also bounds connect() on Linux
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return sys_error("connect");
  return sock;
}

LineSocket::LineSocket(LineSocket&& other) noexcept
    : fd_(other.fd_), buffer_(std::move(other.buffer_)), start_(other.start_) {
  other.fd_ = -1;
}

LineSocket& LineSocket::operator=(LineSocket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    buffer_ = std::move(other.buffer_);
    start_ = other.start_;
    other.fd_ = -1;
  }
  return *this;
}

LineSocket::~LineSocket() { close(); }

void LineSocket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status LineSocket::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error(errno == EAGAIN ? "send timed out" : "send");
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status LineSocket::fill() {
  // Drop consumed bytes first so the buffer does not grow with the session.
  if (start_ > 0 && start_ * 2 >= buffer_.size()) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  size_t old = buffer_.size();
  buffer_.resize(old + kReadSize);
  for (;;) {
    ssize_t n = ::recv(fd_, buffer_.data() + old, kReadSize, 0);
    if (n > 0) {
      buffer_.resize(old + static_cast<size_t>(n));
      return {};
    }
    buffer_.resize(old);
    if (n == 0) return make_error("connection closed by the server");
    if (errno == EINTR) {
      buffer_.resize(old + kReadSize);
      continue;
    }
    return sys_error(errno == EAGAIN ? "recv timed out" : "recv");
  }
}

Result<std::string> LineSocket::read_until(std::string_view terminator, size_t max, size_t search_from) {
  size_t from = search_from;
  for (;;) {
    std::string_view unread(buffer_.data() + start_, buffer_.size() - start_);
    size_t at = unread.size() > from ? unread.find(terminator, from) : std::string_view::npos;
    if (at != std::string_view::npos) {
      std::string out(unread.substr(0, at + terminator.size()));
      start_ += out.size();
      return out;
    }
    if (unread.size() > max) return make_error("response longer than " + std::to_string(max) + " bytes");
    // Resume the search where a terminator could still begin.
    if (unread.size() >= terminator.size()) from = std::max(from, unread.size() - terminator.size() + 1);
    if (auto st = fill(); !st) return st.error();
  }
}

Result<std::string> LineSocket::read_line(size_t max) {
  auto line = read_until("\r\n", max);
  if (!line) return line.error();
  line->resize(line->size() - 2);
  return line;
}

Result<std::string> LineSocket::read_exact(size_t n) {
  while (buffer_.size() - start_ < n) {
    if (auto st = fill(); !st) return st.error();
  }
  std::string out = buffer_.substr(start_, n);
  start_ += n;
  return out;
}

}  // namespace claret::bench
