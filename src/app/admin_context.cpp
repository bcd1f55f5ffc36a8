// Shared setup for the admin subcommands.
#include "app/admin_context.hpp"

#include "app/config_path.hpp"
#include "app/data_dir_owner.hpp"
#include "io/privileges.hpp"
#include "app/open_store.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"

namespace claret::app {

std::optional<AdminContext> open_admin(const Words& words, const std::set<std::string>& flags,
                                       std::set<std::string> options, int& exit_code) {
  options.insert("config");
  auto args = Args::parse(words, flags, options);
  if (!args) {
    exit_code = fail(args.error().message, 2);
    return std::nullopt;
  }
  exit_code = 1;
  // Admin commands print results, not the server's event log; warnings and errors still show.
  log::set_level(log::Level::warn);
  auto cfg = load_config_or_report(*args);
  if (!cfg) return std::nullopt;
  // Admin commands run as the service user too, so every file they create in the data directory stays
  // writable by the server (a root-owned WAL or blob directory would lock the server out).
  if (auto st = hand_data_dir_to(cfg->data_dir, cfg->user); !st) {
    fail(st.error().message);
    return std::nullopt;
  }
  if (auto st = cfg->user.empty() ? Status{} : io::drop_privileges(cfg->user); !st) {
    fail("cannot switch to user " + cfg->user + ": " + st.error().message);
    return std::nullopt;
  }
  auto store = open_store_or_report(*cfg);
  if (!store) return std::nullopt;
  return AdminContext{std::move(args).value(), std::move(*cfg), std::move(store)};
}

Result<uint64_t> parse_size(const std::string& text) {
  if (text.empty()) return make_error("empty size");
  uint64_t mult = 1;
  std::string digits = text;
  switch (ascii_upper(text.back())) {
    case 'K': mult = 1ull << 10; break;
    case 'M': mult = 1ull << 20; break;
    case 'G': mult = 1ull << 30; break;
    case 'T': mult = 1ull << 40; break;
    default: break;
  }
  if (mult != 1) digits.pop_back();
  auto n = parse_u64(digits);
  if (!n || *n > UINT64_MAX / mult) return make_error("'" + text + "' is not a size (bytes, or a number with K, M, G or T)");
  return *n * mult;
}

}  // namespace claret::app
