// Loads and validates the TOML configuration. Unknown keys are errors (a typo must not silently
// fall back to a default), and every error names the line it is about.
#include "config/config.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "base/strings.hpp"

namespace claret::config {
namespace {

// Thrown inside this file only; converted to Error at the boundary of parse().
struct ConfigError {
  toml::source_position where;
  std::string message;
};

[[noreturn]] void fail(const toml::node& node, std::string message) {
  throw ConfigError{node.source().begin, std::move(message)};
}

// Reads typed values from one table and remembers which keys were used, so the leftovers can be
// reported as unknown.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path) : table_(table), path_(std::move(path)) {}

  template <typename T>
  std::optional<T> get(std::string_view key) {
    used_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node) return std::nullopt;
    if constexpr (std::is_same_v<T, bool>) {
      if (!node->is_boolean()) fail(*node, qualified(key) + " must be true or false");
      return node->as_boolean()->get();
    } else if constexpr (std::is_integral_v<T>) {
      if (!node->is_integer()) fail(*node, qualified(key) + " must be a whole number");
      int64_t v = node->as_integer()->get();
      if (v < 0 || static_cast<uint64_t>(v) > static_cast<uint64_t>(std::numeric_limits<T>::max()))
        fail(*node, qualified(key) + " is out of range (0.." + std::to_string(std::numeric_limits<T>::max()) + ")");
      return static_cast<T>(v);
    } else {
      if (!node->is_string()) fail(*node, qualified(key) + " must be a string");
      return node->as_string()->get();
    }
  }

  const toml::table* subtable(std::string_view key) {
    used_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node) return nullptr;
    if (!node->is_table()) fail(*node, qualified(key) + " must be a table");
    return node->as_table();
  }

  const toml::node* node(std::string_view key) const { return table_.get(key); }

  // A list of strings; empty when absent.
  std::vector<std::string> strings(std::string_view key) {
    used_.insert(std::string(key));
    std::vector<std::string> out;
    const toml::node* n = table_.get(key);
    if (!n) return out;
    if (!n->is_array()) fail(*n, qualified(key) + " must be a list of strings");
    for (const auto& item : *n->as_array()) {
      if (!item.is_string()) fail(item, qualified(key) + " must be a list of strings");
      out.push_back(item.as_string()->get());
    }
    return out;
  }

  void reject_unknown() const {
    for (const auto& [k, v] : table_)
      if (!used_.count(std::string(k.str()))) fail(v, "unknown setting " + qualified(k.str()));
  }

  std::string qualified(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

 private:
  const toml::table& table_;
  std::string path_;
  std::set<std::string> used_;
};

template <typename T>
void read_into(TableReader& r, std::string_view key, T& target) {
  if (auto v = r.get<T>(key)) target = *v;
}

bool valid_hostname(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  for (auto label : split(h, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
  }
  return true;
}

TlsMode parse_tls_mode(TableReader& r, const toml::table& t, const std::string& key) {
  auto v = r.get<std::string>(key);
  if (!v) return TlsMode::none;
  if (*v == "none") return TlsMode::none;
  if (*v == "starttls") return TlsMode::starttls;
  if (*v == "implicit") return TlsMode::implicit;
  fail(*t.get(key), r.qualified(key) + " must be \"none\", \"starttls\" or \"implicit\"");
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p) {
  std::filesystem::path path(p);
  path = (path.is_absolute() || base.empty()) ? path.lexically_normal() : (base / path).lexically_normal();
  // "dir/." normalises to "dir/"; drop the trailing separator so paths compare and print cleanly.
  if (path.filename().empty() && path.has_parent_path() && path != path.root_path()) path = path.parent_path();
  return path;
}

void read_listeners(const toml::table& table, Config& cfg) {
  TableReader r(table, "listeners");
  for (const auto& kind : listener_kinds()) {
    const toml::table* t = r.subtable(kind.name);
    if (!t) continue;
    TableReader lr(*t, "listeners." + std::string(kind.name));
    Listener l;
    l.name = std::string(kind.name);
    l.tls = kind.default_tls;
    read_into(lr, "enabled", l.enabled);
    read_into(lr, "address", l.address);
    read_into(lr, "port", l.port);
    if (lr.node("tls")) l.tls = parse_tls_mode(lr, *t, "tls");
    lr.reject_unknown();
    // Implicit-TLS services must not silently run in clear, and vice versa (RFC 8314 §3.3).
    bool implicit_kind = kind.default_tls == TlsMode::implicit;
    if (implicit_kind && l.tls != TlsMode::implicit)
      fail(*t, "listeners." + l.name + " is an implicit-TLS service; tls must be \"implicit\"");
    if (l.address.empty()) fail(*t, "listeners." + l.name + ".address must not be empty");
    cfg.listeners.push_back(std::move(l));
  }
  r.reject_unknown();
}

// "host:port" with a port in 1..65535 (IPv6 literals bracketed: "[::1]:587").
bool valid_host_port(std::string_view v) {
  auto colon = v.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto port = parse_u64(v.substr(colon + 1));
  return port && *port > 0 && *port <= 65535;
}

// smarthost_tls / tls: "starttls" or "implicit"; absent = implicit on port 465 (RFC 8314 §3.3), else STARTTLS.
bool read_relay_tls(TableReader& r, const toml::table& t, const std::string& key, std::string_view host_port) {
  auto v = r.get<std::string>(key);
  if (!v || v->empty()) return host_port.size() > 4 && host_port.substr(host_port.size() - 4) == ":465";
  if (*v == "implicit") return true;
  if (*v == "starttls") return false;
  fail(*t.get(key), r.qualified(key) + " must be \"starttls\" or \"implicit\"");
}

// One [queue.routes] entry: "host:port", or a table { host, user, password, tls, ca_file }.
RelayRoute read_route(const toml::node& node, const std::string& domain, const std::filesystem::path& base) {
  RelayRoute route;
  const std::string name = "queue.routes.\"" + domain + "\"";
  if (node.is_string()) {
    route.host_port = node.as_string()->get();
    route.implicit_tls = route.host_port.size() > 4 && route.host_port.substr(route.host_port.size() - 4) == ":465";
  } else if (node.is_table()) {
    const toml::table& t = *node.as_table();
    TableReader r(t, name);
    read_into(r, "host", route.host_port);
    read_into(r, "user", route.user);
    read_into(r, "password", route.password);
    if (auto v = r.get<std::string>("ca_file"); v && !v->empty()) route.ca_file = resolve(base, *v);
    route.implicit_tls = read_relay_tls(r, t, "tls", route.host_port);
    r.reject_unknown();
  } else {
    fail(node, name + " must be \"host:port\" or a table with host, user, password, tls, ca_file");
  }
  if (!valid_host_port(route.host_port)) fail(node, name + " host must be \"host:port\"");
  return route;
}

void read_queue(const toml::table& t, const std::filesystem::path& base, QueueSettings& q) {
  TableReader r(t, "queue");
  read_into(r, "lifetime_s", q.lifetime_s);
  read_into(r, "delay_warning_s", q.delay_warning_s);
  read_into(r, "retry_min_s", q.retry_min_s);
  read_into(r, "retry_max_s", q.retry_max_s);
  read_into(r, "max_connections", q.max_connections);
  read_into(r, "max_per_domain", q.max_per_domain);
  read_into(r, "smtp_port", q.smtp_port);
  read_into(r, "smarthost", q.smarthost);
  read_into(r, "smarthost_user", q.smarthost_user);
  read_into(r, "smarthost_password", q.smarthost_password);
  q.smarthost_implicit_tls = read_relay_tls(r, t, "smarthost_tls", q.smarthost);
  if (auto v = r.get<std::string>("smarthost_ca_file"); v && !v->empty()) q.smarthost_ca_file = resolve(base, *v);
  q.require_tls = r.strings("require_tls");
  q.dns_servers = r.strings("dns_servers");
  if (const toml::table* routes = r.subtable("routes")) {
    for (const auto& [key, node] : *routes) {
      std::string domain = to_lower(key.str());
      if (!valid_hostname(domain)) fail(node, "queue.routes: \"" + std::string(key.str()) + "\" is not a domain name");
      if (q.routes.count(domain)) fail(node, "queue.routes: \"" + domain + "\" is listed twice");
      q.routes[domain] = read_route(node, domain, base);
    }
  }
  r.reject_unknown();
  if (q.max_connections == 0 || q.max_per_domain == 0)
    fail(t, "queue.max_connections and queue.max_per_domain must be at least 1");
  if (q.retry_min_s == 0) fail(*t.get("retry_min_s"), "queue.retry_min_s must be at least 1");
  if (q.smtp_port == 0) fail(*t.get("smtp_port"), "queue.smtp_port must not be 0");
  if (!q.smarthost.empty() && !valid_host_port(q.smarthost))
    fail(*t.get("smarthost"), "queue.smarthost must be \"host:port\"");
}

void read_webmail(const toml::table& t, const std::filesystem::path& base, WebmailSettings& w) {
  TableReader r(t, "webmail");
  read_into(r, "enabled", w.enabled);
  read_into(r, "imap_url", w.imap_url);
  read_into(r, "submission_url", w.submission_url);
  if (auto v = r.get<std::string>("ca_file"); v && !v->empty()) w.ca_file = resolve(base, *v);
  read_into(r, "verify_certificates", w.verify_certificates);
  read_into(r, "session_idle_minutes", w.session_idle_minutes);
  read_into(r, "max_upload_bytes", w.max_upload_bytes);
  r.reject_unknown();
  if (!w.imap_url.empty())
    if (auto e = check_server_url(w.imap_url, {"imap", "imaps"}); !e.empty()) fail(*t.get("imap_url"), "webmail.imap_url " + e);
  if (!w.submission_url.empty())
    if (auto e = check_server_url(w.submission_url, {"submission", "submissions"}); !e.empty())
      fail(*t.get("submission_url"), "webmail.submission_url " + e);
  if (w.session_idle_minutes == 0 || w.session_idle_minutes > 7 * 24 * 60)
    fail(*t.get("session_idle_minutes"), "webmail.session_idle_minutes must be between 1 and 10080");
  if (w.max_upload_bytes < 1024 || w.max_upload_bytes > 1024ull * 1024 * 1024)
    fail(*t.get("max_upload_bytes"), "webmail.max_upload_bytes must be between 1024 and 1073741824");
}

Config build(const toml::table& root, const std::filesystem::path& file) {
  Config cfg;
  cfg.file = file;
  std::filesystem::path base = file.empty() ? std::filesystem::path() : std::filesystem::absolute(file).parent_path();
  TableReader r(root, "");
  read_into(r, "hostname", cfg.hostname);
  read_into(r, "domain", cfg.primary_domain);
  if (cfg.hostname.empty()) throw ConfigError{{1, 1}, "hostname is required"};
  if (!valid_hostname(cfg.hostname)) fail(*root.get("hostname"), "hostname \"" + cfg.hostname + "\" is not a valid host name");
  std::string data_dir = "var";
  read_into(r, "data_dir", data_dir);
  cfg.data_dir = resolve(base, data_dir);
  read_into(r, "user", cfg.user);
  read_into(r, "io_threads", cfg.io_threads);
  read_into(r, "blocking_threads", cfg.blocking_threads);
  if (cfg.blocking_threads == 0 || cfg.blocking_threads > 1024)
    fail(*root.get("blocking_threads"), "blocking_threads must be between 1 and 1024");

  if (const toml::table* t = r.subtable("tls")) {
    TableReader tr(*t, "tls");
    if (auto v = tr.get<std::string>("cert")) cfg.tls_cert = resolve(base, *v);
    if (auto v = tr.get<std::string>("key")) cfg.tls_key = resolve(base, *v);
    tr.reject_unknown();
  }
  if (const toml::table* t = r.subtable("log")) {
    TableReader lr(*t, "log");
    read_into(lr, "level", cfg.log_level);
    if (cfg.log_level != "debug" && cfg.log_level != "info" && cfg.log_level != "warn" && cfg.log_level != "error")
      fail(*t->get("level"), "log.level must be debug, info, warn or error");
    lr.reject_unknown();
  }
  if (const toml::table* t = r.subtable("auth")) {
    TableReader ar(*t, "auth");
    read_into(ar, "allow_plaintext_on_loopback", cfg.auth.allow_plaintext_on_loopback);
    read_into(ar, "failures_before_delay", cfg.auth.failures_before_delay);
    read_into(ar, "failures_before_block", cfg.auth.failures_before_block);
    read_into(ar, "failure_window_s", cfg.auth.failure_window_s);
    read_into(ar, "cache_ttl_s", cfg.auth.cache_ttl_s);
    read_into(ar, "cache_size", cfg.auth.cache_size);
    ar.reject_unknown();
  }
  if (const toml::table* t = r.subtable("listeners")) read_listeners(*t, cfg);
  if (const toml::table* t = r.subtable("limits")) {
    TableReader lr(*t, "limits");
    if (const toml::table* c = lr.subtable("connections")) {
      TableReader cr(*c, "limits.connections");
      read_into(cr, "per_ip", cfg.connections.per_ip);
      read_into(cr, "total", cfg.connections.total);
      read_into(cr, "commands_per_second", cfg.connections.commands_per_second);
      read_into(cr, "command_burst", cfg.connections.command_burst);
      cr.reject_unknown();
    }
    if (const toml::table* s = lr.subtable("smtp")) {
      TableReader sr(*s, "limits.smtp");
      read_into(sr, "max_message_size", cfg.smtp.max_message_size);
      read_into(sr, "max_recipients", cfg.smtp.max_recipients);
      read_into(sr, "max_line_length", cfg.smtp.max_line_length);
      read_into(sr, "max_errors", cfg.smtp.max_errors);
      read_into(sr, "command_timeout_s", cfg.smtp.command_timeout_s);
      read_into(sr, "data_timeout_s", cfg.smtp.data_timeout_s);
      read_into(sr, "greet_pause_ms", cfg.smtp.greet_pause_ms);
      sr.reject_unknown();
      if (cfg.smtp.max_line_length < 512) fail(*s, "limits.smtp.max_line_length must be at least 512 (RFC 5321 §4.5.3.1.4)");
    }
    if (const toml::table* i = lr.subtable("imap")) {
      TableReader ir(*i, "limits.imap");
      read_into(ir, "max_literal_size", cfg.imap.max_literal_size);
      read_into(ir, "max_line_length", cfg.imap.max_line_length);
      read_into(ir, "max_errors", cfg.imap.max_errors);
      read_into(ir, "preauth_timeout_s", cfg.imap.preauth_timeout_s);
      read_into(ir, "idle_timeout_s", cfg.imap.idle_timeout_s);
      read_into(ir, "idle_poll_s", cfg.imap.idle_poll_s);
      ir.reject_unknown();
      if (cfg.imap.idle_poll_s == 0 || cfg.imap.idle_poll_s > 3600)
        fail(*i, "limits.imap.idle_poll_s must be between 1 and 3600");
    }
    if (const toml::table* p = lr.subtable("pop3")) {
      TableReader pr(*p, "limits.pop3");
      read_into(pr, "max_line_length", cfg.pop3.max_line_length);
      read_into(pr, "max_errors", cfg.pop3.max_errors);
      read_into(pr, "preauth_timeout_s", cfg.pop3.preauth_timeout_s);
      read_into(pr, "idle_timeout_s", cfg.pop3.idle_timeout_s);
      pr.reject_unknown();
    }
    lr.reject_unknown();
  }
  if (const toml::table* t = r.subtable("queue")) read_queue(*t, base, cfg.queue);
  if (const toml::table* t = r.subtable("webmail")) read_webmail(*t, base, cfg.webmail);
  if (const toml::table* t = r.subtable("security")) {
    TableReader sr(*t, "security");
    read_into(sr, "sandbox", cfg.security.sandbox);
    sr.reject_unknown();
  }
  r.reject_unknown();

  bool needs_tls = false;
  for (const auto& l : cfg.listeners)
    if (l.enabled && l.tls != TlsMode::none) needs_tls = true;
  if (needs_tls && (cfg.tls_cert.empty() || cfg.tls_key.empty()))
    throw ConfigError{{1, 1}, "a listener uses TLS but [tls] cert and key are not both set"};
  std::set<std::pair<std::string, uint16_t>> seen;
  for (const auto& l : cfg.listeners) {
    if (!l.enabled || l.port == 0) continue;
    if (!seen.insert({l.address, l.port}).second)
      fail(*root["listeners"][l.name].node(), "listeners." + l.name + " uses " + l.address + ":" +
                                                   std::to_string(l.port) + ", already used by another listener");
  }
  return cfg;
}

std::string format_error(const std::filesystem::path& file, const toml::source_position& where,
                         std::string_view message) {
  std::ostringstream out;
  if (!file.empty()) out << file.string() << ':';
  out << where.line << ':' << where.column << ": " << message;
  return out.str();
}

}  // namespace

std::string check_server_url(std::string_view url, std::initializer_list<std::string_view> schemes) {
  std::string expected;
  for (auto s : schemes) expected += (expected.empty() ? "" : " or ") + std::string(s) + "://host:port";
  auto sep = url.find("://");
  bool scheme_ok = false;
  if (sep != std::string_view::npos)
    for (auto s : schemes)
      if (url.substr(0, sep) == s) scheme_ok = true;
  if (!scheme_ok) return "must look like " + expected;
  std::string_view hostport = url.substr(sep + 3);
  if (!hostport.empty() && hostport.back() == '/') hostport.remove_suffix(1);
  std::string_view host = hostport, port;
  if (hostport.starts_with("[")) {
    auto close = hostport.find(']');
    if (close == std::string_view::npos) return "has an unterminated [IPv6] address";
    host = hostport.substr(1, close - 1);
    if (close + 1 < hostport.size()) {
      if (hostport[close + 1] != ':') return "must look like " + expected;
      port = hostport.substr(close + 2);
    }
  } else if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  if (host.empty() || host.find_first_of("/?#@ ") != std::string_view::npos) return "must look like " + expected;
  if (!port.empty()) {
    auto p = parse_u64(port);
    if (!p || *p == 0 || *p > 65535) return "has a bad port \"" + std::string(port) + "\"";
  }
  return {};
}

std::string_view to_string(TlsMode mode) {
  switch (mode) {
    case TlsMode::none: return "none";
    case TlsMode::starttls: return "starttls";
    case TlsMode::implicit: return "implicit";
  }
  return "none";
}

const std::vector<ListenerKind>& listener_kinds() {
  static const std::vector<ListenerKind> kinds = {
      {"smtp", 25, TlsMode::starttls},      {"submission", 587, TlsMode::starttls},
      {"submissions", 465, TlsMode::implicit}, {"lmtp", 24, TlsMode::none},
      {"imap", 143, TlsMode::starttls},     {"imaps", 993, TlsMode::implicit},
      {"pop3", 110, TlsMode::starttls},     {"pop3s", 995, TlsMode::implicit},
      {"http", 80, TlsMode::none},          {"https", 443, TlsMode::implicit},
  };
  return kinds;
}

const Listener* Config::listener(std::string_view name) const {
  for (const auto& l : listeners)
    if (l.name == name) return &l;
  return nullptr;
}

Result<Config> parse(std::string_view text, const std::filesystem::path& file) {
  try {
    toml::table root = toml::parse(text, file.string());
    return build(root, file);
  } catch (const toml::parse_error& e) {
    return make_error(format_error(file, e.source().begin, e.description()));
  } catch (const ConfigError& e) {
    return make_error(format_error(file, e.where, e.message));
  }
}

Result<Config> load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(file.string() + ": cannot read the configuration file");
  std::stringstream buf;
  buf << in.rdbuf();
  return parse(buf.str(), file);
}

}  // namespace claret::config
