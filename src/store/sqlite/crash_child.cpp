// claret_store_crash_child: opens a store in argv[1] and delivers messages forever, writing one line per committed
// recipient ("<account> <mailbox> <uid> <blob> <size>") after deliver() returns. The crash test SIGKILLs it at random.
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <string>

#include "base/log.hpp"
#include "store/sqlite/sqlite_store.hpp"

using namespace claret;
using namespace claret::store;

namespace {

// One write(2) per line (< PIPE_BUF), so a kill never leaves half a line in the pipe.
void emit(const std::string& line) {
  const char* p = line.data();
  size_t n = line.size();
  while (n > 0) {
    ssize_t w = ::write(1, p, n);
    if (w <= 0) _exit(3);
    p += w;
    n -= static_cast<size_t>(w);
  }
}

AccountId ensure_account(Store& store, const std::string& address) {
  if (auto a = store.directory().get_account(address)) return a->id;
  auto a = store.directory().create_account(NewAccount{address, "hash", "scram", 0});
  if (!a) {
    std::fprintf(stderr, "create_account: %s\n", a.error().message.c_str());
    _exit(2);
  }
  return a->id;
}

// Stores and expunges an unprinted scratch message with its own blob, so blob release after the last reference also
// happens under kills; printed INBOX messages are never expunged.
void scratch_cycle(Store& s, AccountId account, uint64_t nonce) {
  auto mail = s.mail(account);
  auto blob = s.blobs().put("scratch " + std::to_string(nonce));
  if (!mail || !blob) return;
  auto trash = (*mail)->get_mailbox("Trash");
  if (!trash) return;
  auto added = (*mail)->append(trash->id, *blob, {}, 0, {});
  if (added) (void)(*mail)->expunge(trash->id, UidSet::of({added->uid}));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
    return 2;
  }
  log::set_level(log::Level::warn);
  auto store = sqlite::open_sqlite_store(argv[1]);
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.error().message.c_str());
    return 2;
  }
  Store& s = **store;
  (void)s.directory().add_domain("crash.test");  // already there after the first run
  std::vector<AccountId> accounts = {ensure_account(s, "a@crash.test"), ensure_account(s, "b@crash.test"),
                                     ensure_account(s, "c@crash.test")};
  std::mt19937_64 rng(static_cast<uint64_t>(::getpid()) * 7919u + static_cast<uint64_t>(std::time(nullptr)));
  for (uint64_t n = 0;; ++n) {
    std::string body = "Subject: crash " + std::to_string(n) + "\r\n\r\n" + std::to_string(rng()) + "\r\n";
    body.append(rng() % 4096, 'x');
    if (n % 7 == 3) body.append(160 * 1024, 'y');  // above the inline limit: a blob file
    auto blob = s.blobs().put(body);
    if (!blob) {
      std::fprintf(stderr, "put: %s\n", blob.error().message.c_str());
      return 1;
    }
    std::vector<DeliveryTarget> to;
    for (AccountId a : accounts)
      if (rng() % 2 == 0 || (to.empty() && a == accounts.back())) to.push_back(DeliveryTarget{a, "INBOX", {}});
    MessageMeta meta;
    meta.subject = "crash " + std::to_string(n);
    meta.search_text = body;
    auto r = s.deliver(*blob, to, static_cast<int64_t>(std::time(nullptr)), meta);
    if (!r) {
      std::fprintf(stderr, "deliver: %s\n", r.error().message.c_str());
      return 1;
    }
    for (const auto& d : *r) {
      if (!d) {
        std::fprintf(stderr, "deliver rcpt: %s\n", d.error().message.c_str());
        return 1;
      }
      emit(std::to_string(d->account) + " " + std::to_string(d->mailbox) + " " + std::to_string(d->uid) + " " +
           blob->id + " " + std::to_string(blob->size) + "\n");
    }
    if (n % 5 == 2) scratch_cycle(s, accounts[2], rng());
  }
}
