#include "mail/local_delivery.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "mail/trace_headers.hpp"
#include "store/errc.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace claret::mail {
namespace {

class LocalDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("claret-mail-test-" + std::to_string(std::random_device{}()));
    auto st = store::sqlite::open_sqlite_store(dir_.string());
    ASSERT_TRUE(st.ok()) << st.error().message;
    store_ = std::move(st).value();
    auto& d = store_->directory();
    ASSERT_TRUE(d.add_domain("example.test").ok());
    alice_ = d.create_account({"alice@example.test", "x", "", 0})->id;
    bob_ = d.create_account({"bob@example.test", "x", "", 0})->id;
    ASSERT_TRUE(d.set_alias({"team@example.test", {"alice@example.test", "bob@example.test"}}).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::vector<store::MessageRecord> inbox(store::AccountId account) {
    auto mail = store_->mail(account);
    auto box = (*mail)->get_mailbox("INBOX");
    auto uids = (*mail)->list_uids(box->id);
    auto records = (*mail)->fetch_meta(box->id, store::UidSet::of(*uids));
    return *records;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  store::AccountId alice_ = 0, bob_ = 0;
};

constexpr const char* kMessage =
    "From: Carol <carol@remote.test>\r\nTo: team@example.test\r\nSubject: Re: plans\r\n"
    "Message-ID: <m1@remote.test>\r\nDate: Wed, 02 Dec 2026 10:00:00 +0000\r\n\r\nHello team.\r\n";

TEST_F(LocalDeliveryTest, OneBlobManyInboxesWithTraceFields) {
  LocalDelivery d;
  d.reverse_path = "carol@remote.test";
  d.recipients = {"team@example.test", "alice+lists@example.test", "nobody@example.test"};
  d.trace = received_header({"remote.test", "127.0.0.1", "mx.example.test", "ESMTP", "", "T1", "", 1764669600});
  d.message = kMessage;
  d.internaldate = 1764669600;
  auto out = deliver_local(*store_, d);
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_EQ(out->size(), 3u);
  EXPECT_TRUE((*out)[0].result.ok());
  EXPECT_TRUE((*out)[1].result.ok());
  ASSERT_FALSE((*out)[2].result.ok());
  EXPECT_TRUE(store::has_code((*out)[2].result.error(), store::Errc::not_found));

  // Alice is reached twice (alias and plus-address) but gets one copy.
  auto a = inbox(alice_);
  auto b = inbox(bob_);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].blob_id, b[0].blob_id);
  EXPECT_EQ(a[0].meta.subject, "plans");
  EXPECT_EQ(a[0].meta.from_addr, "carol@remote.test");
  EXPECT_EQ(a[0].meta.message_id, "m1@remote.test");
  EXPECT_NE(a[0].meta.envelope.find("\"Re: plans\""), std::string::npos);
  auto bytes = store_->blobs().read(a[0].blob_id);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->rfind("Return-Path: <carol@remote.test>\r\nReceived: from remote.test ([127.0.0.1])", 0), 0u);
  EXPECT_NE(bytes->find(kMessage), std::string::npos);
  EXPECT_EQ(a[0].size, bytes->size());
}

TEST_F(LocalDeliveryTest, OverQuotaIsPerRecipient) {
  ASSERT_TRUE(store_->directory().set_quota("bob@example.test", 10).ok());
  LocalDelivery d;
  d.recipients = {"alice@example.test", "bob@example.test"};
  d.message = kMessage;
  auto out = deliver_local(*store_, d);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE((*out)[0].result.ok());
  ASSERT_FALSE((*out)[1].result.ok());
  EXPECT_TRUE(store::has_code((*out)[1].result.error(), store::Errc::over_quota));
  EXPECT_EQ(inbox(alice_).size(), 1u);
  EXPECT_EQ(inbox(bob_).size(), 0u);
}

TEST_F(LocalDeliveryTest, NoResolvableRecipientStoresNothing) {
  LocalDelivery d;
  d.recipients = {"ghost@example.test", "x@other.test"};
  d.message = kMessage;
  auto out = deliver_local(*store_, d);
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE((*out)[0].result.ok());
  EXPECT_FALSE((*out)[1].result.ok());
  size_t blob_files = 0;
  if (std::filesystem::exists(dir_ / "blobs"))
    for (auto& e : std::filesystem::recursive_directory_iterator(dir_ / "blobs"))
      if (e.is_regular_file()) ++blob_files;
  EXPECT_EQ(blob_files, 0u);
}

}  // namespace
}  // namespace claret::mail
