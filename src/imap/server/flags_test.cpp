// Tests for flag conversion between IMAP flag lists and store::Flags.
#include "imap/server/flags.hpp"

#include <gtest/gtest.h>

namespace claret::imap::server {
namespace {

TEST(Flags, RoundTrip) {
  store::Flags f = flags_from_list({"\\Seen", "\\Deleted", "$Forwarded", "$forwarded"});
  EXPECT_EQ(f.system, store::flag::kSeen | store::flag::kDeleted);
  ASSERT_EQ(f.keywords.size(), 1u);
  EXPECT_EQ(flags_to_wire(f), "(\\Seen \\Deleted $Forwarded)");
  EXPECT_EQ(flags_to_wire(store::Flags{}), "()");
}

TEST(Flags, UnknownSystemFlagsAreDropped) {
  EXPECT_EQ(flags_from_list({"\\Bogus"}).system, 0u);
  EXPECT_TRUE(flags_from_list({"\\Bogus"}).keywords.empty());
}

}  // namespace
}  // namespace claret::imap::server
