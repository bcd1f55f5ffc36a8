// ImapClient against a scripted fake server on loopback (plain TCP): literals both ways, SASL-IR login, the MOVE
// fallback, IDLE, NO/BAD mapping, and a server that hangs up.
#include "imap/client/client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/detached.hpp>
#include <optional>
#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace claret::imap::client {
namespace {

// One connection; for each step: read one line (or a literal when want_literal > 0), check it starts with
// `expect` (after the tag, which is remembered as $TAG), then send `reply` with "$TAG" replaced.
struct Step {
  std::string expect;
  std::string reply;
  std::size_t literal = 0;  // bytes (+CRLF) to read after the line before replying
  std::string continuation;  // sent after the line when a synchronising literal is announced
};

class FakeImapServer {
 public:
  FakeImapServer(std::string greeting, std::vector<Step> steps) : greeting_(std::move(greeting)), steps_(std::move(steps)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 1);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeImapServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  std::uint16_t port() const { return port_; }
  std::vector<std::string> received() const { return received_; }
  std::string failure() const { return failure_; }

 private:
  bool read_line(std::string& line) {
    line.clear();
    char c;
    while (::recv(fd_, &c, 1, 0) == 1) {
      if (c == '\n') {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return true;
      }
      line += c;
    }
    return false;
  }
  bool read_n(std::size_t n, std::string& out) {
    out.resize(n);
    std::size_t got = 0;
    while (got < n) {
      auto r = ::recv(fd_, out.data() + got, n - got, 0);
      if (r <= 0) return false;
      got += static_cast<std::size_t>(r);
    }
    return true;
  }
  void send(const std::string& s) { ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL); }

  void serve() {
    fd_ = ::accept(listen_fd_, nullptr, nullptr);
    if (fd_ < 0) return;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    send(greeting_ + "\r\n");
    for (const auto& step : steps_) {
      std::string line;
      if (!read_line(line)) {
        failure_ = "connection ended before: " + step.expect;
        return;
      }
      auto space = line.find(' ');
      std::string tag = space == std::string::npos ? line : line.substr(0, space);
      std::string rest = space == std::string::npos ? line : line.substr(space + 1);
      if (step.expect == "DONE") {
        rest = line;
        tag = tag_for_idle_;
      }
      if (rest.rfind(step.expect, 0) != 0) {
        failure_ = "expected '" + step.expect + "', got '" + line + "'";
        return;
      }
      std::string full = line;
      if (step.literal > 0) {
        if (!step.continuation.empty()) send(step.continuation + "\r\n");
        std::string lit, tail;
        if (!read_n(step.literal, lit) || !read_line(tail)) {
          failure_ = "literal not received";
          return;
        }
        full += "|" + lit + "|" + tail;
      }
      received_.push_back(full);
      std::string reply = step.reply;
      for (std::size_t p; (p = reply.find("$TAG")) != std::string::npos;) reply.replace(p, 4, tag);
      if (!reply.empty()) send(reply);
      if (step.expect == "IDLE") tag_for_idle_ = tag;
    }
    ::shutdown(fd_, SHUT_RDWR);  // end of script: hang up
  }

  std::string greeting_;
  std::vector<Step> steps_;
  int listen_fd_ = -1;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::vector<std::string> received_;
  std::string failure_;
  std::string tag_for_idle_;
};

template <typename T>
boost::asio::awaitable<void> into(boost::asio::awaitable<T> task, std::optional<T>* out) {
  auto v = co_await std::move(task);
  out->emplace(std::move(v));
}

// Runs `task` to completion on a fresh io_context (Result is not default-constructible, so no use_future).
template <typename T>
T run(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  std::optional<T> out;
  boost::asio::co_spawn(io, into(std::move(task), &out), boost::asio::detached);
  io.run();
  return std::move(*out);
}

ClientOptions plain(std::uint16_t port) {
  ClientOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.security = Security::plaintext;
  o.connect_timeout = std::chrono::seconds(5);
  o.command_timeout = std::chrono::seconds(5);
  return o;
}

const char* kGreeting = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR IDLE UIDPLUS] fake ready";

boost::asio::awaitable<std::string> scenario(std::uint16_t port) {
  auto c = co_await ImapClient::connect(plain(port));
  if (!c) co_return "connect: " + c.error().message;
  auto& client = **c;
  auto st = co_await client.login("alice@x.test", "pw");
  if (!st) co_return "login: " + st.error().message;
  if (client.has_capability("MOVE") || !client.has_capability("UIDPLUS"))
    co_return "capabilities not taken from the OK [CAPABILITY] code";
  auto sel = co_await client.select("Entwürfe");
  if (!sel) co_return "select: " + sel.error().message;
  if (sel->exists != 2 || sel->uidvalidity != 77) co_return "select data";
  auto fetched = co_await client.uid_fetch("1:2", "(UID BODY.PEEK[])");
  if (!fetched) co_return "fetch: " + fetched.error().message;
  if (fetched->size() != 2 || fetched->at(0).sections.at("BODY[]") != "ab\r\ncd" || *fetched->at(1).uid != 2)
    co_return "fetch data";
  std::vector<std::string> seen{std::string("\\Seen")};
  auto appended = co_await client.append("INBOX", seen, "hello");
  if (!appended) co_return "append: " + appended.error().message;
  if (!appended->has_value() || (*appended)->uid != 9) co_return "appenduid";
  auto moved = co_await client.uid_move("1", "Trash");
  if (!moved) co_return "move: " + moved.error().message;
  auto missing = co_await client.select("Nope");
  if (missing || missing.error().code != kNonexistent) co_return "select Nope should be kNonexistent";
  auto idle = co_await client.idle(std::chrono::seconds(3));
  if (!idle) co_return "idle: " + idle.error().message;
  if (idle->empty() || idle->front().name != "EXISTS") co_return "idle update";
  auto bad = co_await client.noop();
  if (bad || bad.error().code != kBadCommand) co_return "BAD should map to kBadCommand";
  auto lost = co_await client.noop();
  if (lost || lost.error().code != kConnectionFailed) co_return "hang-up should be kConnectionFailed";
  if (client.usable()) co_return "client should be unusable after the hang-up";
  co_return "";
}

TEST(ImapClient, ScriptedSession) {
  FakeImapServer server(kGreeting, {
      {"AUTHENTICATE PLAIN AGFsaWNlQHgudGVzdABwdw==", "$TAG OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS] in\r\n"},
      {"SELECT \"Entw&APw-rfe\"", "* 2 EXISTS\r\n* OK [UIDVALIDITY 77] v\r\n$TAG OK [READ-WRITE] done\r\n"},
      {"UID FETCH 1:2 (UID BODY.PEEK[])",
       "* 1 FETCH (UID 1 BODY[] {6}\r\nab\r\ncd)\r\n* 2 FETCH (UID 2 BODY[] \"\")\r\n$TAG OK done\r\n"},
      {"APPEND \"INBOX\" (\\Seen) {5}", "$TAG OK [APPENDUID 77 9] done\r\n", 5, "+ go on"},
      {"UID COPY 1 \"Trash\"", "$TAG OK [COPYUID 77 1 3] copied\r\n"},
      {"UID STORE 1 +FLAGS.SILENT (\\Deleted)", "$TAG OK stored\r\n"},
      {"UID EXPUNGE 1", "* 1 EXPUNGE\r\n$TAG OK expunged\r\n"},
      {"SELECT \"Nope\"", "$TAG NO [NONEXISTENT] no such mailbox\r\n"},
      {"IDLE", "+ idling\r\n* 3 EXISTS\r\n"},
      {"DONE", "$TAG OK idle done\r\n"},
      {"NOOP", "$TAG BAD not now\r\n"},
      {"NOOP", ""},
  });
  auto outcome = run(scenario(server.port()));
  EXPECT_EQ(outcome, "") << server.failure();
  EXPECT_EQ(server.failure(), "");
}

// MailboxView: SELECT (CONDSTORE) when offered; the version moves on every reported change and on SELECT, and
// stays put for solicited FETCH data and repeated EXISTS.
boost::asio::awaitable<std::string> view_tracking(std::uint16_t port) {
  auto c = co_await ImapClient::connect(plain(port));
  if (!c) co_return "connect: " + c.error().message;
  auto& client = **c;
  auto sel = co_await client.select("INBOX", false, true);
  if (!sel) co_return "select: " + sel.error().message;
  if (!client.view().condstore || client.view().highestmodseq != 40 || client.view().exists != 3)
    co_return "view after SELECT (CONDSTORE)";
  auto v = client.view().version;
  auto own = co_await client.uid_fetch("1:3", "(UID FLAGS)");
  if (!own) co_return "fetch: " + own.error().message;
  auto quiet = co_await client.noop();  // "* 3 EXISTS" again: no change
  if (!quiet) co_return "noop: " + quiet.error().message;
  if (client.view().version != v) co_return "solicited FETCH or an unchanged EXISTS moved the version";
  auto flags = co_await client.noop();  // another client's flag change, with its MODSEQ
  if (!flags) co_return "noop 2: " + flags.error().message;
  if (client.view().version == v || client.view().highestmodseq != 41) co_return "flag change not seen";
  v = client.view().version;
  auto mail = co_await client.noop();  // new mail
  if (!mail) co_return "noop 3: " + mail.error().message;
  if (client.view().version == v || client.view().exists != 4) co_return "new mail not seen";
  v = client.view().version;
  auto gone = co_await client.noop();  // expunge
  if (!gone) co_return "noop 4: " + gone.error().message;
  if (client.view().version == v || client.view().exists != 3) co_return "expunge not seen";
  v = client.view().version;
  auto again = co_await client.select("INBOX", false, true);
  if (!again) co_return "reselect: " + again.error().message;
  if (client.view().version == v) co_return "SELECT must move the version";
  if (client.view().condstore) co_return "NOMODSEQ must turn change tracking off";
  co_return "";
}

TEST(ImapClient, MailboxViewTracksReportedChanges) {
  FakeImapServer server("* OK [CAPABILITY IMAP4rev1 CONDSTORE] fake ready", {
      {"SELECT \"INBOX\" (CONDSTORE)",
       "* 3 EXISTS\r\n* OK [UIDVALIDITY 5] v\r\n* OK [HIGHESTMODSEQ 40] h\r\n$TAG OK [READ-WRITE] done\r\n"},
      {"UID FETCH 1:3 (UID FLAGS)",
       "* 1 FETCH (UID 1 FLAGS ())\r\n* 2 FETCH (UID 2 FLAGS (\\Seen))\r\n* 3 FETCH (UID 3 FLAGS ())\r\n"
       "$TAG OK done\r\n"},
      {"NOOP", "* 3 EXISTS\r\n$TAG OK done\r\n"},
      {"NOOP", "* 2 FETCH (MODSEQ (41) FLAGS (\\Flagged))\r\n$TAG OK done\r\n"},
      {"NOOP", "* 4 EXISTS\r\n$TAG OK done\r\n"},
      {"NOOP", "* 1 EXPUNGE\r\n$TAG OK done\r\n"},
      {"SELECT \"INBOX\" (CONDSTORE)", "* 3 EXISTS\r\n* OK [NOMODSEQ] none\r\n$TAG OK [READ-WRITE] done\r\n"},
  });
  auto outcome = run(view_tracking(server.port()));
  EXPECT_EQ(outcome, "") << server.failure();
  EXPECT_EQ(server.failure(), "");
}

boost::asio::awaitable<std::string> append_sizes(std::uint16_t port) {
  auto c = co_await ImapClient::connect(plain(port));
  if (!c) co_return "connect: " + c.error().message;
  auto& client = **c;
  if (client.append_limit() != std::optional<std::uint64_t>(6000)) co_return "APPENDLIMIT=6000 not parsed";
  std::vector<std::string> none;
  auto small = co_await client.append("INBOX", none, std::string(4096, 's'));
  if (!small) co_return "small append: " + small.error().message;
  auto large = co_await client.append("INBOX", none, std::string(5000, 'l'));
  if (!large) co_return "large append: " + large.error().message;
  auto toobig = co_await client.append("INBOX", none, std::string(6001, 'x'));
  if (toobig || toobig.error().code != kTooLarge) co_return "over APPENDLIMIT should be kTooLarge, nothing sent";
  if (toobig.error().message != "message too large (limit 6000 bytes)") co_return "text: " + toobig.error().message;
  auto refused = co_await client.append("INBOX", none, std::string(5500, 'r'));
  if (refused || refused.error().code != kTooLarge) co_return "NO [TOOBIG] should be kTooLarge";
  if (!client.usable()) co_return "a refused literal must leave the connection usable";
  auto noop = co_await client.noop();
  if (!noop) co_return "noop after TOOBIG: " + noop.error().message;
  co_return "";
}

TEST(ImapClient, LargeAppendsUseSynchronisingLiteralsAndRespectAppendLimit) {
  // LITERAL+ is offered, yet above 4096 bytes the client waits for "+" (RFC 7888 §5), so a server over its limit
  // can refuse with NO [TOOBIG] before any byte is sent, instead of BAD + BYE.
  FakeImapServer server("* OK [CAPABILITY IMAP4rev1 LITERAL+ APPENDLIMIT=6000] fake ready", {
      {"APPEND \"INBOX\" {4096+}", "$TAG OK appended\r\n", 4096},
      {"APPEND \"INBOX\" {5000}", "$TAG OK appended\r\n", 5000, "+ go on"},
      {"APPEND \"INBOX\" {5500}", "$TAG NO [TOOBIG] over this mailbox's limit\r\n"},
      {"NOOP", "$TAG OK nothing\r\n"},
  });
  auto outcome = run(append_sizes(server.port()));
  EXPECT_EQ(outcome, "") << server.failure();
  EXPECT_EQ(server.failure(), "");
}

boost::asio::awaitable<Status> connect_and_login(std::uint16_t port) {
  auto c = co_await ImapClient::connect(plain(port));
  if (!c) co_return c.error();
  auto st = co_await (*c)->login("a", "b");
  if ((*c)->usable()) co_return Error{0, "client still usable after a malformed response"};
  co_return st;
}

TEST(ImapClient, GreetingRefusedAndMalformedResponses) {
  {
    FakeImapServer server("* BYE go away", {});
    auto r = run(ImapClient::connect(plain(server.port())));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, kConnectionFailed);
  }
  {
    FakeImapServer server("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi",
                          {{"AUTHENTICATE", "$TAG OK (((\r\n* 1 FETCH (UID\r\n"}});
    // "OK (((" is fine (free text); the CAPABILITY that follows reads a truncated FETCH: a clear protocol error.
    auto st = run(connect_and_login(server.port()));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, kProtocolError) << st.error().message;
    EXPECT_NE(st.error().message.find("malformed"), std::string::npos) << st.error().message;
  }
}

}  // namespace
}  // namespace claret::imap::client
