// Tests for the POP3 command table (RFC 1939 §3-§6 states, RFC 2449 §5, RFC 2595 §4, RFC 5034 §4).
#include "pop3/server/command_table.hpp"

#include <gtest/gtest.h>

namespace claret::pop3::server {
namespace {

using proto::Verb;

// Evaluated at compile time: the table is a constant expression.
static_assert(allowed(Verb::user, State::authorization));
static_assert(!allowed(Verb::retr, State::authorization));
static_assert(allowed(Verb::retr, State::transaction));
static_assert(!allowed(Verb::quit, State::update));

TEST(Pop3CommandTable, AuthorizationState) {
  for (Verb v : {Verb::user, Verb::pass, Verb::apop, Verb::auth, Verb::stls, Verb::capa, Verb::quit})
    EXPECT_TRUE(allowed(v, State::authorization)) << proto::verb_name(v);
  for (Verb v : {Verb::stat, Verb::list, Verb::retr, Verb::dele, Verb::noop, Verb::rset, Verb::top, Verb::uidl})
    EXPECT_FALSE(allowed(v, State::authorization)) << proto::verb_name(v);
}

TEST(Pop3CommandTable, TransactionState) {
  for (Verb v : {Verb::stat, Verb::list, Verb::retr, Verb::dele, Verb::noop, Verb::rset, Verb::top, Verb::uidl,
                 Verb::capa, Verb::quit})
    EXPECT_TRUE(allowed(v, State::transaction)) << proto::verb_name(v);
  for (Verb v : {Verb::user, Verb::pass, Verb::apop, Verb::auth, Verb::stls})
    EXPECT_FALSE(allowed(v, State::transaction)) << proto::verb_name(v);
}

TEST(Pop3CommandTable, UpdateStateAcceptsNothingAndEveryVerbHasARule) {
  for (std::size_t i = 0; i < proto::kVerbCount; ++i) {
    auto v = static_cast<Verb>(i);
    EXPECT_FALSE(allowed(v, State::update)) << proto::verb_name(v);
    EXPECT_TRUE(detail::find_rule(v).has_value()) << proto::verb_name(v);
  }
}

}  // namespace
}  // namespace claret::pop3::server
