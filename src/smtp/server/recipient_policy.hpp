// Recipient policy: local or not, relaying refused on port 25 and LMTP (RFC 5321 §3.6, §7.1, Appendix C source
// routes; RFC 1123 §5.2.16 "%" hack; RFC 2505 anti-relay), unknown users and full mailboxes at RCPT (RFC 3463 §3.2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "smtp/proto/address.hpp"
#include "smtp/proto/reply.hpp"
#include "smtp/server/server.hpp"
#include "store/store.hpp"

namespace claret::smtp::server {

enum class RouteKind {
  local,        // a domain we host: deliver after looking the user up
  remote,       // somebody else's domain (or an address literal): relaying
  relay_trick,  // a local domain used to reach another host ("%" hack, "!" path) or a source route
};

struct RouteDecision {
  RouteKind kind = RouteKind::remote;
  std::string address;  // normalised "local@domain" (quotes removed where equivalent, domain lower-cased)
  std::string reason;   // for relay_trick: what was recognised (logged and shown)
};

// Pure classification of a forward-path. `local_domains` are lower-case; <Postmaster> becomes
// postmaster@primary_domain (RFC 5321 §4.5.1).
RouteDecision classify_recipient(const proto::Path& path, const std::vector<std::string>& local_domains,
                                 std::string_view primary_domain);

struct RecipientCheck {
  bool accepted = false;
  bool outbound = false;  // accepted for the outbound queue rather than local delivery
  std::string address;    // delivery address when accepted
  std::vector<store::AccountId> accounts;  // local and accepted: the accounts it reaches
  proto::Reply reply;   // what to answer the RCPT (250 when accepted)
};

// The whole RCPT decision (blocking: directory lookups; run it through io::offload). Local: resolve the user
// (550 5.1.1 if unknown) and refuse when a target account is already at its quota (452 4.2.2). Remote: 550 5.7.1
// on port 25, 550 5.1.1 on LMTP, outbound_recipient() on authenticated submission. Relay tricks: 550 5.7.1.
RecipientCheck check_recipient(store::Store& store, Mode mode, const proto::Path& path, std::string_view primary_domain,
                               std::uint64_t cid);

}  // namespace claret::smtp::server
