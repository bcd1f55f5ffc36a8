// Tests for the load generator's SMTP client: reply parsing (RFC 5321 §4.2) and a pipelined
// transaction (RFC 2920) against a scripted server on 127.0.0.1.
#include "smtp_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

namespace claret::bench {
namespace {

TEST(ReplyParser, SingleAndMultiline) {
  ReplyParser p;
  p.feed("220 hello there\r\n250-mx.test\r\n250-PIPELINING\r\n250 SIZE 100\r\n");
  auto a = p.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->code, 220);
  EXPECT_EQ(a->text, "220 hello there");
  auto b = p.next();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->code, 250);
  ASSERT_EQ(b->lines.size(), 3u);
  EXPECT_EQ(b->lines[1], "PIPELINING");
  EXPECT_EQ(b->text, "250 SIZE 100");
  EXPECT_FALSE(p.next());
  EXPECT_EQ(p.pending(), 0u);
}

TEST(ReplyParser, EveryChunkSplit) {
  const std::string wire = "250-a\r\n250-b\r\n250 c\r\n354 go\n";
  for (size_t cut = 0; cut <= wire.size(); ++cut) {
    ReplyParser p;
    p.feed(std::string_view(wire).substr(0, cut));
    std::vector<int> codes;
    while (auto r = p.next()) codes.push_back(r->code);
    p.feed(std::string_view(wire).substr(cut));
    while (auto r = p.next()) codes.push_back(r->code);
    EXPECT_EQ(codes, (std::vector<int>{250, 354})) << "cut at " << cut;
  }
}

TEST(ReplyParser, MalformedLineIsCodeZero) {
  ReplyParser p;
  p.feed("hello\r\n2\r\n");
  auto a = p.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->code, 0);
  auto b = p.next();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->code, 0);
}

// A one-connection scripted SMTP server on an ephemeral loopback port. It answers each command from a
// fixed table and records everything the client sent. Every receive is bounded by a 5 s timeout.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::string rcpt_reply) : rcpt_reply_(std::move(rcpt_reply)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 1), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedServer() {
    if (thread_.joinable()) thread_.join();
    ::close(listen_fd_);
  }
  uint16_t port() const { return port_; }
  const std::string& received() {
    if (thread_.joinable()) thread_.join();
    return received_;
  }

 private:
  void serve() {
    timeval tv{5, 0};
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);  // bounds accept()
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    send(fd, "220 scripted ESMTP\r\n");
    std::string pending;
    bool in_data = false;
    char buf[8192];
    while (true) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      received_.append(buf, static_cast<size_t>(n));
      pending.append(buf, static_cast<size_t>(n));
      bool quit = false;
      while (true) {
        if (in_data) {
          size_t end = pending.find("\r\n.\r\n");
          if (end == std::string::npos) break;
          pending.erase(0, end + 5);
          in_data = false;
          send(fd, "250 2.0.0 queued\r\n");
          continue;
        }
        size_t eol = pending.find("\r\n");
        if (eol == std::string::npos) break;
        std::string cmd = pending.substr(0, eol);
        pending.erase(0, eol + 2);
        if (cmd.rfind("EHLO", 0) == 0) send(fd, "250-scripted\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
        else if (cmd.rfind("MAIL", 0) == 0) send(fd, "250 2.1.0 ok\r\n");
        else if (cmd.rfind("RCPT", 0) == 0) {
          send(fd, rcpt_reply_);
          rcpt_ok_ = rcpt_reply_[0] == '2';
        } else if (cmd == "DATA") {
          if (rcpt_ok_) {
            send(fd, "354 go ahead\r\n");
            in_data = true;
          } else {
            send(fd, "554 5.5.1 no valid recipients\r\n");
          }
        } else if (cmd == "QUIT") {
          send(fd, "221 2.0.0 bye\r\n");
          quit = true;
          break;
        } else {
          send(fd, "500 5.5.2 what\r\n");
        }
      }
      if (quit) break;
    }
    ::close(fd);
  }
  static void send(int fd, std::string_view s) { (void)!::send(fd, s.data(), s.size(), MSG_NOSIGNAL); }

  std::string rcpt_reply_;
  bool rcpt_ok_ = false;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::string received_;
};

TEST(SmtpClient, PipelinedTransactionAndQuit) {
  ScriptedServer server("250 2.1.5 ok\r\n");
  auto c = SmtpClient::open("127.0.0.1", server.port(), "client.test", std::chrono::milliseconds(5000));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->pipelining());
  auto r = c->send_mail("a@x.test", "b@y.test", "Subject: hi\r\n\r\nbody\r\n.\r\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->code, 250);
  c->quit();
  const std::string& got = server.received();
  EXPECT_NE(got.find("EHLO client.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n"),
            std::string::npos);
  EXPECT_NE(got.find("body\r\n.\r\nQUIT\r\n"), std::string::npos);
}

TEST(SmtpClient, RejectedRecipientIsAnError) {
  ScriptedServer server("550 5.1.1 no such user\r\n");
  auto c = SmtpClient::open("127.0.0.1", server.port(), "client.test", std::chrono::milliseconds(5000));
  ASSERT_TRUE(c) << c.error().message;
  auto r = c->send_mail("a@x.test", "nobody@y.test", "x\r\n.\r\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "RCPT: 550 5.1.1 no such user");
  // The session is still usable: QUIT gets its 221 and the server saw no message body.
  c->quit();
  EXPECT_EQ(server.received().find("x\r\n.\r\n"), std::string::npos);
}

TEST(SmtpClient, RefusedConnectionIsAnError) {
  // Bind and close a socket to get a loopback port nobody listens on.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  auto c = SmtpClient::open("127.0.0.1", ntohs(addr.sin_port), "client.test", std::chrono::milliseconds(2000));
  EXPECT_FALSE(c);
  EXPECT_FALSE(SmtpClient::open("not-an-ip", 25, "c.test", std::chrono::milliseconds(100)));
}

}  // namespace
}  // namespace claret::bench
