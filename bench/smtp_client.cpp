// Minimal blocking SMTP client for the load generator: RFC 5321 §4.2 replies, §4.1.1 commands,
// RFC 2920 PIPELINING. Timeouts via SO_RCVTIMEO/SO_SNDTIMEO so no call blocks forever.
#include "smtp_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/base64.hpp"
#include "base/strings.hpp"

namespace claret::bench {
namespace {

// A reply longer than this is not SMTP; stop instead of buffering without bound.
constexpr size_t kMaxPendingReply = 64 * 1024;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

Error sys_error(const std::string& what) { return make_error(what + ": " + std::strerror(errno)); }

}  // namespace

std::optional<Reply> ReplyParser::next() {
  Reply r;
  size_t start = 0;
  while (true) {
    size_t eol = buffer_.find('\n', start);
    if (eol == std::string::npos) return std::nullopt;
    std::string_view line(buffer_.data() + start, eol - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool has_code = line.size() >= 3 && is_digit(line[0]) && is_digit(line[1]) && is_digit(line[2]);
    bool more = has_code && line.size() >= 4 && line[3] == '-';
    r.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view());
    if (!has_code || !more) {
      r.code = has_code ? (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0') : 0;
      r.text.assign(line);
      buffer_.erase(0, eol + 1);
      return r;
    }
    start = eol + 1;
  }
}

Result<SmtpClient> SmtpClient::open(const std::string& host, uint16_t port, std::string_view helo_name,
                                    std::chrono::milliseconds timeout) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return make_error("not an IPv4 address: " + host);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return sys_error("socket");
  SmtpClient client(fd);
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // also bounds connect() on Linux
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return sys_error("connect");

  auto greeting = client.read_reply();
  if (!greeting) return greeting.error();
  if (greeting->code != 220) return make_error("greeting: " + greeting->text);
  if (auto st = client.write_all("EHLO " + std::string(helo_name) + "\r\n"); !st) return st.error();
  auto ehlo = client.read_reply();
  if (!ehlo) return ehlo.error();
  if (ehlo->code != 250) return make_error("EHLO: " + ehlo->text);
  // RFC 2920 §2: the keyword is a line of its own in the EHLO reply.
  for (const auto& kw : ehlo->lines)
    if (iequals(trim(kw), "PIPELINING")) client.pipelining_ = true;
  return client;
}

SmtpClient::SmtpClient(SmtpClient&& other) noexcept
    : fd_(other.fd_), pipelining_(other.pipelining_), parser_(std::move(other.parser_)) {
  other.fd_ = -1;
}

SmtpClient& SmtpClient::operator=(SmtpClient&& other) noexcept {
  if (this != &other) {
    close_fd();
    fd_ = other.fd_;
    pipelining_ = other.pipelining_;
    parser_ = std::move(other.parser_);
    other.fd_ = -1;
  }
  return *this;
}

SmtpClient::~SmtpClient() { close_fd(); }

void SmtpClient::close_fd() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status SmtpClient::write_all(std::string_view bytes) {
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

Result<Reply> SmtpClient::read_reply() {
  char buf[4096];
  while (true) {
    if (auto r = parser_.next()) return *r;
    if (parser_.pending() > kMaxPendingReply) return make_error("reply too long");
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error(errno == EAGAIN ? "recv timed out" : "recv");
    }
    if (n == 0) return make_error("connection closed by server");
    parser_.feed(std::string_view(buf, static_cast<size_t>(n)));
  }
}

Status SmtpClient::auth_plain(std::string_view user, std::string_view password) {
  std::string token = std::string(1, '\0') + std::string(user) + '\0' + std::string(password);
  if (auto st = write_all("AUTH PLAIN " + base64_encode(token) + "\r\n"); !st) return st.error();
  auto r = read_reply();
  if (!r) return r.error();
  if (r->code != 235) return make_error("AUTH PLAIN: " + r->text);
  return {};
}

Result<Reply> SmtpClient::send_mail(std::string_view from, std::string_view to, std::string_view data) {
  std::string mail = "MAIL FROM:<" + std::string(from) + ">\r\n";
  std::string rcpt = "RCPT TO:<" + std::string(to) + ">\r\n";
  if (pipelining_) {
    if (auto st = write_all(mail + rcpt + "DATA\r\n"); !st) return st.error();
    auto r1 = read_reply();
    if (!r1) return r1.error();
    auto r2 = read_reply();
    if (!r2) return r2.error();
    auto r3 = read_reply();
    if (!r3) return r3.error();
    if (r3->code == 354 && (r1->code != 250 || (r2->code != 250 && r2->code != 251))) {
      // RFC 2920 §3.1: after a 354 the client must send the data, here as an empty message that ends
      // the transaction; the server rejects it for want of recipients.
      if (auto st = write_all(".\r\n"); !st) return st.error();
      (void)read_reply();
    }
    if (r1->code != 250) return make_error("MAIL: " + r1->text);
    if (r2->code != 250 && r2->code != 251) return make_error("RCPT: " + r2->text);
    if (r3->code != 354) return make_error("DATA: " + r3->text);
  } else {
    if (auto st = write_all(mail); !st) return st.error();
    auto r1 = read_reply();
    if (!r1) return r1.error();
    if (r1->code != 250) return make_error("MAIL: " + r1->text);
    if (auto st = write_all(rcpt); !st) return st.error();
    auto r2 = read_reply();
    if (!r2) return r2.error();
    if (r2->code != 250 && r2->code != 251) return make_error("RCPT: " + r2->text);
    if (auto st = write_all("DATA\r\n"); !st) return st.error();
    auto r3 = read_reply();
    if (!r3) return r3.error();
    if (r3->code != 354) return make_error("DATA: " + r3->text);
  }
  if (auto st = write_all(data); !st) return st.error();
  auto done = read_reply();
  if (!done) return done.error();
  if (done->code != 250) return make_error("end of data: " + done->text);
  return done;
}

void SmtpClient::quit() {
  if (fd_ < 0) return;
  if (write_all("QUIT\r\n")) (void)read_reply();
  close_fd();
}

}  // namespace claret::bench
