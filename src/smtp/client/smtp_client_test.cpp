// SmtpClient tests against a scripted loopback server: pipelining, per-recipient results, SIZE, 8BITMIME,
// HELO fallback, DSN parameters, several transactions per connection, RSET, timeouts, require-TLS.
#include "smtp/client/smtp_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "io/errors.hpp"
#include "smtp/client/fake_smtp_server.hpp"

namespace claret::smtp::client {
namespace {

using testing::FakeSmtpServer;

template <typename T>
T run(boost::asio::awaitable<T> aw) {
  boost::asio::io_context io;
  auto f = boost::asio::co_spawn(io, std::move(aw), boost::asio::use_future);
  io.run_for(std::chrono::seconds(20));
  EXPECT_EQ(f.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  return f.get();
}

ClientOptions fast_options() {
  ClientOptions o;
  o.helo_name = "client.test";
  auto& t = o.timeouts;
  t.connect = t.greeting = t.mail = t.rcpt = t.data_init = t.data_block = t.data_end = t.other =
      std::chrono::seconds(5);
  return o;
}

Envelope envelope(std::vector<std::string> rcpts) {
  Envelope e;
  e.sender = "alice@example.org";
  for (auto& r : rcpts) e.recipients.push_back({r, 0, ""});
  return e;
}

// Opens a session, sends each (envelope, message), quits; returns the transaction results.
std::vector<Result<TransactionResult>> send_all(uint16_t port, ClientOptions options,
                                                std::vector<std::pair<Envelope, std::string>> jobs) {
  return run([&]() -> boost::asio::awaitable<std::vector<Result<TransactionResult>>> {
    std::vector<Result<TransactionResult>> out;
    auto c = co_await SmtpClient::open("127.0.0.1", port, options);
    if (!c) {
      out.push_back(c.error());
      co_return out;
    }
    for (auto& [env, msg] : jobs) out.push_back(co_await (*c)->send(env, msg));
    co_await (*c)->quit();
    co_return out;
  }());
}

TEST(SmtpClient, PipelinedDeliveryWithDotStuffing) {
  FakeSmtpServer server;
  auto r = send_all(server.port(), fast_options(),
                    {{envelope({"bob@remote.test"}), "Subject: hi\r\n\r\n.leading dot\r\nend\r\n"}});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_TRUE(r[0].ok()) << r[0].error().message;
  EXPECT_EQ(r[0]->message.code, 250);
  ASSERT_EQ(r[0]->recipients.size(), 1u);
  EXPECT_EQ(r[0]->recipients[0].code, 250);
  auto msgs = server.messages();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].data, "Subject: hi\r\n\r\n.leading dot\r\nend\r\n");
  EXPECT_EQ(msgs[0].mail_from, "MAIL FROM:<alice@example.org> SIZE=34");
  auto cmds = server.commands();
  ASSERT_GE(cmds.size(), 5u);
  EXPECT_EQ(cmds[0], "EHLO client.test");
  EXPECT_EQ(cmds.back(), "QUIT");
}

TEST(SmtpClient, PerRecipientResults) {
  FakeSmtpServer::Options o;
  o.on_command = [](const std::string& line) -> std::string {
    if (line.find("nobody@") != std::string::npos) return "550 5.1.1 no such user";
    if (line.find("busy@") != std::string::npos) return "450 4.2.1 try later";
    return "";
  };
  FakeSmtpServer server(o);
  auto r = send_all(server.port(), fast_options(),
                    {{envelope({"bob@remote.test", "nobody@remote.test", "busy@remote.test"}), "m\r\n"}});
  ASSERT_TRUE(r[0].ok());
  ASSERT_EQ(r[0]->recipients.size(), 3u);
  EXPECT_EQ(r[0]->recipients[0].code, 250);
  EXPECT_EQ(r[0]->recipients[1].code, 550);
  EXPECT_EQ(r[0]->recipients[1].enhanced, "5.1.1");
  EXPECT_EQ(r[0]->recipients[2].code, 450);
  ASSERT_EQ(server.messages().size(), 1u);
  EXPECT_EQ(server.messages()[0].rcpt_to.size(), 1u);
}

TEST(SmtpClient, WithoutPipeliningOneCommandAtATimeAndAllRejectedSkipsData) {
  FakeSmtpServer::Options o;
  o.ehlo_keywords = {"8BITMIME"};
  o.on_command = [](const std::string& line) -> std::string {
    return line.find("nobody@") != std::string::npos ? "550 5.1.1 no such user" : "";
  };
  FakeSmtpServer server(o);
  auto r = send_all(server.port(), fast_options(),
                    {{envelope({"nobody@remote.test"}), "first\r\n"}, {envelope({"bob@remote.test"}), "second\r\n"}});
  ASSERT_EQ(r.size(), 2u);
  ASSERT_TRUE(r[0].ok() && r[1].ok());
  EXPECT_EQ(r[0]->recipients[0].code, 550);
  EXPECT_EQ(r[1]->recipients[0].code, 250);
  auto cmds = server.commands();
  // No DATA for the refused transaction, then RSET before the next MAIL.
  std::vector<std::string> expected = {"EHLO client.test",         "MAIL FROM:<alice@example.org>",
                                       "RCPT TO:<nobody@remote.test>", "RSET",
                                       "MAIL FROM:<alice@example.org>", "RCPT TO:<bob@remote.test>",
                                       "DATA",                      "QUIT"};
  EXPECT_EQ(cmds, expected);
  ASSERT_EQ(server.messages().size(), 1u);
  EXPECT_EQ(server.messages()[0].data, "second\r\n");
}

TEST(SmtpClient, SeveralMessagesPerConnection) {
  FakeSmtpServer server;
  auto r = send_all(server.port(), fast_options(),
                    {{envelope({"a@r.test"}), "one\r\n"}, {envelope({"b@r.test"}), "two\r\n"},
                     {envelope({"c@r.test"}), "three\r\n"}});
  ASSERT_EQ(r.size(), 3u);
  for (auto& x : r) ASSERT_TRUE(x.ok() && x->message.code == 250);
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.messages().size(), 3u);
}

TEST(SmtpClient, SizeLimitRefusedLocally) {
  FakeSmtpServer::Options o;
  o.ehlo_keywords = {"PIPELINING", "SIZE 10"};
  FakeSmtpServer server(o);
  auto r = send_all(server.port(), fast_options(), {{envelope({"b@r.test"}), "this message is too long\r\n"}});
  ASSERT_TRUE(r[0].ok());
  EXPECT_EQ(r[0]->recipients[0].code, 552);
  EXPECT_EQ(r[0]->recipients[0].enhanced, "5.3.4");
  for (auto& c : server.commands()) EXPECT_NE(c.rfind("MAIL", 0), 0u) << c;
}

TEST(SmtpClient, EightBitNeeds8BitMime) {
  FakeSmtpServer::Options seven;
  seven.ehlo_keywords = {"PIPELINING"};
  FakeSmtpServer s7(seven);
  auto r = send_all(s7.port(), fast_options(), {{envelope({"b@r.test"}), "caf\xc3\xa9\r\n"}});
  ASSERT_TRUE(r[0].ok());
  EXPECT_EQ(r[0]->recipients[0].code, 554);
  EXPECT_EQ(r[0]->recipients[0].enhanced, "5.6.3");
  EXPECT_TRUE(s7.messages().empty());

  FakeSmtpServer s8;
  auto r8 = send_all(s8.port(), fast_options(), {{envelope({"b@r.test"}), "caf\xc3\xa9\r\n"}});
  ASSERT_TRUE(r8[0].ok());
  EXPECT_EQ(r8[0]->message.code, 250);
  ASSERT_EQ(s8.messages().size(), 1u);
  EXPECT_NE(s8.messages()[0].mail_from.find("BODY=8BITMIME"), std::string::npos);
}

TEST(SmtpClient, SmtpUtf8RequiresServerSupport) {
  FakeSmtpServer server;
  Envelope e = envelope({"b@r.test"});
  e.smtputf8 = true;
  auto r = send_all(server.port(), fast_options(), {{e, "x\r\n"}});
  ASSERT_TRUE(r[0].ok());
  EXPECT_EQ(r[0]->recipients[0].enhanced, "5.6.7");
}

TEST(SmtpClient, DsnParametersWhenOffered) {
  FakeSmtpServer server;
  Envelope e = envelope({});
  e.recipients.push_back({"bob@r.test", 2 | 4, "rfc822;bob+x@r.test"});
  e.ret = "HDRS";
  e.envid = "id 1";
  auto r = send_all(server.port(), fast_options(), {{e, "x\r\n"}});
  ASSERT_TRUE(r[0].ok());
  auto cmds = server.commands();
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "MAIL FROM:<alice@example.org> SIZE=3 RET=HDRS ENVID=id+201"),
            cmds.end());
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "RCPT TO:<bob@r.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+2Bx@r.test"),
            cmds.end());
}

TEST(SmtpClient, HeloFallbackAndTemporaryDataFailure) {
  FakeSmtpServer::Options o;
  o.ehlo_keywords = {};
  o.on_data = [](const std::string&) { return std::string("451 4.3.0 disk full"); };
  FakeSmtpServer server(o);
  auto r = send_all(server.port(), fast_options(), {{envelope({"b@r.test", "c@r.test"}), "x\r\n"}});
  ASSERT_TRUE(r[0].ok()) << r[0].error().message;
  EXPECT_EQ(r[0]->recipients[0].code, 451);
  EXPECT_EQ(r[0]->recipients[1].code, 451);
  EXPECT_EQ(server.commands()[1], "HELO client.test");
}

TEST(SmtpClient, RejectedGreetingIsAnError) {
  FakeSmtpServer::Options o;
  o.greeting = "554 5.7.1 go away";
  FakeSmtpServer server(o);
  auto r = send_all(server.port(), fast_options(), {});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_FALSE(r[0].ok());
  EXPECT_EQ(r[0].error().code, 554);
}

TEST(SmtpClient, RequireTlsWithoutStartTlsFails) {
  FakeSmtpServer server;
  ClientOptions o = fast_options();
  o.require_tls = true;
  auto r = send_all(server.port(), o, {});
  ASSERT_FALSE(r[0].ok());
  EXPECT_NE(r[0].error().message.find("TLS required"), std::string::npos);
}

TEST(SmtpClient, SilentServerTimesOut) {
  // A listening socket nobody accepts from: the kernel completes the handshake, no greeting ever comes.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ClientOptions o = fast_options();
  o.timeouts.greeting = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  auto r = send_all(ntohs(addr.sin_port), o, {});
  ::close(fd);
  ASSERT_FALSE(r[0].ok());
  EXPECT_TRUE(io::is(r[0].error(), io::IoErrc::timeout)) << r[0].error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(SmtpClient, ConnectionRefusedIsAnError) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  auto r = send_all(ntohs(addr.sin_port), fast_options(), {});  // bound but not listening: refused
  ::close(fd);
  ASSERT_FALSE(r[0].ok());
}

}  // namespace
}  // namespace claret::smtp::client
