// Which SMTP/LMTP commands each session state and mode allows (RFC 5321 §4.1.4 ordering, §3.3 transactions,
// RFC 2033 §4.1 LHLO, RFC 3030 §2 BDAT, RFC 3207 §4 / RFC 8314 TLS before submission, RFC 4954 §4 AUTH).
#pragma once

#include <cstdint>
#include <optional>

#include "smtp/proto/command.hpp"
#include "smtp/server/server.hpp"

namespace claret::smtp::server {

// fresh: no EHLO/HELO/LHLO yet; ready: greeted, no transaction; mail: MAIL accepted; rcpt: at least one
// recipient accepted; bdat: BDAT chunks of the current message are being received.
enum class State : std::uint8_t { fresh, ready, mail, rcpt, bdat };

enum class Gate : std::uint8_t {
  allowed,
  unknown_in_mode,  // the verb does not exist in this mode (LHLO on SMTP, EHLO on LMTP): 500
  not_offered,      // the extension is not offered here (AUTH on port 25 and LMTP): 502
  bad_sequence,     // 503
  tls_required,     // submission before TLS: 530 5.7.0 (RFC 3207 §4, RFC 8314 §3.3)
  auth_required,    // submission before AUTH: 530 5.7.0 (RFC 4954 §6)
};

namespace detail {

constexpr std::uint8_t bit(State s) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(s)); }
constexpr std::uint8_t bit(Mode m) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(m)); }

inline constexpr std::uint8_t kAnyState =
    bit(State::fresh) | bit(State::ready) | bit(State::mail) | bit(State::rcpt) | bit(State::bdat);
inline constexpr std::uint8_t kSmtpModes = bit(Mode::mx) | bit(Mode::submission);
inline constexpr std::uint8_t kAllModes = kSmtpModes | bit(Mode::lmtp);

struct CommandRule {
  proto::Verb verb;
  std::uint8_t modes;        // modes in which the verb exists at all
  std::uint8_t offered;      // modes in which it is offered (others answer 502)
  std::uint8_t states;       // states in which it is accepted (others answer 503)
  bool before_tls;           // accepted on submission before TLS when plaintext is not allowed
  bool needs_auth;           // submission: only once authenticated
};

inline constexpr CommandRule kRules[] = {
    // verb                  modes      offered                 states                                   pre-TLS auth
    {proto::Verb::ehlo, kSmtpModes, kSmtpModes, kAnyState, true, false},
    {proto::Verb::helo, kSmtpModes, kSmtpModes, kAnyState, true, false},
    {proto::Verb::lhlo, bit(Mode::lmtp), bit(Mode::lmtp), kAnyState, true, false},
    {proto::Verb::starttls, kAllModes, kAllModes, bit(State::ready), true, false},
    {proto::Verb::auth, kAllModes, bit(Mode::submission), bit(State::ready), false, false},
    {proto::Verb::mail, kAllModes, kAllModes, bit(State::ready), false, true},
    {proto::Verb::rcpt, kAllModes, kAllModes, bit(State::mail) | bit(State::rcpt), false, true},
    {proto::Verb::data, kAllModes, kAllModes, bit(State::mail) | bit(State::rcpt), false, true},
    {proto::Verb::bdat, kAllModes, kAllModes, bit(State::rcpt) | bit(State::bdat), false, true},
    {proto::Verb::rset, kAllModes, kAllModes, kAnyState, true, false},
    {proto::Verb::noop, kAllModes, kAllModes, kAnyState, true, false},
    {proto::Verb::quit, kAllModes, kAllModes, kAnyState, true, false},
    {proto::Verb::help, kAllModes, kAllModes, kAnyState, true, false},
    {proto::Verb::vrfy, kAllModes, kAllModes, kAnyState, false, false},
    {proto::Verb::expn, kAllModes, kAllModes, kAnyState, false, false},
};

// A copy, not a pointer, so the lookup stays a constant expression under the sanitizers too.
constexpr std::optional<CommandRule> find_rule(proto::Verb verb) {
  for (const auto& r : kRules)
    if (r.verb == verb) return r;
  return std::nullopt;
}

}  // namespace detail

struct GateInput {
  Mode mode = Mode::mx;
  State state = State::fresh;
  bool tls_required = false;  // submission without TLS and without the admin's loopback exception
  bool authenticated = false;
};

// The gate a command passes before it runs. Checked in this order: existence in the mode, TLS, offer,
// authentication, state.
constexpr Gate gate(proto::Verb verb, const GateInput& in) {
  const auto rule = detail::find_rule(verb);
  if (!rule || (rule->modes & detail::bit(in.mode)) == 0) return Gate::unknown_in_mode;
  if (in.mode == Mode::submission && in.tls_required && !rule->before_tls) return Gate::tls_required;
  if ((rule->offered & detail::bit(in.mode)) == 0) return Gate::not_offered;
  if (in.mode == Mode::submission && rule->needs_auth && !in.authenticated) return Gate::auth_required;
  if ((rule->states & detail::bit(in.state)) == 0) return Gate::bad_sequence;
  return Gate::allowed;
}

}  // namespace claret::smtp::server
