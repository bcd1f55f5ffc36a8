// DeliveryService tests: SQLite store and queue in a temp dir, MockResolver, FakeSmtpServer on 127.0.0.1 —
// remote delivery, retries after 4xx, DSNs after 5xx and null MX, no bounce for a null sender, local recipients,
// connection reuse, expiry, success DSNs, delay warnings.
#include "queue/delivery_service.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>

#include "dns/mock_resolver.hpp"
#include "smtp/client/fake_smtp_server.hpp"
#include "store/sqlite/sqlite_queue_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/uid_set.hpp"

namespace claret::queue {
namespace {

using smtp::client::testing::FakeSmtpServer;

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "claret-delivery-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    store_ = store::sqlite::open_sqlite_store(dir_).value();
    queue_ = store::sqlite::open_sqlite_queue_store(dir_).value();
    ASSERT_TRUE(store_->directory().add_domain("example.org").ok());
    auto a = store_->directory().create_account({"alice@example.org", "x", "x", 0});
    ASSERT_TRUE(a.ok()) << a.error().message;
    alice_ = a->id;
    ASSERT_TRUE(store_->directory().create_account({"dave@example.org", "x", "x", 0}).ok());
    dns_.add_mx("remote.test", 10, "mx.remote.test");
    dns_.add_a("mx.remote.test", "127.0.0.1");
    dns_.add_mx("nomail.test", 0, "");
  }
  void TearDown() override {
    queue_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  DeliveryOptions options(uint16_t port) {
    DeliveryOptions o;
    o.hostname = "mx.example.org";
    o.smtp_port = port;
    auto& t = o.timeouts;
    t.connect = t.greeting = t.mail = t.rcpt = t.data_init = t.data_block = t.data_end = t.other =
        std::chrono::seconds(5);
    return o;
  }

  int64_t enqueue(const std::string& sender, std::vector<std::string> rcpts, const std::string& body = "hello\r\n",
                  int notify = 0) {
    OutboundMessage m;
    m.sender = sender;
    for (auto& r : rcpts) m.recipients.push_back({r, notify, "rfc822;" + r});
    std::string msg = "From: <" + sender + ">\r\nSubject: test\r\n\r\n" + body;
    m.message = msg;
    m.now = static_cast<int64_t>(::time(nullptr));
    auto id = enqueue_message(store_->blobs(), *queue_, m, {});
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }

  // INBOX messages of an account, as their raw bytes.
  std::vector<std::string> inbox(store::AccountId account) {
    std::vector<std::string> out;
    auto ms = store_->mail(account);
    auto box = (*ms)->get_mailbox("INBOX");
    auto uids = (*ms)->list_uids(box->id);
    if (uids->empty()) return out;
    store::UidSet set;
    for (auto u : *uids) set.add(u);
    auto recs = (*ms)->fetch_meta(box->id, set);
    for (auto& r : *recs) out.push_back(*store_->blobs().read(r.blob_id));
    return out;
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<QueueStore> queue_;
  dns::MockResolver dns_;
  store::AccountId alice_ = 0;
};

TEST_F(DeliveryTest, DeliversRemoteMessageIntact) {
  FakeSmtpServer sink;
  enqueue("alice@example.org", {"bob@remote.test"}, "line one\r\n.dot line\r\n");
  DeliveryService svc(*store_, *queue_, dns_, options(sink.port()));
  EXPECT_EQ(svc.run_once(), 1u);
  auto msgs = sink.messages();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].data, "From: <alice@example.org>\r\nSubject: test\r\n\r\nline one\r\n.dot line\r\n");
  EXPECT_EQ(msgs[0].mail_from.rfind("MAIL FROM:<alice@example.org>", 0), 0u);
  EXPECT_TRUE(queue_->list()->empty());
  EXPECT_TRUE(inbox(alice_).empty());  // no success DSN unless asked
}

TEST_F(DeliveryTest, TemporaryFailureIsRetriedThenDelivered) {
  std::atomic<bool> busy{true};
  FakeSmtpServer::Options so;
  so.on_command = [&](const std::string& line) -> std::string {
    return busy && line.rfind("RCPT", 0) == 0 ? "451 4.3.0 try again" : "";
  };
  FakeSmtpServer sink(so);
  int64_t id = enqueue("alice@example.org", {"bob@remote.test"});
  DeliveryService svc(*store_, *queue_, dns_, options(sink.port()));
  svc.run_once();
  auto e = queue_->get(id);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->attempts, 1);
  EXPECT_EQ(e->recipients[0].last_reply, "451 4.3.0 try again");
  EXPECT_GE(e->next_attempt - static_cast<int64_t>(::time(nullptr)), 55);
  EXPECT_EQ(svc.run_once(), 0u);  // not due yet
  busy = false;
  ASSERT_TRUE(queue_->retry_now(id, static_cast<int64_t>(::time(nullptr))).ok());
  EXPECT_EQ(svc.run_once(), 1u);
  EXPECT_EQ(sink.messages().size(), 1u);
  EXPECT_TRUE(queue_->list()->empty());
  EXPECT_TRUE(inbox(alice_).empty());
}

TEST_F(DeliveryTest, PermanentFailureBouncesToLocalSender) {
  FakeSmtpServer::Options so;
  so.on_command = [](const std::string& line) -> std::string {
    return line.find("nobody@") != std::string::npos ? "550 5.1.1 no such user" : "";
  };
  FakeSmtpServer sink(so);
  enqueue("alice@example.org", {"nobody@remote.test", "bob@remote.test"});
  DeliveryService svc(*store_, *queue_, dns_, options(sink.port()));
  svc.run_once();
  EXPECT_EQ(sink.messages().size(), 1u);
  EXPECT_TRUE(queue_->list()->empty());
  auto box = inbox(alice_);
  ASSERT_EQ(box.size(), 1u);
  EXPECT_NE(box[0].find("Final-Recipient: rfc822; nobody@remote.test\r\nAction: failed\r\nStatus: 5.1.1"),
            std::string::npos);
  EXPECT_EQ(box[0].find("bob@remote.test\r\nAction"), std::string::npos);
  EXPECT_NE(box[0].find("Subject: test"), std::string::npos);  // the original headers
}

TEST_F(DeliveryTest, NullMxBouncesAtOnceAndNullSenderIsNeverBounced) {
  enqueue("alice@example.org", {"x@nomail.test"});
  enqueue("", {"y@nomail.test"});
  DeliveryService svc(*store_, *queue_, dns_, options(1));
  EXPECT_EQ(svc.run_once(), 2u);
  EXPECT_TRUE(queue_->list()->empty());
  auto box = inbox(alice_);
  ASSERT_EQ(box.size(), 1u);
  EXPECT_NE(box[0].find("Status: 5.1.10"), std::string::npos);
  EXPECT_NE(box[0].find("x@nomail.test"), std::string::npos);
}

TEST_F(DeliveryTest, BounceToRemoteSenderIsQueuedWithNullSender) {
  enqueue("someone@remote.test", {"x@nomail.test"});
  DeliveryService svc(*store_, *queue_, dns_, options(1));
  svc.run_once();
  auto list = queue_->list();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().sender, "");
  EXPECT_EQ(list->front().recipients[0].address, "someone@remote.test");
}

TEST_F(DeliveryTest, LocalRecipientsNeverUseTheNetwork) {
  enqueue("alice@example.org", {"dave@example.org", "ghost@example.org"});
  DeliveryService svc(*store_, *queue_, dns_, options(1));
  svc.run_once();
  EXPECT_EQ(dns_.lookups(), 0);
  auto dave = store_->directory().get_account("dave@example.org");
  EXPECT_EQ(inbox(dave->id).size(), 1u);
  auto box = inbox(alice_);
  ASSERT_EQ(box.size(), 1u);  // ghost@ does not exist: bounced
  EXPECT_NE(box[0].find("ghost@example.org\r\nAction: failed\r\nStatus: 5.1.1"), std::string::npos);
}

TEST_F(DeliveryTest, ReusesOneConnectionForSeveralMessages) {
  FakeSmtpServer sink;
  for (int i = 0; i < 3; ++i) enqueue("alice@example.org", {"bob@remote.test"}, "n" + std::to_string(i) + "\r\n");
  DeliveryOptions o = options(sink.port());
  o.max_per_domain = 1;
  DeliveryService svc(*store_, *queue_, dns_, o);
  EXPECT_EQ(svc.run_once(), 3u);
  EXPECT_EQ(sink.messages().size(), 3u);
  EXPECT_EQ(sink.connections(), 1);
}

TEST_F(DeliveryTest, ConnectionFailureRetriesAndExpiryBounces) {
  // Port 1 on loopback: nothing listens, connection refused.
  int64_t id = enqueue("alice@example.org", {"bob@remote.test"});
  DeliveryOptions o = options(1);
  DeliveryService svc(*store_, *queue_, dns_, o);
  svc.run_once();
  auto e = queue_->get(id);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->recipients[0].state, RecipientState::pending);
  EXPECT_EQ(e->recipients[0].last_reply.rfind("451 4.4.1", 0), 0u) << e->recipients[0].last_reply;
  EXPECT_TRUE(inbox(alice_).empty());
  o.retry.lifetime_seconds = 0;
  DeliveryService expiring(*store_, *queue_, dns_, o);
  ASSERT_TRUE(queue_->retry_now(id, static_cast<int64_t>(::time(nullptr))).ok());
  expiring.run_once();
  EXPECT_TRUE(queue_->list()->empty());
  auto box = inbox(alice_);
  ASSERT_EQ(box.size(), 1u);
  EXPECT_NE(box[0].find("Status: 4.4.7"), std::string::npos);
}

TEST_F(DeliveryTest, SuccessDsnWhenAskedAndDelayWarningOnce) {
  FakeSmtpServer sink;
  enqueue("alice@example.org", {"bob@remote.test"}, "x\r\n", notify::kSuccess);
  DeliveryService svc(*store_, *queue_, dns_, options(sink.port()));
  svc.run_once();
  auto box = inbox(alice_);
  ASSERT_EQ(box.size(), 1u);
  EXPECT_NE(box[0].find("Action: delivered"), std::string::npos);

  int64_t id = enqueue("alice@example.org", {"carol@remote.test"});
  DeliveryOptions o = options(1);
  o.retry.delay_warning_seconds = 1;
  o.retry.retry_min_seconds = 0;
  DeliveryService slow(*store_, *queue_, dns_, o);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  slow.run_once();
  ASSERT_TRUE(queue_->retry_now(id, static_cast<int64_t>(::time(nullptr))).ok());
  slow.run_once();
  box = inbox(alice_);
  ASSERT_EQ(box.size(), 2u);  // one delay warning, not two
  EXPECT_NE(box[1].find("Action: delayed"), std::string::npos);
  EXPECT_TRUE(queue_->get(id)->delay_warned);
}

TEST_F(DeliveryTest, SmarthostReceivesEverythingWithAuth) {
  FakeSmtpServer::Options so;
  so.ehlo_keywords = {"PIPELINING", "8BITMIME", "AUTH PLAIN LOGIN"};
  so.on_command = [](const std::string& line) -> std::string {
    return line.rfind("AUTH PLAIN ", 0) == 0 ? "235 2.7.0 authenticated" : "";
  };
  FakeSmtpServer relay(so);
  enqueue("alice@example.org", {"x@unknown-domain.test", "y@other.test"});
  DeliveryOptions o = options(1);
  o.smarthost = Smarthost{"127.0.0.1", relay.port(), "relayuser", "s3cret", false};
  DeliveryService svc(*store_, *queue_, dns_, o);
  svc.run_once();
  EXPECT_EQ(dns_.lookups(), 0);  // no MX routing through a smarthost
  ASSERT_EQ(relay.messages().size(), 1u);
  EXPECT_EQ(relay.messages()[0].rcpt_to.size(), 2u);
  auto cmds = relay.commands();
  // "\0relayuser\0s3cret" in base64.
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "AUTH PLAIN AHJlbGF5dXNlcgBzM2NyZXQ="), cmds.end());
  EXPECT_TRUE(queue_->list()->empty());
}

TEST_F(DeliveryTest, DomainRouteGoesToItsRelayOthersToTheMx) {
  FakeSmtpServer mx;
  FakeSmtpServer relay;
  enqueue("alice@example.org", {"bob@remote.test", "y@Routed.test"});
  DeliveryOptions o = options(mx.port());
  o.routes["routed.test"] = Smarthost{"127.0.0.1", relay.port(), "", "", false};
  DeliveryService svc(*store_, *queue_, dns_, o);
  svc.run_once();
  ASSERT_EQ(mx.messages().size(), 1u);
  EXPECT_EQ(mx.messages()[0].rcpt_to, std::vector<std::string>{"RCPT TO:<bob@remote.test> ORCPT=rfc822;bob@remote.test"});
  ASSERT_EQ(relay.messages().size(), 1u);
  EXPECT_EQ(relay.messages()[0].rcpt_to, std::vector<std::string>{"RCPT TO:<y@Routed.test> ORCPT=rfc822;y@Routed.test"});
  // routed.test has no DNS records: had it been routed by MX it would have failed with NXDOMAIN.
  EXPECT_TRUE(queue_->list()->empty());
}

TEST_F(DeliveryTest, DomainRouteWinsOverTheSmarthost) {
  FakeSmtpServer smarthost;
  FakeSmtpServer relay;
  enqueue("alice@example.org", {"bob@remote.test", "y@routed.test"});
  DeliveryOptions o = options(1);
  o.smarthost = Smarthost{"127.0.0.1", smarthost.port(), "", "", false};
  o.routes["routed.test"] = Smarthost{"127.0.0.1", relay.port(), "", "", false};
  DeliveryService svc(*store_, *queue_, dns_, o);
  svc.run_once();
  ASSERT_EQ(smarthost.messages().size(), 1u);
  EXPECT_EQ(smarthost.messages()[0].rcpt_to, std::vector<std::string>{"RCPT TO:<bob@remote.test> ORCPT=rfc822;bob@remote.test"});
  ASSERT_EQ(relay.messages().size(), 1u);
  EXPECT_EQ(relay.messages()[0].rcpt_to, std::vector<std::string>{"RCPT TO:<y@routed.test> ORCPT=rfc822;y@routed.test"});
  EXPECT_EQ(dns_.lookups(), 0);
}

TEST_F(DeliveryTest, UnreadableRelayCaFileDefersWithItsReason) {
  FakeSmtpServer relay;
  int64_t id = enqueue("alice@example.org", {"bob@remote.test"});
  DeliveryOptions o = options(1);
  Smarthost sh{"127.0.0.1", relay.port(), "", "", true};
  sh.ca_file = dir_ + "/missing-ca.pem";
  o.smarthost = sh;
  DeliveryService svc(*store_, *queue_, dns_, o);
  svc.run_once();
  EXPECT_EQ(relay.connections(), 0);  // never connects without a way to verify the relay
  auto e = queue_->get(id);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->recipients[0].state, RecipientState::pending);
  EXPECT_NE(e->recipients[0].last_reply.find("4.7.5 relay TLS"), std::string::npos) << e->recipients[0].last_reply;
  EXPECT_NE(e->recipients[0].last_reply.find("missing-ca.pem"), std::string::npos) << e->recipients[0].last_reply;
}

TEST_F(DeliveryTest, RequireTlsDomainWaitsForTls) {
  FakeSmtpServer sink;  // offers no STARTTLS
  int64_t id = enqueue("alice@example.org", {"bob@remote.test"});
  DeliveryOptions o = options(sink.port());
  o.require_tls_domains = {"REMOTE.test"};
  DeliveryService svc(*store_, *queue_, dns_, o);
  svc.run_once();
  EXPECT_TRUE(sink.messages().empty());
  auto e = queue_->get(id);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->recipients[0].state, RecipientState::pending);
  EXPECT_NE(e->recipients[0].last_reply.find("TLS required"), std::string::npos) << e->recipients[0].last_reply;
}

TEST_F(DeliveryTest, BackgroundServiceDeliversAfterWake) {
  FakeSmtpServer sink;
  DeliveryOptions o = options(sink.port());
  o.idle_poll = std::chrono::milliseconds(200);
  DeliveryService svc(*store_, *queue_, dns_, o);
  svc.start();
  enqueue("alice@example.org", {"bob@remote.test"});
  svc.wake();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (sink.messages().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  svc.stop();
  EXPECT_EQ(sink.messages().size(), 1u);
}

}  // namespace
}  // namespace claret::queue
