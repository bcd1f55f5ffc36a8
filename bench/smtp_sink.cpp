// smtp_sink: an SMTP server (RFC 5321) that accepts every message and discards it, for bench/run's relay
// workload. Counts accepted messages; "XCOUNT" answers "250 <count>" so the harness can wait for N without a
// log. PIPELINING (RFC 2920) is offered and honoured: replies to a burst of commands go out in one write.
// Prints "READY <port>" once listening; stops on SIGTERM/SIGINT.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "base/strings.hpp"

namespace {

std::atomic<unsigned long long> g_accepted{0};
std::atomic<bool> g_stop{false};

constexpr size_t kMaxLine = 64 * 1024;

void on_signal(int) { g_stop = true; }

bool send_all(int fd, const std::string& out) {
  size_t off = 0;
  while (off < out.size()) {
    ssize_t n = ::send(fd, out.data() + off, out.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

void serve(int fd) {
  timeval tv{300, 0};  // a stuck client is dropped after 5 minutes
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string in;
  std::string out = "220 sink.bench.test ESMTP discard\r\n";
  bool in_data = false;
  size_t scan = 0;  // where to resume looking for the end of DATA
  char buf[65536];
  for (;;) {
    // Answer everything complete in the buffer, then send the replies in one write.
    for (;;) {
      if (in_data) {
        size_t end = in.find("\r\n.\r\n", scan);
        if (end == std::string::npos) {
          scan = in.size() > 4 ? in.size() - 4 : 0;
          // Keep the tail only: the body is discarded as it arrives.
          if (in.size() > kMaxLine) {
            in.erase(0, scan);
            scan = 0;
          }
          break;
        }
        in.erase(0, end + 5);
        in_data = false;
        scan = 0;
        ++g_accepted;
        out += "250 2.0.0 discarded\r\n";
        continue;
      }
      size_t eol = in.find("\r\n");
      if (eol == std::string::npos) {
        if (in.size() > kMaxLine) return (void)::close(fd);
        break;
      }
      std::string line = in.substr(0, eol);
      in.erase(0, eol + 2);
      std::string verb = claret::to_upper(line.substr(0, line.find(' ')));
      if (verb == "EHLO") out += "250-sink.bench.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 0\r\n250 ENHANCEDSTATUSCODES\r\n";
      else if (verb == "HELO") out += "250 sink.bench.test\r\n";
      else if (verb == "DATA") {
        out += "354 go ahead\r\n";
        in_data = true;
        // The body may start right after "DATA\r\n": a message with an empty body ends "\r\n.\r\n" with the
        // CRLF of the DATA line, which the search below would miss, so look for a lone ".\r\n" first.
        if (in.rfind(".\r\n", 0) == 0) {
          in.erase(0, 3);
          in_data = false;
          ++g_accepted;
          out += "250 2.0.0 discarded\r\n";
        }
      } else if (verb == "QUIT") {
        out += "221 bye\r\n";
        send_all(fd, out);
        ::close(fd);
        return;
      } else if (verb == "XCOUNT") out += "250 " + std::to_string(g_accepted.load()) + "\r\n";
      else out += "250 ok\r\n";  // MAIL, RCPT, RSET, NOOP, ...
    }
    if (!out.empty()) {
      if (!send_all(fd, out)) break;
      out.clear();
    }
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  uint16_t port = 0;
  if (argc == 3 && std::strcmp(argv[1], "--port") == 0) {
    auto p = claret::parse_u64(argv[2]);
    if (!p || *p > 65535) {
      std::fprintf(stderr, "smtp_sink: --port must be 0..65535\n");
      return 2;
    }
    port = static_cast<uint16_t>(*p);
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: smtp_sink [--port P]   (0 = any free port; prints READY <port>)\n");
    return 2;
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  int ls = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(ls, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(ls, 512) != 0) {
    std::fprintf(stderr, "smtp_sink: cannot listen on 127.0.0.1:%u: %s\n", port, std::strerror(errno));
    return 1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(ls, reinterpret_cast<sockaddr*>(&addr), &len);
  std::printf("READY %u\n", ntohs(addr.sin_port));
  std::fflush(stdout);
  while (!g_stop) {
    pollfd p{ls, POLLIN, 0};
    int r = ::poll(&p, 1, 200);  // wakes up to notice a stop request
    if (r <= 0) continue;
    int fd = ::accept4(ls, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread(serve, fd).detach();
  }
  std::fprintf(stderr, "smtp_sink: stopping, %llu messages accepted\n", g_accepted.load());
  return 0;
}
