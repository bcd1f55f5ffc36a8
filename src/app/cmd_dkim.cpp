// `claret dkim keygen|list|record|sign`: DKIM keys under DATA_DIR/dkim and the DNS records to publish
// (RFC 6376 §3.6.2 key records, RFC 8463 Ed25519 keys).
#include <cstdio>
#include <iostream>
#include <iterator>

#include "app/admin_context.hpp"
#include "base/strings.hpp"
#include "mailauth/dkim_keyring.hpp"
#include "mailauth/dns_record.hpp"
#include "mailauth/header_fields.hpp"

namespace claret::app {

namespace {

constexpr const char* kUsage =
    "usage: claret dkim keygen --domain D --selector S [--algorithm rsa|ed25519] [--bits N]\n"
    "       claret dkim list [--dns]\n"
    "       claret dkim record --domain D --selector S\n"
    "       claret dkim sign --domain D < MESSAGE";

std::filesystem::path key_dir(const AdminContext& ctx) { return ctx.config.data_dir / "dkim"; }

// The zone-file line of the key stored in `file`, or an error naming it.
Result<std::string> zone_line(const mailauth::KeyFile& f) {
  auto key = mailauth::PrivateKey::load(f.file);
  if (!key) return key.error();
  return mailauth::txt_zone_line(f.selector, f.domain, key->public_key_record());
}

int keygen(const AdminContext& ctx) {
  auto domain = ctx.args.option("domain");
  auto selector = ctx.args.option("selector");
  if (!domain || !selector) return fail(kUsage, 2);
  std::string d = to_lower(*domain);
  if (auto st = mailauth::validate_domain(d); !st) return fail(st.error().message, 2);
  if (auto st = mailauth::validate_selector(*selector); !st) return fail(st.error().message, 2);
  std::string alg_name = ctx.args.option("algorithm").value_or("rsa");
  mailauth::KeyAlgorithm alg;
  if (alg_name == "rsa") alg = mailauth::KeyAlgorithm::rsa;
  else if (alg_name == "ed25519") alg = mailauth::KeyAlgorithm::ed25519;
  else return fail("--algorithm must be rsa or ed25519", 2);
  int bits = mailauth::kDefaultRsaBits;
  if (auto b = ctx.args.option("bits")) {
    auto n = parse_u64(*b);
    if (!n || alg != mailauth::KeyAlgorithm::rsa || *n < 1024 || *n > 8192)
      return fail("--bits applies to RSA keys and must be 1024 to 8192", 2);
    bits = static_cast<int>(*n);
  }
  // Keys are for mail this server sends, which comes from its own domains.
  auto domains = ctx.store->directory().list_domains();
  if (!domains) return fail(domains.error().message);
  bool local = false;
  for (const auto& name : *domains) local = local || iequals(name, d);
  if (!local) return fail(d + " is not a local domain (add it first: claret domain add " + d + ")");

  auto key = mailauth::PrivateKey::generate(alg, bits);
  if (!key) return fail(key.error().message);
  auto path = mailauth::write_key_file(key_dir(ctx), d, *selector, *key);
  if (!path) return fail(path.error().message);
  std::fprintf(stderr, "claret: wrote %s; publish this record in the DNS zone of %s:\n", path->c_str(), d.c_str());
  std::printf("%s\n", mailauth::txt_zone_line(*selector, d, key->public_key_record()).c_str());
  return 0;
}

int list(const AdminContext& ctx) {
  auto files = mailauth::list_key_files(key_dir(ctx));
  if (!files) return fail(files.error().message);
  for (const auto& f : *files) {
    if (ctx.args.flag("dns")) {
      auto line = zone_line(f);
      if (!line) return fail(line.error().message);
      std::printf("%s\n", line->c_str());
      continue;
    }
    auto key = mailauth::PrivateKey::load(f.file);
    if (!key) return fail(key.error().message);
    std::string kind = key->algorithm() == mailauth::KeyAlgorithm::rsa ? "rsa-" + std::to_string(key->bits()) : "ed25519";
    std::printf("%s %s %s %s\n", f.domain.c_str(), f.selector.c_str(), kind.c_str(), f.file.c_str());
  }
  return 0;
}

int record(const AdminContext& ctx) {
  auto domain = ctx.args.option("domain");
  auto selector = ctx.args.option("selector");
  if (!domain || !selector) return fail(kUsage, 2);
  if (auto st = mailauth::validate_domain(*domain); !st) return fail(st.error().message, 2);
  if (auto st = mailauth::validate_selector(*selector); !st) return fail(st.error().message, 2);
  mailauth::KeyFile f{to_lower(*domain), *selector, mailauth::key_file_path(key_dir(ctx), *domain, *selector)};
  auto line = zone_line(f);
  if (!line) return fail(line.error().message);
  std::printf("%s\n", line->c_str());
  return 0;
}

// Prints the message read from stdin with the domain's DKIM-Signature fields on top and CRLF line ends,
// as the outbound queue sends it: for checking keys and DNS with an external verifier before going live.
int sign(const AdminContext& ctx) {
  auto domain = ctx.args.option("domain");
  if (!domain) return fail(kUsage, 2);
  auto ring = mailauth::DkimKeyring::load(key_dir(ctx));
  if (!ring) return fail(ring.error().message);
  std::string message = mailauth::to_crlf(
      std::string((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>()));
  std::string signatures = ring->sign(*domain, message);
  if (signatures.empty()) return fail("no DKIM key for " + *domain + " (claret dkim keygen --domain ...)");
  std::fwrite(signatures.data(), 1, signatures.size(), stdout);
  std::fwrite(message.data(), 1, message.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : fail("cannot write the signed message");
}

}  // namespace

int cmd_dkim(const Words& words) {
  int code = 0;
  auto ctx = open_admin(words, {"dns"}, {"domain", "selector", "algorithm", "bits"}, code);
  if (!ctx) return code;
  const auto& pos = ctx->args.positional();
  std::string verb = pos.size() == 1 ? pos[0] : "";
  if (verb == "keygen") return keygen(*ctx);
  if (verb == "list") return list(*ctx);
  if (verb == "record") return record(*ctx);
  if (verb == "sign") return sign(*ctx);
  return fail(kUsage, 2);
}

}  // namespace claret::app
