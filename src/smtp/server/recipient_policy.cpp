// Recipient policy (RFC 5321 §3.6 relaying, §4.5.1 postmaster, Appendix C source routes; RFC 1123 §5.2.16;
// RFC 2505 §2.6 anti-relay; RFC 3463 X.1.1, X.2.2, X.7.1).
#include "smtp/server/recipient_policy.hpp"

#include <algorithm>

#include "base/log.hpp"
#include "base/strings.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/error_map.hpp"
#include "smtp/server/outbound.hpp"
#include "store/errc.hpp"

namespace claret::smtp::server {

namespace code = proto::code;
namespace enh = proto::enhanced;

RouteDecision classify_recipient(const proto::Path& path, const std::vector<std::string>& local_domains,
                                 std::string_view primary_domain) {
  RouteDecision d;
  if (path.postmaster) {
    d.kind = RouteKind::local;
    d.address = "postmaster@" + to_lower(primary_domain);
    return d;
  }
  const proto::Mailbox& mb = path.mailbox;
  d.address = proto::normalized_local_part(mb) + "@" + proto::canonical_domain(mb.domain);
  if (!path.source_route.empty()) {
    // Appendix C says to ignore the route, but a route is only ever used today to probe for open relays: refuse.
    d.kind = RouteKind::relay_trick;
    d.reason = "source routes are not accepted";
    return d;
  }
  if (mb.domain.kind != proto::HostKind::domain) {
    d.kind = RouteKind::remote;
    return d;
  }
  std::string domain = proto::canonical_domain(mb.domain);
  bool local = std::find(local_domains.begin(), local_domains.end(), domain) != local_domains.end();
  if (!local) {
    d.kind = RouteKind::remote;
    return d;
  }
  if (proto::has_percent_hack(mb) || proto::has_bang_path(mb)) {
    d.kind = RouteKind::relay_trick;
    d.reason = "'%' and '!' routing is not accepted";
    return d;
  }
  // "@" inside a quoted local part ("user@other"@local) is another way to name a second host.
  if (proto::local_part_value(mb).find('@') != std::string::npos) {
    d.kind = RouteKind::relay_trick;
    d.reason = "'@' in the local part is not accepted";
    return d;
  }
  d.kind = RouteKind::local;
  return d;
}

namespace {

proto::Reply relay_denied(std::string_view why) {
  return proto::make_reply(code::kMailboxUnavailable, enh::kRelayDenied, "Relay access denied: " + std::string(why));
}

}  // namespace

RecipientCheck check_recipient(store::Store& store, Mode mode, const proto::Path& path, std::string_view primary_domain,
                               std::uint64_t cid) {
  RecipientCheck out;
  // One directory snapshot answers both questions, whether the domain is ours and who the address reaches (it
  // used to be a listing of every domain, a resolution and an account read per target: three read transactions,
  // each with its WAL lock calls, per RCPT). The classification below stays the pure function it was, fed the
  // one domain that matters.
  const bool domain_host = !path.postmaster && path.mailbox.domain.kind == proto::HostKind::domain;
  const std::string domain = domain_host ? proto::canonical_domain(path.mailbox.domain) : std::string();
  const std::string address = path.postmaster
                                  ? "postmaster@" + to_lower(primary_domain)
                                  : proto::normalized_local_part(path.mailbox) + "@" + domain;
  std::optional<store::RecipientLookup> lookup;
  std::vector<std::string> local_domains;
  if (domain_host || path.postmaster) {
    auto found = store.directory().lookup_recipient(domain_host ? domain : to_lower(primary_domain), address);
    if (!found) {
      out.reply = store_error_reply(found.error(), cid, "smtp.rcpt.store_failed");
      return out;
    }
    lookup = std::move(*found);
    if (domain_host && lookup->local_domain) local_domains.push_back(domain);
  }
  RouteDecision route = classify_recipient(path, local_domains, primary_domain);
  switch (route.kind) {
    case RouteKind::relay_trick:
      log::info("smtp.rcpt.relay_trick", {{"cid", cid}, {"rcpt", route.address}, {"reason", route.reason}});
      out.reply = relay_denied(route.reason);
      return out;
    case RouteKind::remote:
      if (mode == Mode::submission) {
        out.reply = outbound_recipient(route.address);
        out.accepted = out.reply.code == code::kOk;
        out.outbound = true;
        out.address = route.address;
      } else if (mode == Mode::lmtp) {
        out.reply = proto::make_reply(code::kMailboxUnavailable, enh::kNoSuchUser, "Not a local address");
      } else {
        out.reply = relay_denied("this server is not a relay");
      }
      return out;
    case RouteKind::local:
      break;
  }
  // Local: the lookup above was of this very address (classify_recipient builds route.address the same way).
  // <Postmaster> is local whatever the directory says; when the primary domain is not in it, nothing resolves.
  if (!lookup->unresolved && lookup->accounts.empty())
    lookup->unresolved = store::store_error(store::Errc::not_found, "no such recipient");
  if (lookup->unresolved) {
    out.reply = store_error_reply(*lookup->unresolved, cid, "smtp.rcpt.store_failed");
    return out;
  }
  for (const store::Account& account : lookup->accounts) {
    // RFC 3463 X.2.2 with a 4xx code: the user may make room, so the sender should retry later.
    if (account.quota > 0 && account.usage >= account.quota) {
      out.reply = proto::make_reply(code::kInsufficientStorage, enh::kMailboxFullTemp, "Mailbox full, try again later");
      return out;
    }
    out.accounts.push_back(account.id);
  }
  out.accepted = true;
  out.address = route.address;
  out.reply = proto::make_reply(code::kOk, enh::kRecipientOk, "Recipient OK");
  return out;
}

}  // namespace claret::smtp::server
