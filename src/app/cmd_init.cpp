// `claret init`: writes a commented configuration, a self-signed certificate and an empty store with
// the first domain (and optionally a demo account with a random password).
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/open_store.hpp"
#include "app/password_input.hpp"
#include "auth/password_hash.hpp"
#include "auth/scram_credential.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "config/default_config.hpp"
#include "store/address.hpp"
#include "tls/self_signed.hpp"

namespace claret::app {
namespace fs = std::filesystem;

namespace {

Status write_private_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error("cannot write " + path.string());
  out << text;
  out.close();
  if (!out) return make_error("cannot write " + path.string());
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  return {};
}

}  // namespace

int cmd_init(const Words& words) {
  auto args = Args::parse(words, {"ephemeral-ports", "allow-plaintext-on-loopback"},
                          {"domain", "data", "hostname", "listen", "port-offset", "demo-account"});
  if (!args) return fail(args.error().message, 2);
  if (!args->positional().empty()) return fail("init takes no positional arguments (see `claret help`)", 2);
  auto domain = args->option("domain");
  auto data = args->option("data");
  if (!domain || !data) return fail("usage: claret init --domain DOMAIN --data DIR [options]", 2);
  std::string dom = to_lower(*domain);
  if (!store::is_valid_domain(dom)) return fail("invalid domain '" + *domain + "'", 2);

  config::InitOptions opts;
  opts.domain = dom;
  opts.hostname = args->option("hostname").value_or("mail." + dom);
  opts.listen_address = args->option("listen").value_or("0.0.0.0");
  opts.allow_plaintext_on_loopback = args->flag("allow-plaintext-on-loopback");
  if (auto off = args->option("port-offset")) {
    auto n = parse_u64(*off);
    if (!n || *n == 0 || *n > 65535 - 995) return fail("--port-offset must be a number from 1 to 64540", 2);
    opts.port_offset = static_cast<uint16_t>(*n);
  }
  if (args->flag("ephemeral-ports") && opts.port_offset) return fail("--ephemeral-ports and --port-offset exclude each other", 2);

  fs::path dir = fs::absolute(*data).lexically_normal();
  fs::path config_file = dir / "claret.toml";
  std::error_code ec;
  if (fs::exists(config_file, ec)) return fail(config_file.string() + " already exists; not overwriting it");
  if (fs::exists(dir / "claret.db", ec)) return fail(dir.string() + " already holds a store (claret.db); not overwriting it");
  fs::create_directories(dir / "tls", ec);
  if (ec) return fail("cannot create " + (dir / "tls").string() + ": " + ec.message());
  // The data directory holds everyone's mail and the TLS key: owner only.
  ::chmod(dir.c_str(), 0700);
  ::chmod((dir / "tls").c_str(), 0700);

  std::string text = config::default_config_text(opts);
  if (args->flag("ephemeral-ports")) {
    // Every listener on port 0: the ready line of `claret serve` reports the real ports (used by tests).
    std::string out;
    for (auto line : split(text, '\n')) {
      if (istarts_with(line, "port = ")) out += "port = 0";
      else out += line;
      out += '\n';
    }
    out.pop_back();
    text = out;
  }
  auto cfg = config::parse(text, config_file);
  if (!cfg) return fail("internal error: the generated configuration is invalid: " + cfg.error().message);

  if (auto st = tls::generate_self_signed(cfg->tls_cert.string(), cfg->tls_key.string(), opts.hostname); !st)
    return fail("cannot create the TLS certificate: " + st.error().message);
  log::set_level(log::Level::warn);
  auto store = open_store_or_report(*cfg);
  if (!store) return 1;
  if (auto st = store->directory().add_domain(dom); !st) return fail("cannot add domain " + dom + ": " + st.error().message);

  std::string demo_note;
  if (auto local = args->option("demo-account")) {
    std::string address = *local + "@" + dom;
    std::string password = random_password();
    store::NewAccount acct{address, auth::hash_password(password), auth::make_scram_sha256(password), 0};
    if (auto a = store->directory().create_account(acct); !a) return fail("cannot create " + address + ": " + a.error().message);
    // RFC 5321 §4.5.1: every domain must accept mail for postmaster.
    if (auto st = store->directory().set_alias({"postmaster@" + dom, {address}}); !st)
      return fail("cannot create postmaster@" + dom + ": " + st.error().message);
    demo_note = "demo account: " + address + "  password: " + password + " (also receives postmaster@" + dom + ")\n";
    if (auto st = write_private_file(dir / "demo-account.txt", demo_note); !st) return fail(st.error().message);
  }
  if (auto st = write_private_file(config_file, text); !st) return fail(st.error().message);

  if (demo_note.empty())
    demo_note = "next: create an account and alias postmaster@" + dom + " to it (RFC 5321 §4.5.1):\n    claret user add ADDRESS --password-stdin --config " + config_file.string() + "\n    claret alias add postmaster@" + dom + " ADDRESS --config " + config_file.string() + "\n";
  std::printf("claret: initialised %s\n  config: %s\n  certificate: %s (self-signed for %s)\n  domain: %s\n%s",
              dir.c_str(), config_file.c_str(), cfg->tls_cert.c_str(), opts.hostname.c_str(), dom.c_str(),
              demo_note.empty() ? "" : ("  " + demo_note).c_str());
  return 0;
}

}  // namespace claret::app
