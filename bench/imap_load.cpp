// imap_load: IMAP load generator for bench/run (RFC 3501, RFC 2177 IDLE). Two modes, one JSON line each:
//   mixed: C concurrent clients run S sessions between them, each a mail client's visit: LOGIN, SELECT INBOX,
//          FETCH (FLAGS UID RFC822.SIZE ENVELOPE) of every message in pages, FETCH BODY[] of a few, STORE +FLAGS
//          \Seen, SEARCH, UID COPY to the client's own folder, APPEND of a sent message there, then SELECT that
//          folder, mark all \Deleted, EXPUNGE (so the folder is empty again and runs repeat), LOGOUT.
//          Before the clock starts every account logs in once (--warm 1), so both servers' credential caches
//          are warm and the timed LOGINs measure the IMAP path, not a first password hash. The headline is
//          "all_ops_per_second": every command of the workload, LOGIN and LOGOUT included, per wall-clock
//          second. LOGIN is also timed apart (login_ms) and kept out of latency_ms and ops_per_second. "by_command" breaks the latency down by kind
//          of command (count, mean, p50, p99 ms), so a change can be traced to the commands it moved.
//   idle:  N connections log in, SELECT INBOX and IDLE; "READY" is printed once all are idling, and they stay so
//          until standard input reaches EOF (bench/run measures the server's memory meanwhile).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/strings.hpp"
#include "bench_options.hpp"
#include "imap_client.hpp"
#include "latency_stats.hpp"

namespace {

using namespace claret;
using namespace claret::bench;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "usage: imap_load --port PORT [--mode mixed|idle|warm] [--host 127.0.0.1] [--user-prefix imap] [--domain D]\n"
    "                 [--password-prefix P] [--accounts K]\n"
    "   mixed:        [--concurrency C] [--sessions S] [--page 50] [--bodies 5] [--copies 5] [--appends 1]\n"
    "                 [--warm 1]\n"
    "   idle:         [--connections N]\n"
    "                 [--io-timeout-ms T] [--max-seconds S]\n"
    "   warm:         one LOGIN per account (--accounts, --concurrency), nothing timed: run before measuring\n"
    "Accounts are PREFIXk@D with password Pk, k = 1..K (client i uses account i mod K + 1).\n";

struct Options {
  std::string host = "127.0.0.1";
  std::string mode = "mixed";
  std::string user_prefix = "imap";
  std::string domain = "bench.test";
  std::string password_prefix = "pass-imap";
  uint64_t port = 0;
  uint64_t accounts = 1;
  uint64_t concurrency = 1;
  uint64_t sessions = 10;
  uint64_t page = 50;
  uint64_t bodies = 5;
  uint64_t copies = 5;
  uint64_t appends = 1;
  uint64_t warm = 1;
  uint64_t connections = 100;
  uint64_t io_timeout_ms = 30000;
  uint64_t max_seconds = 600;
};

struct Shared {
  Shared(const Options& o, Clock::time_point d) : options(o), deadline(d) {}
  const Options& options;
  Clock::time_point deadline;
  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> sessions_done{0};
  std::atomic<uint64_t> commands{0};
  std::atomic<uint64_t> logins{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> bytes{0};
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::vector<double> login_ms;
  std::map<std::string, std::vector<double>> by_command;  // latency per kind of command (labels in mixed_session)
  double work_seconds = 0;  // summed over clients: session time outside LOGIN
  std::string first_error;
};

void note_failure(Shared& s, const std::string& what) {
  s.failed.fetch_add(1);
  std::lock_guard lock(s.mutex);
  if (s.first_error.empty()) s.first_error = what;
}

std::string account_of(const Options& o, uint64_t client) {
  return o.user_prefix + std::to_string(client % o.accounts + 1) + "@" + o.domain;
}
std::string password_of(const Options& o, uint64_t client) {
  return o.password_prefix + std::to_string(client % o.accounts + 1);
}

// "* N EXISTS" among the untagged responses of a SELECT.
uint64_t exists_of(const ImapResponse& r) {
  for (const auto& line : r.untagged) {
    std::string_view v(line);
    if (v.size() > 9 && v.substr(v.size() - 7) == " EXISTS") {
      if (auto n = parse_u64(v.substr(2, v.size() - 9))) return *n;
    }
  }
  return 0;
}

// The UID item of each FETCH response.
void collect_uids(const ImapResponse& r, std::vector<uint64_t>& uids) {
  for (const auto& line : r.untagged) {
    size_t at = line.find(" UID ");
    if (at == std::string::npos) at = line.find("(UID ");
    if (at == std::string::npos) continue;
    size_t start = at + 5, end = start;
    while (end < line.size() && line[end] >= '0' && line[end] <= '9') ++end;
    if (auto n = parse_u64(std::string_view(line).substr(start, end - start))) uids.push_back(*n);
  }
}

// One client's timings: every command but LOGIN, and LOGIN apart; the same per kind of command.
struct ClientTimes {
  std::vector<double> command_ms;
  std::vector<double> login_ms;
  std::map<std::string, std::vector<double>> by_command;
};

// Runs one command, timing it. Only I/O errors and NO/BAD where OK is required fail the session.
class Timed {
 public:
  Timed(Shared& s, ImapClient& c, ClientTimes& times) : s_(s), c_(c), times_(times) {}
  // `kind` names the command in by_command (e.g. "FETCH_BODY", not only the verb: the two FETCHes differ).
  Result<ImapResponse> operator()(const char* kind, const std::string& cmd, bool must_succeed = true) {
    auto start = Clock::now();
    auto r = must_succeed ? c_.ok(cmd) : c_.command(cmd);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    times_.command_ms.push_back(ms);
    times_.by_command[kind].push_back(ms);
    s_.commands.fetch_add(1);
    if (r) s_.bytes.fetch_add(r->bytes);
    return r;
  }
  Result<ImapResponse> login(const std::string& cmd) {
    auto start = Clock::now();
    auto r = c_.ok(cmd);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    times_.login_ms.push_back(ms);
    times_.by_command["LOGIN"].push_back(ms);
    s_.logins.fetch_add(1);
    return r;
  }

 private:
  Shared& s_;
  ImapClient& c_;
  ClientTimes& times_;
};

// A ~4 KB plain-text message as a client's "Sent" copy: unique Message-ID, CRLF line ends (sent as a LITERAL+
// literal, RFC 7888, which claret and Dovecot both announce).
std::string sent_message(uint64_t client, uint64_t number, uint64_t k) {
  std::string m = "From: Bench Client <client" + std::to_string(client) + "@bench.test>\r\n"
                  "To: Someone <someone@example.org>\r\n"
                  "Subject: sent copy " + std::to_string(number) + "\r\n"
                  "Date: Mon, 07 Dec 2026 12:00:00 +0000\r\n"
                  "Message-ID: <sent-" + std::to_string(client) + "-" + std::to_string(number) + "-" +
                  std::to_string(k) + "@bench.test>\r\n"
                  "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
  for (int line = 0; m.size() < 4000; ++line)
    m += "Line " + std::to_string(line) + " of a reply that quotes the previous message and adds a thought.\r\n";
  return m;
}

// Before the clock: one LOGIN/LOGOUT per account, so no timed LOGIN pays a server's first password hash.
Status warm_logins(const Options& o) {
  for (uint64_t a = 0; a < std::min(o.accounts, o.concurrency); ++a) {
    auto c = ImapClient::open(o.host, static_cast<uint16_t>(o.port), std::chrono::milliseconds(o.io_timeout_ms));
    if (!c) return c.error();
    if (auto r = c->ok("LOGIN \"" + account_of(o, a) + "\" \"" + password_of(o, a) + "\""); !r) return r.error();
    (void)c->command("LOGOUT");
  }
  return {};
}

Status mixed_session(Shared& s, uint64_t client, uint64_t number, bool first, ClientTimes& times) {
  const Options& o = s.options;
  const auto connect_start = Clock::now();
  auto c = ImapClient::open(o.host, static_cast<uint16_t>(o.port), std::chrono::milliseconds(o.io_timeout_ms));
  if (!c) return c.error();
  // Connect + greeting: in the work time (ops_per_second's denominator) but not a command; shown in by_command.
  times.by_command["CONNECT"].push_back(
      std::chrono::duration<double, std::milli>(Clock::now() - connect_start).count());
  Timed run(s, *c, times);
  const std::string folder = "Archive-" + std::to_string(client);
  if (auto r = run.login("LOGIN \"" + account_of(o, client) + "\" \"" + password_of(o, client) + "\""); !r)
    return r.error();
  if (first) (void)run("CREATE", "CREATE " + folder, false);  // NO [ALREADYEXISTS] on a repeated run is fine
  auto sel = run("SELECT", "SELECT INBOX");
  if (!sel) return sel.error();
  const uint64_t exists = exists_of(*sel);
  std::vector<uint64_t> uids;
  for (uint64_t from = 1; from <= exists; from += o.page) {
    uint64_t to = std::min(exists, from + o.page - 1);
    auto r = run("FETCH_META", "FETCH " + std::to_string(from) + ":" + std::to_string(to) + " (FLAGS UID RFC822.SIZE ENVELOPE)");
    if (!r) return r.error();
    collect_uids(*r, uids);
  }
  if (exists == 0) return make_error("INBOX is empty");
  // Deterministic but spread choices, different per session.
  auto pick = [&](uint64_t k) { return 1 + (number * 7919 + k * 104729) % exists; };
  for (uint64_t k = 0; k < o.bodies; ++k) {
    auto r = run("FETCH_BODY", "FETCH " + std::to_string(pick(k)) + " BODY[]");
    if (!r) return r.error();
  }
  std::string set;
  for (uint64_t k = 0; k < o.bodies; ++k) set += (set.empty() ? "" : ",") + std::to_string(pick(k));
  if (auto r = run("STORE_SEEN", "STORE " + set + " +FLAGS (\\Seen)"); !r) return r.error();
  if (auto r = run("SEARCH_UNSEEN", "SEARCH UNSEEN"); !r) return r.error();
  if (auto r = run("SEARCH_SUBJECT", "SEARCH SUBJECT \"message " + std::to_string(number % 100) + "\""); !r) return r.error();
  if (!uids.empty() && o.copies > 0) {
    std::string uid_set;
    for (uint64_t k = 0; k < o.copies; ++k)
      uid_set += (uid_set.empty() ? "" : ",") + std::to_string(uids[(number * 31 + k * 97) % uids.size()]);
    if (auto r = run("UID_COPY", "UID COPY " + uid_set + " " + folder); !r) return r.error();
  }
  for (uint64_t k = 0; k < o.appends; ++k) {
    const std::string message = sent_message(client, number, k);
    if (auto r = run("APPEND", "APPEND " + folder + " (\\Seen) {" + std::to_string(message.size()) + "+}\r\n" + message);
        !r)
      return r.error();
  }
  if (auto r = run("SELECT", "SELECT " + folder); !r) return r.error();
  if (auto r = run("STORE_DELETED", "STORE 1:* +FLAGS.SILENT (\\Deleted)"); !r) return r.error();
  if (auto r = run("EXPUNGE", "EXPUNGE"); !r) return r.error();
  if (auto r = run("LOGOUT", "LOGOUT", false); !r) return r.error();
  return {};
}

void mixed_worker(Shared& s, uint64_t client) {
  ClientTimes times;
  bool first = true;
  const auto start = Clock::now();
  while (Clock::now() < s.deadline) {
    uint64_t number = s.next.fetch_add(1);
    if (number >= s.options.sessions) break;
    auto st = mixed_session(s, client, number, first, times);
    first = false;
    if (!st) {
      note_failure(s, st.error().message);
      continue;
    }
    s.sessions_done.fetch_add(1);
  }
  double login_s = 0;
  for (double ms : times.login_ms) login_s += ms / 1000.0;
  const double busy_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::lock_guard lock(s.mutex);
  s.latencies_ms.insert(s.latencies_ms.end(), times.command_ms.begin(), times.command_ms.end());
  s.login_ms.insert(s.login_ms.end(), times.login_ms.begin(), times.login_ms.end());
  for (auto& [kind, ms] : times.by_command) s.by_command[kind].insert(s.by_command[kind].end(), ms.begin(), ms.end());
  s.work_seconds += std::max(0.0, busy_s - login_s);
}

// {"FETCH_BODY":{"n":..,"mean":..,"p50":..,"p99":..},...}: where a session's command time goes, per kind.
std::string by_command_json(const std::map<std::string, std::vector<double>>& by_command) {
  std::string out = "{";
  for (const auto& [kind, ms] : by_command) {
    double sum = 0;
    for (double v : ms) sum += v;
    LatencySummary l = summarize(ms);
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s\"%s\":{\"n\":%zu,\"mean\":%.3f,\"p50\":%.3f,\"p99\":%.3f}",
                  out.size() > 1 ? "," : "", kind.c_str(), ms.size(), ms.empty() ? 0.0 : sum / ms.size(), l.p50, l.p99);
    out += buf;
  }
  return out + "}";
}

int run_mixed(const Options& o) {
  if (o.warm) {
    if (auto st = warm_logins(o); !st) {
      std::printf("{\"sessions_done\":0,\"failed\":1,\"first_error\":\"warm-up: %s\"}\n",
                  json_escape(st.error().message).c_str());
      return 1;
    }
  }
  auto start = Clock::now();
  Shared shared(o, start + std::chrono::seconds(o.max_seconds));
  std::vector<std::thread> threads;
  for (uint64_t i = 0; i < o.concurrency; ++i) threads.emplace_back(mixed_worker, std::ref(shared), i);
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  LatencySummary lat = summarize(shared.latencies_ms);
  LatencySummary login = summarize(shared.login_ms);
  uint64_t done = shared.sessions_done.load(), commands = shared.commands.load(), logins = shared.logins.load();
  // Commands per second of client time spent outside LOGIN: the command path's rate, logins excluded.
  const double work_per_client = shared.work_seconds / static_cast<double>(o.concurrency);
  const double ops = work_per_client > 0 ? commands / work_per_client : 0.0;
  std::printf(
      "{\"sessions_done\":%llu,\"failed\":%llu,\"commands\":%llu,\"seconds\":%.3f,\"sessions_per_second\":%.2f,"
      "\"per_second\":%.1f,\"ops_per_second\":%.1f,\"all_ops_per_second\":%.1f,\"bytes\":%llu,"
      "\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
      "\"logins\":%zu,\"login_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
      "\"client_cpu_s\":%.3f,\"by_command\":%s,\"first_error\":\"%s\"}\n",
      static_cast<unsigned long long>(done), static_cast<unsigned long long>(shared.failed.load()),
      static_cast<unsigned long long>(commands), seconds, seconds > 0 ? done / seconds : 0.0,
      seconds > 0 ? commands / seconds : 0.0, ops, seconds > 0 ? (commands + logins) / seconds : 0.0,
      static_cast<unsigned long long>(shared.bytes.load()), lat.p50,
      lat.p90, lat.p99, lat.max, shared.login_ms.size(), login.p50, login.p90, login.p99, login.max,
      own_cpu_seconds(), by_command_json(shared.by_command).c_str(), json_escape(shared.first_error).c_str());
  return shared.failed.load() == 0 && done > 0 ? 0 : 1;
}

// Idle mode: one thread, connections opened one after the other (the figure is memory, not speed).
int run_idle(const Options& o) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
  auto start = Clock::now();
  auto deadline = start + std::chrono::seconds(o.max_seconds);
  std::vector<ImapClient> clients;
  clients.reserve(o.connections);
  uint64_t failed = 0;
  std::string first_error;
  auto fail = [&](const std::string& what) {
    ++failed;
    if (first_error.empty()) first_error = what;
  };
  for (uint64_t i = 0; i < o.connections && Clock::now() < deadline; ++i) {
    auto c = ImapClient::open(o.host, static_cast<uint16_t>(o.port), std::chrono::milliseconds(o.io_timeout_ms));
    if (!c) {
      fail("connect " + std::to_string(i) + ": " + c.error().message);
      break;  // usually a limit: more attempts would only repeat it
    }
    auto login = c->ok("LOGIN \"" + account_of(o, i) + "\" \"" + password_of(o, i) + "\"");
    if (!login) { fail(login.error().message); continue; }
    auto sel = c->ok("SELECT INBOX");
    if (!sel) { fail(sel.error().message); continue; }
    auto idle = c->start_idle();
    if (!idle) { fail(idle.error().message); continue; }
    clients.push_back(std::move(*c));
  }
  double setup = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("READY %zu\n", clients.size());
  std::fflush(stdout);
  char buf[256];
  while (::read(STDIN_FILENO, buf, sizeof buf) > 0) {
  }
  uint64_t ended = 0;
  for (auto& c : clients) {
    auto st = c.end_idle();
    if (!st) { fail("DONE: " + st.error().message); continue; }
    (void)c.command("LOGOUT");
    ++ended;
  }
  std::printf(
      "{\"connections\":%zu,\"failed\":%llu,\"ended\":%llu,\"setup_seconds\":%.3f,\"setup_per_second\":%.1f,"
      "\"client_cpu_s\":%.3f,\"first_error\":\"%s\"}\n",
      clients.size(), static_cast<unsigned long long>(failed), static_cast<unsigned long long>(ended), setup,
      setup > 0 ? clients.size() / setup : 0.0, own_cpu_seconds(), json_escape(first_error).c_str());
  return failed == 0 && !clients.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  Options o;
  OptionSpec spec;
  spec.strings = {{"--host", &o.host},
                  {"--mode", &o.mode},
                  {"--user-prefix", &o.user_prefix},
                  {"--domain", &o.domain},
                  {"--password-prefix", &o.password_prefix}};
  spec.numbers = {{"--port", {1, 65535}},        {"--accounts", {1, 100000}},     {"--concurrency", {1, 5000}},
                  {"--sessions", {1, 10000000}}, {"--page", {1, 100000}},         {"--bodies", {0, 1000}},
                  {"--copies", {0, 1000}},       {"--connections", {1, 100000}}, {"--io-timeout-ms", {1, 3600000}},
                  {"--max-seconds", {1, 86400}}, {"--appends", {0, 1000}},       {"--warm", {0, 1}}};
  auto n = parse_named_options(argc, argv, spec);
  if (!n || !n->count("--port") || (o.mode != "mixed" && o.mode != "idle" && o.mode != "warm")) {
    std::fprintf(stderr, "imap_load: %s\n%s",
                 n ? "--port is required; --mode is mixed, idle or warm" : n.error().message.c_str(),
                 kUsage);
    return 2;
  }
  auto get = [&](const char* name, uint64_t& into) {
    if (n->count(name)) into = (*n)[name];
  };
  get("--port", o.port);
  get("--accounts", o.accounts);
  get("--concurrency", o.concurrency);
  get("--sessions", o.sessions);
  get("--page", o.page);
  get("--bodies", o.bodies);
  get("--copies", o.copies);
  get("--appends", o.appends);
  get("--warm", o.warm);
  get("--connections", o.connections);
  get("--io-timeout-ms", o.io_timeout_ms);
  get("--max-seconds", o.max_seconds);
  if (o.mode == "warm") {
    auto st = warm_logins(o);
    if (!st) std::fprintf(stderr, "imap_load: warm-up: %s\n", st.error().message.c_str());
    return st ? 0 : 1;
  }
  return o.mode == "idle" ? run_idle(o) : run_mixed(o);
}
