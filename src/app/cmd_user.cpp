// `claret user add|list|del|passwd|quota`: accounts, with Argon2id hashes or imported Dovecot hashes.
#include <cstdio>

#include "app/admin_context.hpp"
#include "app/password_input.hpp"
#include "auth/password_hash.hpp"
#include "auth/scram_credential.hpp"

namespace claret::app {
namespace {

struct Secret {
  std::string hash;
  std::string scram;  // empty for an imported hash: SCRAM needs the password, so it is set at next passwd
  std::string generated;  // the password, when --random-password made one
};

// Exactly one of --password-stdin, --hash HASH, --random-password.
Result<Secret> secret_from_args(const Args& args) {
  int given = args.flag("password-stdin") + args.option("hash").has_value() + args.flag("random-password");
  if (given != 1) return make_error("give exactly one of --password-stdin, --hash HASH, --random-password");
  Secret s;
  if (auto hash = args.option("hash")) {
    if (auto st = auth::validate_hash(*hash); !st) return make_error("unusable password hash: " + st.error().message);
    s.hash = *hash;
    return s;
  }
  std::string password;
  if (args.flag("random-password")) {
    password = s.generated = random_password();
  } else {
    auto p = read_password_stdin();
    if (!p) return p.error();
    password = std::move(p).value();
  }
  if (password.size() > auth::kMaxPasswordLength) return make_error("the password is too long");
  s.hash = auth::hash_password(password);
  s.scram = auth::make_scram_sha256(password);
  return s;
}

}  // namespace

int cmd_user(const Words& words) {
  int code = 0;
  auto ctx = open_admin(words, {"password-stdin", "random-password"}, {"hash", "quota"}, code);
  if (!ctx) return code;
  const auto& pos = ctx->args.positional();
  auto& dir = ctx->store->directory();
  std::string verb = pos.empty() ? "" : pos[0];

  if (verb == "list" && pos.size() <= 2) {
    std::optional<std::string_view> domain;
    if (pos.size() == 2) domain = pos[1];
    auto accounts = dir.list_accounts(domain);
    if (!accounts) return fail(accounts.error().message);
    for (const auto& a : *accounts)
      std::printf("%s quota=%llu usage=%llu\n", a.address.c_str(), static_cast<unsigned long long>(a.quota),
                  static_cast<unsigned long long>(a.usage));
    return 0;
  }
  if (verb == "add" && pos.size() == 2) {
    auto secret = secret_from_args(ctx->args);
    if (!secret) return fail(secret.error().message, 2);
    uint64_t quota = 0;
    if (auto q = ctx->args.option("quota")) {
      auto n = parse_size(*q);
      if (!n) return fail(n.error().message, 2);
      quota = *n;
    }
    auto a = dir.create_account({pos[1], secret->hash, secret->scram, quota});
    if (!a) return fail(a.error().message);
    if (!secret->generated.empty()) std::printf("%s password: %s\n", a->address.c_str(), secret->generated.c_str());
    return 0;
  }
  if (verb == "passwd" && pos.size() == 2) {
    auto secret = secret_from_args(ctx->args);
    if (!secret) return fail(secret.error().message, 2);
    if (auto st = dir.set_password(pos[1], secret->hash, secret->scram); !st) return fail(st.error().message);
    if (!secret->generated.empty()) std::printf("%s password: %s\n", pos[1].c_str(), secret->generated.c_str());
    return 0;
  }
  if (verb == "quota" && pos.size() == 3) {
    auto n = parse_size(pos[2]);
    if (!n) return fail(n.error().message, 2);
    if (auto st = dir.set_quota(pos[1], *n); !st) return fail(st.error().message);
    return 0;
  }
  if (verb == "del" && pos.size() == 2) {
    if (auto st = dir.remove_account(pos[1]); !st) return fail(st.error().message);
    return 0;
  }
  return fail(
      "usage: claret user add ADDRESS (--password-stdin | --hash HASH | --random-password) [--quota SIZE]"
      " | list [DOMAIN] | del ADDRESS | passwd ADDRESS (--password-stdin | --hash HASH | --random-password)"
      " | quota ADDRESS SIZE",
      2);
}

}  // namespace claret::app
