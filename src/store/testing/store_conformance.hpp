// Store conformance suite: one value-parameterised GoogleTest suite that every backend instantiates with its factory
// (tests in store_conformance*.cpp, which the backend's test binary compiles in):
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(BackendFactory{"sqlite", open_fn}),
//                            claret::store::testing::backend_name);
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "base/result.hpp"
#include "store/errc.hpp"
#include "store/store.hpp"

namespace claret::store::testing {

struct BackendFactory {
  std::string name;
  // Opens (creating) a store whose files live under data_dir, an empty directory the suite owns.
  std::function<Result<std::unique_ptr<Store>>(const std::string& data_dir)> open;
};

std::string backend_name(const ::testing::TestParamInfo<BackendFactory>& info);

inline bool has(const Error& e, Errc code) { return has_code(e, code); }

// Bounded wait for a condition signalled through `cv`.
template <typename Pred>
bool wait_until(std::mutex& mu, std::condition_variable& cv, Pred pred, int ms = 5000) {
  std::unique_lock<std::mutex> lock(mu);
  return cv.wait_for(lock, std::chrono::milliseconds(ms), pred);
}

class StoreConformance : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Creates user@example.com (domain created in SetUp) and returns its id.
  AccountId make_account(const std::string& local, uint64_t quota = 0);
  std::unique_ptr<MailStore> mail(AccountId account);
  MailboxInfo mailbox(MailStore& m, const std::string& name);
  // Puts `body` as a blob and appends it with search_text = body.
  AppendResult append_text(MailStore& m, MailboxId box, const std::string& body, Flags flags = {},
                           int64_t internaldate = 1700000000, MessageMeta meta = {});

  std::string dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace claret::store::testing
