#include "smtp/server/final_dsn.hpp"

#include <gtest/gtest.h>

#include "store/errc.hpp"

namespace claret::smtp::server {

AcceptedRecipient rcpt(std::string address, std::optional<proto::NotifyFlags> notify) {
  AcceptedRecipient r;
  r.address = std::move(address);
  r.given = r.address;
  r.params.notify = notify;
  return r;
}

TEST(FinalDsn, NotifySemantics) {
  proto::NotifyFlags success{false, true, false, false};
  proto::NotifyFlags never{true, false, false, false};
  AcceptedRecipient a = rcpt("a@x.test", success);          // delivered, asked for success
  AcceptedRecipient b = rcpt("b@x.test", std::nullopt);     // delivered, default: no success report
  AcceptedRecipient c = rcpt("c@x.test", std::nullopt);     // failed, default: failure report
  AcceptedRecipient d = rcpt("d@x.test", never);            // failed, NEVER
  std::vector<const AcceptedRecipient*> rs{&a, &b, &c, &d};
  std::vector<mail::RecipientOutcome> outcomes{
      {"a@x.test", store::Delivered{}},
      {"b@x.test", store::Delivered{}},
      {"c@x.test", store::store_error(store::Errc::over_quota, "full")},
      {"d@x.test", store::store_error(store::Errc::over_quota, "full")}};
  proto::Reply ok = proto::make_reply(250, "2.0.0", "ok");
  proto::Reply full = proto::make_reply(552, "5.2.2", "Mailbox full");
  auto report = final_delivery_report(rs, outcomes, {ok, ok, full, full}, "mx.x.test");
  ASSERT_EQ(report.size(), 2u);
  EXPECT_EQ(report[0].address, "a@x.test");
  EXPECT_EQ(report[0].action, queue::DsnAction::delivered);
  EXPECT_EQ(report[0].status, "2.0.0");
  EXPECT_EQ(report[1].address, "c@x.test");
  EXPECT_EQ(report[1].action, queue::DsnAction::failed);
  EXPECT_EQ(report[1].status, "5.2.2");
  EXPECT_EQ(report[1].diagnostic, "552 5.2.2 Mailbox full");
}

}  // namespace claret::smtp::server
