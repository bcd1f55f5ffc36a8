// CaresResolver tests against a scripted UDP DNS server on 127.0.0.1 (RFC 1035 §4.1 message format):
// MX, A, AAAA/NODATA, CNAME-only answers, null MX, NXDOMAIN, SERVFAIL and timeouts.
#include "dns/cares_resolver.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

namespace claret::dns {
namespace {

std::string encode_name(const std::string& name) {
  std::string out;
  size_t start = 0;
  while (start < name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    out += static_cast<char>(dot - start);
    out += name.substr(start, dot - start);
    start = dot + 1;
  }
  out += '\0';
  return out;
}

std::string u16(int v) { return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xff)}; }

// Answers from a fixed zone; "slow.test" never answers, "fail.test" gets SERVFAIL, unknown names NXDOMAIN.
class FakeDnsServer {
 public:
  FakeDnsServer() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~FakeDnsServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  uint16_t port() const { return port_; }

 private:
  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buf[512];
      sockaddr_in from{};
      socklen_t flen = sizeof(from);
      ssize_t n = ::recvfrom(fd_, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &flen);
      if (n < 17) continue;
      std::string q(buf, static_cast<size_t>(n));
      // Question: name labels from offset 12, then QTYPE, QCLASS.
      std::string name;
      size_t i = 12;
      while (i < q.size() && q[i] != 0) {
        size_t l = static_cast<unsigned char>(q[i]);
        if (!name.empty()) name += '.';
        name += q.substr(i + 1, l);
        i += l + 1;
      }
      const size_t qend = i + 5;
      if (qend > q.size()) continue;
      const int qtype = static_cast<unsigned char>(q[i + 1]) << 8 | static_cast<unsigned char>(q[i + 2]);
      if (name == "slow.test") continue;
      int rcode = 0;
      std::vector<std::pair<int, std::string>> answers;  // type, rdata
      if (name == "mx.test" && qtype == 15) answers.push_back({15, u16(10) + encode_name("mail.mx.test")});
      else if (name == "nullmx.test" && qtype == 15) answers.push_back({15, u16(0) + std::string(1, '\0')});
      else if (name == "mail.mx.test" && qtype == 1) answers.push_back({1, std::string("\x7f\x00\x00\x01", 4)});
      else if (name == "alias.test" && (qtype == 1 || qtype == 28)) answers.push_back({5, encode_name("mail.mx.test")});
      else if (name == "fail.test") rcode = 2;
      else if (name == "mx.test" || name == "mail.mx.test" || name == "nullmx.test") rcode = 0;  // NODATA
      else rcode = 3;
      std::string r = q.substr(0, 2) + u16(0x8180 | rcode) + u16(1) + u16(static_cast<int>(answers.size())) +
                      u16(0) + u16(0) + q.substr(12, qend - 12);
      for (auto& [type, rdata] : answers)
        r += u16(0xC00C) + u16(type) + u16(1) + u16(0) + u16(60) + u16(static_cast<int>(rdata.size())) + rdata;
      ::sendto(fd_, r.data(), r.size(), 0, reinterpret_cast<sockaddr*>(&from), flen);
    }
  }
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class CaresResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CaresOptions o;
    o.servers = {"127.0.0.1:" + std::to_string(server_.port())};
    o.timeout = std::chrono::milliseconds(300);
    o.tries = 1;
    auto r = CaresResolver::create(o);
    ASSERT_TRUE(r.ok()) << r.error().message;
    resolver_ = std::move(*r);
  }
  FakeDnsServer server_;
  std::unique_ptr<CaresResolver> resolver_;
};

TEST_F(CaresResolverTest, MxAndA) {
  auto mx = resolver_->mx("mx.test");
  ASSERT_TRUE(mx.ok()) << mx.error().message;
  EXPECT_EQ(*mx, (std::vector<MxRecord>{{10, "mail.mx.test"}}));
  auto a = resolver_->a("mail.mx.test");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(*a, std::vector<std::string>{"127.0.0.1"});
  auto aaaa = resolver_->aaaa("mail.mx.test");
  ASSERT_TRUE(aaaa.ok()) << aaaa.error().message;
  EXPECT_TRUE(aaaa->empty());
}

TEST_F(CaresResolverTest, FollowsCnameOnlyAnswers) {
  auto a = resolver_->a("alias.test");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(*a, std::vector<std::string>{"127.0.0.1"});
}

TEST_F(CaresResolverTest, NullMxAndNodata) {
  auto mx = resolver_->mx("nullmx.test");
  ASSERT_TRUE(mx.ok()) << mx.error().message;
  ASSERT_EQ(mx->size(), 1u);
  EXPECT_EQ(mx->front().host, "");
  auto none = resolver_->mx("mail.mx.test");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(CaresResolverTest, ErrorsAreClassified) {
  auto nx = resolver_->mx("nothing.test");
  ASSERT_FALSE(nx.ok());
  EXPECT_TRUE(is(nx.error(), DnsErrc::permanent)) << nx.error().message;
  auto fail = resolver_->a("fail.test");
  ASSERT_FALSE(fail.ok());
  EXPECT_TRUE(is(fail.error(), DnsErrc::temporary)) << fail.error().message;
  auto start = std::chrono::steady_clock::now();
  auto slow = resolver_->mx("slow.test");
  ASSERT_FALSE(slow.ok());
  EXPECT_TRUE(is(slow.error(), DnsErrc::temporary)) << slow.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(CaresResolverOptions, RejectsMalformedServers) {
  EXPECT_FALSE(CaresResolver::create({{"not-an-ip"}, std::chrono::seconds(1), 1}).ok());
  EXPECT_FALSE(CaresResolver::create({{"127.0.0.1:99999"}, std::chrono::seconds(1), 1}).ok());
  EXPECT_TRUE(CaresResolver::create({{"127.0.0.1:53", "[::1]:5353", "::1"}, std::chrono::seconds(1), 1}).ok());
}

}  // namespace
}  // namespace claret::dns
