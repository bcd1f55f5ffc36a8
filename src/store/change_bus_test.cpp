// Tests for ChangeBus: per-account delivery, RAII unsubscribe, unsubscribe from inside a callback.
#include "store/change_bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace claret::store {
namespace {

std::vector<Change> one_added(uint32_t uid) {
  Change c;
  c.kind = Change::Kind::message_added;
  c.uids = {uid};
  return {c};
}

TEST(ChangeBus, DeliversToSubscribersOfTheAccountOnly) {
  ChangeBus bus;
  std::vector<uint32_t> seen_a, seen_b;
  auto sa = bus.subscribe(1, [&](AccountId, const std::vector<Change>& c) { seen_a.push_back(c[0].uids[0]); });
  auto sb = bus.subscribe(2, [&](AccountId, const std::vector<Change>& c) { seen_b.push_back(c[0].uids[0]); });
  bus.publish(1, one_added(10));
  bus.publish(2, one_added(20));
  bus.publish(1, one_added(11));
  EXPECT_EQ(seen_a, (std::vector<uint32_t>{10, 11}));
  EXPECT_EQ(seen_b, (std::vector<uint32_t>{20}));
  sa.reset();
  EXPECT_FALSE(sa.active());
  bus.publish(1, one_added(12));
  EXPECT_EQ(seen_a.size(), 2u);
  EXPECT_EQ(bus.subscriber_count(1), 0u);
  EXPECT_EQ(bus.subscriber_count(2), 1u);
}

TEST(ChangeBus, UnsubscribeFromInsideCallbackDoesNotDeadlock) {
  ChangeBus bus;
  int calls = 0;
  Subscription sub;
  sub = bus.subscribe(1, [&](AccountId, const std::vector<Change>&) {
    ++calls;
    sub.reset();
  });
  bus.publish(1, one_added(1));
  bus.publish(1, one_added(2));
  EXPECT_EQ(calls, 1);
}

TEST(ChangeBus, UnsubscribeWaitsForRunningCallbackOnOtherThread) {
  ChangeBus bus;
  std::atomic<bool> inside{false}, release{false}, finished{false};
  auto sub = bus.subscribe(1, [&](AccountId, const std::vector<Change>&) {
    inside = true;
    for (int i = 0; i < 5000 && !release; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    finished = true;
  });
  std::thread publisher([&] { bus.publish(1, one_added(1)); });
  for (int i = 0; i < 5000 && !inside; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(inside);
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    release = true;
  });
  sub.reset();  // must return only after the callback finished
  EXPECT_TRUE(finished);
  publisher.join();
  releaser.join();
}

TEST(ChangeBus, MovedSubscriptionStaysActive) {
  ChangeBus bus;
  int calls = 0;
  Subscription outer;
  {
    Subscription inner = bus.subscribe(3, [&](AccountId, const std::vector<Change>&) { ++calls; });
    outer = std::move(inner);
  }
  bus.publish(3, one_added(1));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace claret::store
