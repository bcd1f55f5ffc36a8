// `claret queue list|show|retry|hold|release|delete|flush`: inspect and steer the outbound queue (like postqueue/postsuper).
#include <cstdio>
#include <ctime>

#include "app/admin_context.hpp"
#include "app/queue_runtime.hpp"
#include "base/strings.hpp"
#include "queue/dsn.hpp"

namespace claret::app {
namespace {

constexpr const char* kUsage =
    "usage: claret queue list | show ID | retry ID | hold ID | release ID | delete ID | flush [--run]";

int64_t now() { return static_cast<int64_t>(::time(nullptr)); }

void print_entry(const queue::QueueEntry& e, bool details) {
  size_t pending = 0;
  for (const auto& r : e.recipients) pending += r.state == queue::RecipientState::pending;
  std::printf("%lld from=<%s> size=%llu arrival=\"%s\" next=\"%s\" attempts=%d pending=%zu/%zu%s%s\n",
              static_cast<long long>(e.id), e.sender.c_str(), static_cast<unsigned long long>(e.blob.size),
              queue::format_rfc5322_date(e.arrival).c_str(), queue::format_rfc5322_date(e.next_attempt).c_str(),
              e.attempts, pending, e.recipients.size(), e.hold ? " held" : "",
              e.lease_until > now() ? " in-delivery" : "");
  if (!details) return;
  std::printf("  blob=%s ret=%s envid=%s 8bit=%s smtputf8=%s delay_warned=%s\n", e.blob.id.c_str(),
              e.ret.empty() ? "-" : e.ret.c_str(), e.envid.empty() ? "-" : e.envid.c_str(), e.eight_bit ? "yes" : "no",
              e.smtputf8 ? "yes" : "no", e.delay_warned ? "yes" : "no");
  for (const auto& r : e.recipients)
    std::printf("  <%s> %s attempts=%d notify=%d%s%s reply=\"%s\"\n", r.address.c_str(),
                queue::recipient_state_name(r.state), r.attempts, r.notify, r.orcpt.empty() ? "" : " orcpt=",
                r.orcpt.c_str(), r.last_reply.c_str());
}

}  // namespace

int cmd_queue(const Words& words) {
  int code = 0;
  auto ctx = open_admin(words, {"run"}, {}, code);
  if (!ctx) return code;
  const auto& pos = ctx->args.positional();
  if (pos.empty()) return fail(kUsage, 2);
  auto rt = open_queue_runtime(ctx->config, *ctx->store);
  if (!rt) return fail("queue: " + rt.error().message);
  queue::QueueStore& q = *rt->queue;
  const std::string& verb = pos[0];
  if (verb == "list" || verb == "flush") {
    if (pos.size() != 1) return fail(kUsage, 2);
    if (verb == "flush") {
      // Everything due now: a running server picks it up within seconds; --run also delivers from here.
      if (auto st = q.retry_all(now()); !st) return fail(st.error().message);
      if (ctx->args.flag("run")) {
        size_t n = rt->service->run_once();
        std::printf("attempted %zu\n", n);
      }
      return 0;
    }
    auto list = q.list();
    if (!list) return fail(list.error().message);
    for (const auto& e : *list) print_entry(e, false);
    return 0;
  }
  if (pos.size() != 2) return fail(kUsage, 2);
  auto id = parse_u64(pos[1]);
  if (!id || *id == 0 || *id > static_cast<uint64_t>(INT64_MAX)) return fail("invalid queue id '" + pos[1] + "'", 2);
  const int64_t entry = static_cast<int64_t>(*id);
  Status st;
  if (verb == "show") {
    auto e = q.get(entry);
    if (!e) return fail(e.error().message);
    print_entry(*e, true);
    return 0;
  } else if (verb == "retry") {
    st = q.retry_now(entry, now());
  } else if (verb == "hold") {
    st = q.set_hold(entry, true);
  } else if (verb == "release") {
    st = q.set_hold(entry, false);
  } else if (verb == "delete") {
    st = q.remove(entry);
  } else {
    return fail(kUsage, 2);
  }
  if (!st) return fail(st.error().message);
  return 0;
}

}  // namespace claret::app
