// Tests for io::Connection over real loopback sockets: line framing and limits, read_exact, idle
// timeouts and deadlines that trickling bytes do not extend.
#include "io/connection.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <thread>

#include "io/test_support.hpp"

namespace claret::io {
namespace {

using namespace std::chrono_literals;
using testing::RunningServer;
using testing::TestClient;

ListenerSpec plain_spec(std::chrono::milliseconds idle = 5s) {
  ListenerSpec spec;
  spec.name = "echo";
  spec.idle_timeout = idle;
  return spec;
}

TEST(Connection, EchoesLinesAndReportsBareLf) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  ASSERT_NE(port, 0);
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  EXPECT_EQ(c.read_line().value_or("").rfind("220 ready", 0), 0u);
  // Two pipelined lines in one segment, the second with a bare LF.
  ASSERT_TRUE(c.send("hello\r\nworld\n"));
  EXPECT_EQ(c.read_line(), "echo: hello");
  EXPECT_EQ(c.read_line(), "echo-lf: world");
  ASSERT_TRUE(c.send("QUIT\r\n"));
  EXPECT_EQ(c.read_line(), "221 bye");
  EXPECT_TRUE(c.wait_closed());
}

TEST(Connection, LineSplitAcrossSegmentsIsReassembled) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  for (char ch : std::string("split line\r\n")) {
    ASSERT_TRUE(c.send(std::string(1, ch)));
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(c.read_line(), "echo: split line");
}

TEST(Connection, LineAtLimitIsAcceptedOneBeyondIsRefused) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  ASSERT_TRUE(c.send(std::string(1000, 'x') + "\r\n"));
  EXPECT_EQ(c.read_line(), "echo: " + std::string(1000, 'x'));
  ASSERT_TRUE(c.send(std::string(1001, 'y') + "\r\nnext\r\n"));
  EXPECT_EQ(c.read_line(), "500 too long");
  EXPECT_EQ(c.read_line(), "echo: next");
}

TEST(Connection, MegabyteLineIsDiscardedAndConnectionStaysUsable) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  ASSERT_TRUE(c.send(std::string(1 << 20, 'A') + "\r\nafter\r\n"));
  EXPECT_EQ(c.read_line(), "500 too long");
  EXPECT_EQ(c.read_line(), "echo: after");
}

TEST(Connection, ReadExactReturnsLiteralBytesIncludingCrlf) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  ASSERT_TRUE(c.send("LITERAL 6\r\nab\r\ncd"));
  EXPECT_EQ(c.read_line(), "got:ab");
  EXPECT_EQ(c.read_line(), "cd");
  ASSERT_TRUE(c.send("NOOP\r\n"));
  EXPECT_EQ(c.read_line(), "echo: NOOP");
}

TEST(Connection, ReadSomeStreamsBufferedAndNewBytes) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  // Part of the body arrives with the command (read-ahead), the rest later.
  ASSERT_TRUE(c.send("STREAM 70000\r\n" + std::string(1000, 'b')));
  std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(c.send(std::string(69000, 'b') + "BATCH\r\n"));
  EXPECT_EQ(c.read_line(), "streamed 70000");
  EXPECT_EQ(c.read_line(), "first");
  EXPECT_EQ(c.read_line(), "second");
}

// Writes numbered 1 KB lines, one flush each, as an IMAP server pushing untagged updates would.
boost::asio::awaitable<void> push_lines(Connection& conn, char tag, int count) {
  for (int i = 0; i < count; ++i) {
    conn.enqueue(std::string(1, tag) + std::to_string(i) + " " + std::string(1000, tag) + "\r\n");
    auto flushed = co_await conn.flush();
    if (!flushed) co_return;
  }
}

TEST(Connection, ConcurrentFlushesAreSerialisedWithoutInterleaving) {
  using namespace boost::asio::experimental::awaitable_operators;
  RunningServer rs;
  auto port = rs.listen(plain_spec(), [](Connection& conn, SessionContext&) -> boost::asio::awaitable<void> {
    co_await (push_lines(conn, 'a', 200) && push_lines(conn, 'b', 200));
  });
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  int next[2] = {0, 0};
  for (int i = 0; i < 400; ++i) {
    auto line = c.read_line();
    ASSERT_TRUE(line);
    ASSERT_GE(line->size(), 2u);
    int which = (*line)[0] == 'a' ? 0 : 1;
    // Each writer's lines arrive whole and in order.
    EXPECT_EQ(*line, std::string(1, (*line)[0]) + std::to_string(next[which]) + " " +
                         std::string(1000, (*line)[0]));
    ++next[which];
  }
  EXPECT_EQ(next[0], 200);
  EXPECT_EQ(next[1], 200);
  EXPECT_TRUE(c.wait_closed());
}

TEST(Connection, IdleTimeoutEndsSilentConnection) {
  RunningServer rs;
  auto port = rs.listen(plain_spec(200ms));
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(c.read_line(), "421 timeout");
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 2s);
  EXPECT_TRUE(c.wait_closed());
}

TEST(Connection, IdleTimeoutRestartsOnEachRead) {
  RunningServer rs;
  auto port = rs.listen(plain_spec(300ms));
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  // Five commands 150 ms apart: 750 ms in total, each read well inside the idle timeout.
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(150ms);
    ASSERT_TRUE(c.send("ping\r\n"));
    EXPECT_EQ(c.read_line(), "echo: ping");
  }
}

// The connection's one watch timer is set for the first read's deadline and left running; it fires while a later
// read is in flight and must then set itself for that read's deadline, so silence after a busy spell still times out,
// counted from the last read.
TEST(Connection, IdleTimeoutCountsFromTheLastReadAfterABusySpell) {
  RunningServer rs;
  auto port = rs.listen(plain_spec(300ms));
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(120ms);
    ASSERT_TRUE(c.send("ping\r\n"));
    EXPECT_EQ(c.read_line(), "echo: ping");
  }
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(c.read_line(), "421 timeout");
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 2s);
  EXPECT_TRUE(c.wait_closed());
}

TEST(Connection, DeadlineIsNotExtendedByTricklingBytes) {
  RunningServer rs;
  // The idle timeout (250 ms) is reset by every byte; the 400 ms deadline must not be.
  auto port = rs.listen(plain_spec(250ms));
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  ASSERT_TRUE(c.send("DEADLINE 400\r\n"));
  auto started = std::chrono::steady_clock::now();
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    for (int i = 0; i < 40 && !stop; ++i) {
      if (!c.send("z")) break;
      std::this_thread::sleep_for(50ms);
    }
  });
  auto reply = c.read_line();
  auto waited = std::chrono::steady_clock::now() - started;
  stop = true;
  trickle.join();
  EXPECT_EQ(reply, "421 timeout");
  EXPECT_GE(waited, 350ms);
  EXPECT_LT(waited, 1500ms);
}

TEST(Connection, CommandWithinDeadlineSucceeds) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  ASSERT_TRUE(c.send("DEADLINE 2000\r\nquick\r\n"));
  EXPECT_EQ(c.read_line(), "in time: quick");
}

TEST(Connection, StartTlsWithoutContextIsRejected) {
  RunningServer rs;
  auto port = rs.listen(plain_spec());
  rs.start();
  TestClient c;
  ASSERT_TRUE(c.connect(port));
  ASSERT_TRUE(c.read_line());
  ASSERT_TRUE(c.send("STARTTLS\r\n"));
  EXPECT_EQ(c.read_line(), "220 go");
  // start_tls() fails with invalid_state on a plain listener and the session ends.
  EXPECT_TRUE(c.wait_closed());
}

}  // namespace
}  // namespace claret::io

namespace claret::io {
namespace {

using namespace std::chrono_literals;

// Reports whether the client spoke within 300 ms of connecting, then reads one line so the bytes
// that were only peeked at are still there to be read.
boost::asio::awaitable<void> pregreet_session(Connection& conn, SessionContext&) {
  auto early = co_await conn.input_within(300ms);
  if (!early) co_return;
  co_await conn.write(*early ? "early\r\n" : "quiet\r\n");
  auto line = co_await conn.read_line(100);
  if (line) co_await conn.write("line: " + *line + "\r\n");
}

TEST(Connection, InputWithinDetectsAClientThatTalksFirst) {
  testing::RunningServer rs;
  ListenerSpec spec;
  spec.name = "pregreet";
  auto port = rs.listen(spec, [](Connection& c, SessionContext& x) { return pregreet_session(c, x); });
  rs.start();

  testing::TestClient eager;
  ASSERT_TRUE(eager.connect(port));
  ASSERT_TRUE(eager.send("EHLO bot\r\n"));
  EXPECT_EQ(eager.read_line(), "early");
  EXPECT_EQ(eager.read_line(), "line: EHLO bot");

  testing::TestClient polite;
  ASSERT_TRUE(polite.connect(port));
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(polite.read_line(), "quiet");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 250ms);
  ASSERT_TRUE(polite.send("EHLO client\r\n"));
  EXPECT_EQ(polite.read_line(), "line: EHLO client");
}

}  // namespace
}  // namespace claret::io
