// Tests for TLS on io::Server listeners: implicit TLS, protocol version policy, STARTTLS read-ahead
// discard (RFC 3207 §4.2), certificate reload for new connections, and io::connect as a TLS client.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <csignal>
#include <fstream>
#include <thread>

#include "io/connect.hpp"
#include "io/test_support.hpp"
#include "tls/context.hpp"
#include "tls/self_signed.hpp"

namespace claret::io {
namespace {

using namespace std::chrono_literals;
using testing::RunningServer;
using testing::TestClient;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tls::generate_self_signed(cert(), key(), "mail.test"));
    auto ctx = tls::TlsContext::server(cert(), key());
    ASSERT_TRUE(ctx) << ctx.error().message;
    context_ = *ctx;
  }
  std::string cert() const { return dir_.file("cert.pem"); }
  std::string key() const { return dir_.file("key.pem"); }
  ListenerSpec spec(TlsMode mode) const {
    ListenerSpec s;
    s.name = mode == TlsMode::implicit ? "imaps" : "smtp";
    s.tls_mode = mode;
    s.tls = context_;
    s.idle_timeout = 5s;
    return s;
  }

  testing::TempDir dir_;
  std::shared_ptr<tls::TlsContext> context_;
};

TEST_F(TlsTest, ImplicitTlsHandshakeAndVerifiedCertificate) {
  RunningServer rs;
  auto port = rs.listen(spec(TlsMode::implicit));
  rs.start();
  auto ctx = testing::make_test_client_ctx(cert(), TLS1_2_VERSION, TLS1_3_VERSION);
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.start_tls(ctx.get(), "localhost"));
  EXPECT_EQ(SSL_get_verify_result(c.ssl()), X509_V_OK);
  EXPECT_EQ(c.read_line().value_or("").rfind("220 ready", 0), 0u);
  ASSERT_TRUE(c.send("TLSINFO\r\n"));
  EXPECT_EQ(c.read_line().value_or("").rfind("tls=TLSv1.3 TLS_", 0), 0u);
  ASSERT_TRUE(c.send("QUIT\r\n"));
  EXPECT_EQ(c.read_line(), "221 bye");
  // The server ends the TLS session with close_notify, not a bare TCP close.
  EXPECT_TRUE(c.wait_closed());
  EXPECT_TRUE(SSL_get_shutdown(c.ssl()) & SSL_RECEIVED_SHUTDOWN);
}

TEST_F(TlsTest, Tls12AcceptedWithForwardSecretAead) {
  RunningServer rs;
  auto port = rs.listen(spec(TlsMode::implicit));
  rs.start();
  auto ctx = testing::make_test_client_ctx(cert(), TLS1_2_VERSION, TLS1_2_VERSION);
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.start_tls(ctx.get()));
  ASSERT_TRUE(c.read_line());
  ASSERT_TRUE(c.send("TLSINFO\r\n"));
  auto info = c.read_line().value_or("");
  EXPECT_EQ(info.rfind("tls=TLSv1.2 ECDHE-", 0), 0u) << info;
  EXPECT_TRUE(info.find("GCM") != std::string::npos || info.find("CHACHA20") != std::string::npos) << info;
}

TEST_F(TlsTest, Tls11AndNonForwardSecretCiphersAreRefused) {
  RunningServer rs;
  auto port = rs.listen(spec(TlsMode::implicit));
  rs.start();
  {
    auto ctx = testing::make_test_client_ctx("", TLS1_1_VERSION, TLS1_1_VERSION);
    TestClient c;
    ASSERT_TRUE(c.connect(port));
    EXPECT_FALSE(c.start_tls(ctx.get()));
  }
  {
    // TLS 1.2 offering only static-RSA and CBC suites: no acceptable cipher.
    auto ctx = testing::make_test_client_ctx("", TLS1_2_VERSION, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(ctx.get(), "AES128-SHA:AES256-SHA:AES128-GCM-SHA256:@SECLEVEL=0");
    TestClient c;
    ASSERT_TRUE(c.connect(port));
    EXPECT_FALSE(c.start_tls(ctx.get()));
  }
  EXPECT_TRUE(rs.wait_connection_count(0));
}

TEST_F(TlsTest, SilentClientCannotHoldTheHandshakeOpen) {
  RunningServer rs;
  auto s = spec(TlsMode::implicit);
  s.idle_timeout = 200ms;
  auto port = rs.listen(s);
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.wait_closed());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_TRUE(rs.wait_connection_count(0));
}

TEST_F(TlsTest, StartTlsDiscardsPipelinedPlaintext) {
  RunningServer rs;
  auto port = rs.listen(spec(TlsMode::starttls));
  rs.start();
  auto ctx = testing::make_test_client_ctx(cert(), TLS1_2_VERSION, TLS1_3_VERSION);
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  ASSERT_TRUE(c.send("TLSINFO\r\n"));
  EXPECT_EQ(c.read_line(), "tls= ");
  // The injected command rides in the same segment as STARTTLS (the attack of CVE-2011-0411).
  ASSERT_TRUE(c.send("STARTTLS\r\nINJECTED\r\n"));
  EXPECT_EQ(c.read_line(), "220 go");
  ASSERT_TRUE(c.start_tls(ctx.get()));
  EXPECT_EQ(c.read_line(), "discarded=10");
  ASSERT_TRUE(c.send("after\r\n"));
  // Had INJECTED survived, "echo: INJECTED" would come first.
  EXPECT_EQ(c.read_line(), "echo: after");
  ASSERT_TRUE(c.send("TLSINFO\r\n"));
  EXPECT_EQ(c.read_line().value_or("").rfind("tls=TLSv1.3", 0), 0u);
}

TEST_F(TlsTest, ReloadServesNewCertificateToNewConnectionsOnly) {
  RunningServer rs;
  auto port = rs.listen(spec(TlsMode::implicit));
  rs.start();
  auto trust_none = testing::make_test_client_ctx("", TLS1_2_VERSION, TLS1_3_VERSION);
  TestClient old_client;
  ASSERT_TRUE(old_client.connect(port));
  ASSERT_TRUE(old_client.start_tls(trust_none.get()));
  ASSERT_TRUE(old_client.read_line());
  std::string first = testing::peer_certificate_serial(old_client.ssl());
  ASSERT_FALSE(first.empty());

  ASSERT_TRUE(tls::generate_self_signed(cert(), key(), "mail.test"));
  rs.server().reload_tls();

  TestClient new_client;
  ASSERT_TRUE(new_client.connect(port));
  ASSERT_TRUE(new_client.start_tls(trust_none.get()));
  ASSERT_TRUE(new_client.read_line());
  std::string second = testing::peer_certificate_serial(new_client.ssl());
  EXPECT_NE(first, second);

  // The connection opened before the reload still works on its original session.
  ASSERT_TRUE(old_client.send("still here\r\n"));
  EXPECT_EQ(old_client.read_line(), "echo: still here");

  // A broken file is refused by reload(); the last good certificate stays in service.
  std::ofstream(cert()) << "not a certificate\n";
  EXPECT_FALSE(context_->reload());
  rs.server().reload_tls();
  TestClient third;
  ASSERT_TRUE(third.connect(port));
  ASSERT_TRUE(third.start_tls(trust_none.get()));
  ASSERT_TRUE(third.read_line());
  EXPECT_EQ(testing::peer_certificate_serial(third.ssl()), second);
}

TEST_F(TlsTest, SighupReloadsAndSigtermShutsDown) {
  auto options = RunningServer::test_options();
  options.handle_signals = true;
  RunningServer rs(options);
  auto port = rs.listen(spec(TlsMode::implicit));
  rs.start();
  auto trust_none = testing::make_test_client_ctx("", TLS1_2_VERSION, TLS1_3_VERSION);
  auto serial_of_new_connection = [&] {
    TestClient c;
    if (!c.connect(port) || !c.start_tls(trust_none.get()) || !c.read_line()) return std::string();
    return testing::peer_certificate_serial(c.ssl());
  };
  // A served connection proves run() is inside the event loop, so the signal handlers are installed.
  std::string first = serial_of_new_connection();
  ASSERT_FALSE(first.empty());
  ASSERT_TRUE(tls::generate_self_signed(cert(), key(), "mail.test"));
  ASSERT_EQ(::raise(SIGHUP), 0);
  // Signal delivery is asynchronous: poll (bounded) until new connections see the new certificate.
  std::string now = first;
  for (int i = 0; i < 100 && now == first; ++i) {
    std::this_thread::sleep_for(20ms);
    now = serial_of_new_connection();
  }
  EXPECT_NE(now, first);
  EXPECT_FALSE(now.empty());

  TestClient idle;
  ASSERT_TRUE(idle.connect(port));
  ASSERT_TRUE(idle.start_tls(trust_none.get()));
  ASSERT_TRUE(idle.read_line());
  ASSERT_EQ(::raise(SIGTERM), 0);
  EXPECT_EQ(idle.read_line(), "421 shutting down");
  rs.stop();
}

// Runs a client coroutine on its own io_context and returns its result (bounded by connect timeouts).
template <typename T>
T run_client(std::function<boost::asio::awaitable<T>()> body) {
  boost::asio::io_context ioc;
  auto future = boost::asio::co_spawn(boost::asio::make_strand(ioc), body(), boost::asio::use_future);
  ioc.run();
  return future.get();
}

TEST_F(TlsTest, ConnectAsVerifyingClient) {
  RunningServer rs;
  auto port = rs.listen(spec(TlsMode::implicit));
  rs.start();
  auto client_ctx = tls::TlsContext::client({cert(), true});
  ASSERT_TRUE(client_ctx) << client_ctx.error().message;

  auto greeting = run_client<std::string>([&]() -> boost::asio::awaitable<std::string> {
    ConnectOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.implicit_tls = true;
    options.tls = *client_ctx;
    options.server_name = "localhost";
    options.connect_timeout = 3s;
    auto conn = co_await connect(options);
    if (!conn) co_return "connect failed: " + conn.error().message;
    auto line = co_await (*conn)->read_line(512);
    auto quit = co_await (*conn)->write("QUIT\r\n");
    (void)quit;
    auto bye = co_await (*conn)->read_line(512);
    co_await (*conn)->close();
    co_return (line ? *line : line.error().message) + "|" + (bye ? *bye : bye.error().message) + "|" +
        (*conn)->tls_version();
  });
  EXPECT_EQ(greeting.rfind("220 ready", 0), 0u) << greeting;
  EXPECT_NE(greeting.find("|221 bye|TLSv1.3"), std::string::npos) << greeting;

  // The certificate does not cover this name: verification must fail.
  auto refused = run_client<std::string>([&]() -> boost::asio::awaitable<std::string> {
    ConnectOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.implicit_tls = true;
    options.tls = *client_ctx;
    options.server_name = "wrong.example";
    options.connect_timeout = 3s;
    auto conn = co_await connect(options);
    co_return conn ? std::string("connected") : conn.error().message;
  });
  EXPECT_EQ(refused.rfind("tls", 0), 0u) << refused;
}

}  // namespace
}  // namespace claret::io

namespace claret::io {
namespace {

TEST(Connect, ClosedPortFailsWithNetworkError) {
  std::uint16_t port = 0;
  {
    RunningServer rs;
    ListenerSpec spec;
    spec.name = "gone";
    port = rs.listen(spec);
  }  // the listener is closed again: nothing accepts on this port now
  ASSERT_NE(port, 0);
  auto outcome = run_client<std::string>([port]() -> boost::asio::awaitable<std::string> {
    ConnectOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.connect_timeout = std::chrono::seconds(3);
    auto conn = co_await connect(options);
    co_return conn ? std::string("connected") : conn.error().message;
  });
  EXPECT_EQ(outcome.rfind("network", 0), 0u) << outcome;
}

}  // namespace
}  // namespace claret::io
