// Tests of the command table: state, mode, TLS and AUTH gates (RFC 5321 §4.1.4, RFC 2033 §4.1, RFC 3207 §4).
#include "smtp/server/command_table.hpp"

#include <gtest/gtest.h>

namespace claret::smtp::server {
namespace {

using proto::Verb;

GateInput in(Mode mode, State state, bool tls_required = false, bool authenticated = false) {
  return GateInput{mode, state, tls_required, authenticated};
}

TEST(CommandTable, EveryVerbHasARule) {
  for (Verb v : {Verb::ehlo, Verb::helo, Verb::lhlo, Verb::mail, Verb::rcpt, Verb::data, Verb::bdat, Verb::rset,
                 Verb::noop, Verb::quit, Verb::vrfy, Verb::expn, Verb::help, Verb::starttls, Verb::auth})
    EXPECT_TRUE(detail::find_rule(v).has_value()) << proto::verb_name(v);
}

TEST(CommandTable, TransactionOrder) {
  EXPECT_EQ(gate(Verb::mail, in(Mode::mx, State::fresh)), Gate::bad_sequence);
  EXPECT_EQ(gate(Verb::mail, in(Mode::mx, State::ready)), Gate::allowed);
  EXPECT_EQ(gate(Verb::mail, in(Mode::mx, State::mail)), Gate::bad_sequence);
  EXPECT_EQ(gate(Verb::rcpt, in(Mode::mx, State::ready)), Gate::bad_sequence);
  EXPECT_EQ(gate(Verb::rcpt, in(Mode::mx, State::mail)), Gate::allowed);
  EXPECT_EQ(gate(Verb::rcpt, in(Mode::mx, State::bdat)), Gate::bad_sequence);
  EXPECT_EQ(gate(Verb::data, in(Mode::mx, State::ready)), Gate::bad_sequence);
  EXPECT_EQ(gate(Verb::data, in(Mode::mx, State::rcpt)), Gate::allowed);
  EXPECT_EQ(gate(Verb::data, in(Mode::mx, State::bdat)), Gate::bad_sequence);
  EXPECT_EQ(gate(Verb::bdat, in(Mode::mx, State::mail)), Gate::bad_sequence);
  EXPECT_EQ(gate(Verb::bdat, in(Mode::mx, State::bdat)), Gate::allowed);
  EXPECT_EQ(gate(Verb::starttls, in(Mode::mx, State::mail)), Gate::bad_sequence);
  for (State st : {State::fresh, State::ready, State::mail, State::rcpt, State::bdat}) {
    EXPECT_EQ(gate(Verb::rset, in(Mode::mx, st)), Gate::allowed);
    EXPECT_EQ(gate(Verb::quit, in(Mode::lmtp, st)), Gate::allowed);
    EXPECT_EQ(gate(Verb::noop, in(Mode::submission, st, false, true)), Gate::allowed);
  }
}

TEST(CommandTable, ModeSpecificVerbs) {
  EXPECT_EQ(gate(Verb::lhlo, in(Mode::mx, State::fresh)), Gate::unknown_in_mode);
  EXPECT_EQ(gate(Verb::ehlo, in(Mode::lmtp, State::fresh)), Gate::unknown_in_mode);
  EXPECT_EQ(gate(Verb::helo, in(Mode::lmtp, State::fresh)), Gate::unknown_in_mode);
  EXPECT_EQ(gate(Verb::lhlo, in(Mode::lmtp, State::fresh)), Gate::allowed);
  EXPECT_EQ(gate(Verb::auth, in(Mode::mx, State::ready)), Gate::not_offered);
  EXPECT_EQ(gate(Verb::auth, in(Mode::lmtp, State::ready)), Gate::not_offered);
  EXPECT_EQ(gate(Verb::auth, in(Mode::submission, State::ready)), Gate::allowed);
}

TEST(CommandTable, SubmissionNeedsTlsThenAuth) {
  EXPECT_EQ(gate(Verb::auth, in(Mode::submission, State::ready, true)), Gate::tls_required);
  EXPECT_EQ(gate(Verb::mail, in(Mode::submission, State::ready, true)), Gate::tls_required);
  EXPECT_EQ(gate(Verb::vrfy, in(Mode::submission, State::ready, true)), Gate::tls_required);
  EXPECT_EQ(gate(Verb::ehlo, in(Mode::submission, State::fresh, true)), Gate::allowed);
  EXPECT_EQ(gate(Verb::starttls, in(Mode::submission, State::ready, true)), Gate::allowed);
  EXPECT_EQ(gate(Verb::mail, in(Mode::submission, State::ready, false, false)), Gate::auth_required);
  EXPECT_EQ(gate(Verb::mail, in(Mode::submission, State::ready, false, true)), Gate::allowed);
  // Port 25 never asks for TLS or AUTH.
  EXPECT_EQ(gate(Verb::mail, in(Mode::mx, State::ready, true, false)), Gate::allowed);
}

static_assert(gate(Verb::mail, GateInput{Mode::mx, State::ready, false, false}) == Gate::allowed,
              "the table is usable at compile time");

}  // namespace
}  // namespace claret::smtp::server
