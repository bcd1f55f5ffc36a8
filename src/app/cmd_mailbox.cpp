// `claret mailbox list ADDRESS`: an account's mailboxes with their STATUS counters (like doveadm mailbox status).
#include <cstdio>

#include "app/admin_context.hpp"

namespace claret::app {

int cmd_mailbox(const Words& words) {
  int code = 0;
  auto ctx = open_admin(words, {}, {}, code);
  if (!ctx) return code;
  const auto& pos = ctx->args.positional();
  if (pos.size() != 2 || pos[0] != "list") return fail("usage: claret mailbox list ADDRESS", 2);
  auto account = ctx->store->directory().get_account(pos[1]);
  if (!account) return fail(account.error().message);
  auto mail = ctx->store->mail(account->id);
  if (!mail) return fail(mail.error().message);
  auto boxes = (*mail)->list_mailboxes();
  if (!boxes) return fail(boxes.error().message);
  for (const auto& box : *boxes) {
    auto st = (*mail)->status(box.id);
    if (!st) return fail(st.error().message);
    std::printf("%s messages=%u unseen=%u uidnext=%u uidvalidity=%u highestmodseq=%llu size=%llu%s%s%s\n",
                box.name.c_str(), st->messages, st->unseen, st->uidnext, st->uidvalidity,
                static_cast<unsigned long long>(st->highestmodseq), static_cast<unsigned long long>(st->size),
                box.special_use.empty() ? "" : " ", box.special_use.c_str(), box.subscribed ? " subscribed" : "");
  }
  return 0;
}

}  // namespace claret::app
