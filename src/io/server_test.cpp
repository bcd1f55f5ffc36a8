// Tests for io::Server: per-IP limits with a refusal line, graceful shutdown with the session's
// goodbye, forced close after the grace period, offload to the worker pool, ephemeral port binding.
#include "io/server.hpp"

#include <gtest/gtest.h>

#include "io/test_support.hpp"

namespace claret::io {
namespace {

using namespace std::chrono_literals;
using testing::RunningServer;
using testing::TestClient;

ListenerSpec plain_spec() {
  ListenerSpec spec;
  spec.name = "echo";
  spec.idle_timeout = 10s;
  return spec;
}

TEST(Server, BindsEphemeralPortsAndReportsThem) {
  RunningServer rs;
  auto a = rs.listen(plain_spec());
  auto spec = plain_spec();
  spec.name = "second";
  auto b = rs.listen(spec);
  EXPECT_NE(a, 0);
  EXPECT_NE(b, 0);
  EXPECT_NE(a, b);
  auto ports = rs.server().bound_ports();
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(ports[0].listener, "echo");
  EXPECT_EQ(ports[1].port, b);
}

TEST(Server, RejectsBadListenerSpecs) {
  Server server(RunningServer::test_options());
  auto spec = plain_spec();
  spec.address = "not-an-ip";
  EXPECT_FALSE(server.add_listener(spec, testing::echo_session()));
  spec = plain_spec();
  spec.tls_mode = TlsMode::implicit;  // no TLS context
  EXPECT_FALSE(server.add_listener(spec, testing::echo_session()));
}

TEST(Server, PerIpLimitRefusesWithLineAndFreesSlotOnClose) {
  RunningServer rs;
  auto spec = plain_spec();
  spec.max_connections_per_ip = 2;
  spec.refusal_line = "421 4.7.0 Too many connections\r\n";
  auto port = rs.listen(spec);
  rs.start();
  TestClient a, b, c;
  ASSERT_TRUE(a.connect(port));
  ASSERT_TRUE(a.read_line());
  ASSERT_TRUE(b.connect(port));
  ASSERT_TRUE(b.read_line());
  ASSERT_TRUE(c.connect(port));
  EXPECT_EQ(c.read_line(), "421 4.7.0 Too many connections");
  EXPECT_TRUE(c.wait_closed());

  ASSERT_TRUE(a.send("QUIT\r\n"));
  EXPECT_EQ(a.read_line(), "221 bye");
  ASSERT_TRUE(rs.wait_connection_count(1));
  TestClient d;
  ASSERT_TRUE(d.connect(port));
  EXPECT_EQ(d.read_line().value_or("").rfind("220 ready", 0), 0u);
}

TEST(Server, ListenerLimitCountsAllAddresses) {
  RunningServer rs;
  auto spec = plain_spec();
  spec.max_connections = 1;
  auto port = rs.listen(spec);
  rs.start();
  TestClient a, b;
  ASSERT_TRUE(a.connect(port));
  ASSERT_TRUE(a.read_line());
  ASSERT_TRUE(b.connect(port));
  // No refusal line configured: the connection is simply closed.
  EXPECT_TRUE(b.wait_closed());
}

TEST(Server, GracefulShutdownDeliversGoodbyeAndRunReturns) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient a, b;
  ASSERT_TRUE(a.connect(port));
  ASSERT_TRUE(a.read_line());
  ASSERT_TRUE(b.connect(port));
  ASSERT_TRUE(b.read_line());
  auto started = std::chrono::steady_clock::now();
  rs.server().request_shutdown();
  EXPECT_EQ(a.read_line(), "421 shutting down");
  EXPECT_EQ(b.read_line(), "421 shutting down");
  EXPECT_TRUE(a.wait_closed());
  rs.stop();  // joins run(): returns as soon as the sessions are gone, well before the grace period
  EXPECT_LT(std::chrono::steady_clock::now() - started, 900ms);
  TestClient late;
  EXPECT_FALSE(late.connect(port) && late.read_line());
}

TEST(Server, PipelinedCommandBeforeShutdownIsStillServed) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient a;
  ASSERT_TRUE(a.connect(port));
  ASSERT_TRUE(a.read_line());
  ASSERT_TRUE(a.send("STUBBORN\r\n"));
  EXPECT_EQ(a.read_line(), "ok");
  rs.server().request_shutdown();
  // A session reading with keep_reading is not interrupted: it finishes its transaction.
  ASSERT_TRUE(a.send("in flight\r\n"));
  EXPECT_EQ(a.read_line(), "echo: in flight");
}

TEST(Server, SessionCanAwaitTheShutdownSignal) {
  RunningServer rs;
  auto port = rs.listen(plain_spec(), [](Connection& conn, SessionContext& ctx) -> boost::asio::awaitable<void> {
    auto hello = co_await conn.write(ctx.shutdown.requested() ? "early\r\n" : "waiting\r\n");
    if (!hello) co_return;
    co_await ctx.shutdown.wait();
    auto bye = co_await conn.write("woken\r\n");
    (void)bye;
  });
  rs.start();
  TestClient a;
  ASSERT_TRUE(a.connect(port));
  EXPECT_EQ(a.read_line(), "waiting");
  rs.server().request_shutdown();
  EXPECT_EQ(a.read_line(), "woken");
  EXPECT_TRUE(a.wait_closed());
}

TEST(Server, SessionIgnoringShutdownIsForceClosedAfterGrace) {
  auto options = RunningServer::test_options();
  options.shutdown_grace = 300ms;
  RunningServer rs(options);
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient a;
  ASSERT_TRUE(a.connect(port));
  ASSERT_TRUE(a.read_line());
  ASSERT_TRUE(a.send("STUBBORN\r\n"));
  EXPECT_EQ(a.read_line(), "ok");
  auto started = std::chrono::steady_clock::now();
  rs.stop();
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 2500ms);
  EXPECT_TRUE(a.wait_closed());
}

TEST(Server, OffloadRunsOnWorkerAndResumesOnIoThread) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient a;
  ASSERT_TRUE(a.connect(port));
  ASSERT_TRUE(a.read_line());
  ASSERT_TRUE(a.send("OFFLOAD\r\n"));
  EXPECT_EQ(a.read_line(), "offload worker=1 other_thread=1 resumed_on_worker=0");
}

TEST(Server, ConnectionIdsAreDistinct) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient a, b;
  ASSERT_TRUE(a.connect(port));
  ASSERT_TRUE(b.connect(port));
  auto ga = a.read_line().value_or("");
  auto gb = b.read_line().value_or("");
  EXPECT_NE(ga, gb);
  EXPECT_EQ(ga.rfind("220 ready cid=", 0), 0u);
}

}  // namespace
}  // namespace claret::io
