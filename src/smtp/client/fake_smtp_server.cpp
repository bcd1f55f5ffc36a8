// FakeSmtpServer: scripted loopback SMTP server for client and queue tests (RFC 5321 §4.1 command/reply shape).
#include "smtp/client/fake_smtp_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "base/strings.hpp"

namespace claret::smtp::client::testing {
namespace {

constexpr int kPollMs = 50;
constexpr auto kIdleLimit = std::chrono::seconds(10);

bool send_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

FakeSmtpServer::FakeSmtpServer(Options options) : options_(std::move(options)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 && ::listen(listen_fd_, 16) == 0) {
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  thread_ = std::thread([this] { run(); });
}

FakeSmtpServer::~FakeSmtpServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::vector<std::string> FakeSmtpServer::commands() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commands_;
}

std::vector<ReceivedMessage> FakeSmtpServer::messages() const {
  std::lock_guard<std::mutex> lock(mu_);
  return messages_;
}

void FakeSmtpServer::run() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    serve(fd);
    ::close(fd);
  }
}

void FakeSmtpServer::serve(int fd) {
  std::string buffer;
  auto last_activity = std::chrono::steady_clock::now();
  // Reads one CRLF/LF-terminated line (without terminator); false on EOF, stop or idle limit.
  auto read_line = [&](std::string& line) {
    for (;;) {
      if (auto lf = buffer.find('\n'); lf != std::string::npos) {
        line = buffer.substr(0, lf);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        buffer.erase(0, lf + 1);
        return true;
      }
      if (stop_ || std::chrono::steady_clock::now() - last_activity > kIdleLimit) return false;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, kPollMs) <= 0) continue;
      char chunk[4096];
      ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
      last_activity = std::chrono::steady_clock::now();
    }
  };
  if (!send_all(fd, options_.greeting + "\r\n")) return;
  ReceivedMessage current;
  std::string line;
  while (read_line(line)) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      commands_.push_back(line);
    }
    std::string reply = options_.on_command ? options_.on_command(line) : std::string();
    const std::string verb = to_upper(line.substr(0, line.find(' ')));
    if (reply.empty()) {
      if (verb == "EHLO") {
        if (options_.ehlo_keywords.empty()) {
          reply = "502 5.5.1 EHLO not supported";
        } else {
          reply = "250-fake.test hello";
          for (size_t i = 0; i < options_.ehlo_keywords.size(); ++i)
            reply += (i + 1 == options_.ehlo_keywords.size() ? "\r\n250 " : "\r\n250-") + options_.ehlo_keywords[i];
        }
      } else if (verb == "QUIT") {
        send_all(fd, "221 2.0.0 bye\r\n");
        return;
      } else if (verb == "DATA") {
        reply = current.rcpt_to.empty() ? "554 5.5.1 no valid recipients" : "354 go ahead";
      } else {
        reply = "250 2.0.0 ok";
      }
    }
    if (verb == "MAIL" && reply[0] == '2') current = ReceivedMessage{line, {}, {}};
    if (verb == "RCPT" && reply[0] == '2') current.rcpt_to.push_back(line);
    if (verb == "RSET") current = ReceivedMessage{};
    if (!send_all(fd, reply + "\r\n")) return;
    if (verb == "DATA" && reply.rfind("354", 0) == 0) {
      std::string data;
      bool complete = false;
      while (read_line(line)) {
        if (line == ".") {
          complete = true;
          break;
        }
        if (!line.empty() && line[0] == '.') line.erase(0, 1);
        data += line + "\r\n";
      }
      if (!complete) return;
      current.data = data;
      std::string end = options_.on_data ? options_.on_data(data) : std::string();
      if (end.empty()) end = "250 2.0.0 queued";
      if (end[0] == '2') {
        std::lock_guard<std::mutex> lock(mu_);
        messages_.push_back(current);
      }
      current = ReceivedMessage{};
      if (!send_all(fd, end + "\r\n")) return;
    }
  }
}

}  // namespace claret::smtp::client::testing
