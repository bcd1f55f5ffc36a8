// Which POP3 commands each session state allows (RFC 1939 §3-§6 AUTHORIZATION / TRANSACTION / UPDATE, RFC 2449
// §5 CAPA in both states, RFC 2595 §4 STLS and RFC 5034 §4 AUTH in AUTHORIZATION only).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "pop3/proto/command.hpp"

namespace claret::pop3::server {

// UPDATE is entered by QUIT from TRANSACTION and ends the session: no command is read in it.
enum class State : std::uint8_t { authorization, transaction, update };

std::string_view state_name(State state);

namespace detail {

constexpr std::uint8_t bit(State s) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(s)); }
inline constexpr std::uint8_t kAuthz = bit(State::authorization);
inline constexpr std::uint8_t kTrans = bit(State::transaction);

struct CommandRule {
  proto::Verb verb;
  std::uint8_t states;
};

inline constexpr CommandRule kRules[] = {
    {proto::Verb::user, kAuthz},          {proto::Verb::pass, kAuthz},          {proto::Verb::apop, kAuthz},
    {proto::Verb::auth, kAuthz},          {proto::Verb::stls, kAuthz},          {proto::Verb::capa, kAuthz | kTrans},
    {proto::Verb::quit, kAuthz | kTrans}, {proto::Verb::stat, kTrans},          {proto::Verb::list, kTrans},
    {proto::Verb::retr, kTrans},          {proto::Verb::dele, kTrans},          {proto::Verb::noop, kTrans},
    {proto::Verb::rset, kTrans},          {proto::Verb::top, kTrans},           {proto::Verb::uidl, kTrans},
};

constexpr std::optional<CommandRule> find_rule(proto::Verb verb) {
  for (const auto& r : kRules)
    if (r.verb == verb) return r;
  return std::nullopt;
}

}  // namespace detail

// True when `verb` may run in `state`.
constexpr bool allowed(proto::Verb verb, State state) {
  const auto rule = detail::find_rule(verb);
  return rule && (rule->states & detail::bit(state)) != 0;
}

}  // namespace claret::pop3::server
