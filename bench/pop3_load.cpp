// pop3_load: POP3 retrieval load generator for bench/run — C concurrent sessions (RFC 1939) log in to one
// maildrop and RETR every message once between them; each retrieved body is checked against the "+OK N
// octets" count after undoing the byte-stuffing. Prints one JSON line.
#include <atomic>
#include <latch>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/strings.hpp"
#include "bench_options.hpp"
#include "latency_stats.hpp"
#include "line_socket.hpp"

namespace {

using namespace claret;
using namespace claret::bench;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "usage: pop3_load --port PORT --user NAME --password PW [--host 127.0.0.1] [--concurrency C]\n"
    "                 [--messages N] [--passes P] [--server-pids \"PID...\"] [--io-timeout-ms T] [--max-seconds S]\n"
    "C sessions log in as NAME; once all are logged in, they retrieve messages 1..N (default: every message\n"
    "STAT counts) P times (default 1) between them, taking numbers from a shared counter (1..N, 1..N, ...);\n"
    "nothing is deleted. More passes make the measured phase longer, hence less noisy. The rate and\n"
    "server_cpu_s (CPU of the --server-pids process trees) cover the retrieval phase only; login_ms is the\n"
    "login (greeting to PASS reply) time. Prints one JSON line.\n";

constexpr size_t kMaxMessage = 256 * 1024 * 1024;

struct Options {
  std::string host = "127.0.0.1";
  std::string user;
  std::string password;
  std::string server_pids;
  uint64_t port = 0;
  uint64_t concurrency = 1;
  uint64_t messages = 0;  // 0: all
  uint64_t passes = 1;    // times the maildrop is retrieved
  uint64_t io_timeout_ms = 30000;
  uint64_t max_seconds = 600;
};

struct Shared {
  Shared(const Options& o, Clock::time_point d) : options(o), deadline(d), logged_in(o.concurrency), retrieved_all(o.concurrency) {}
  const Options& options;
  Clock::time_point deadline;
  std::latch logged_in;  // every session has logged in (or failed to)
  std::latch go{1};      // the retrieval phase starts
  std::latch retrieved_all;  // every session has finished retrieving (its server process is still alive)
  std::latch may_quit{1};    // the server's CPU has been read: sessions may QUIT
  std::atomic<uint64_t> next{1};
  std::atomic<uint64_t> limit{0};  // set by the first session's STAT (or --messages)
  std::atomic<uint64_t> retrieved{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> bytes{0};
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::vector<double> login_ms;
  std::string first_error;
};

void note_failure(Shared& s, const std::string& what) {
  s.failed.fetch_add(1);
  std::lock_guard lock(s.mutex);
  if (s.first_error.empty()) s.first_error = what;
}

Status expect_ok(LineSocket& sock, std::string_view what) {
  auto line = sock.read_line();
  if (!line) return make_error(std::string(what) + ": " + line.error().message);
  if (line->rfind("+OK", 0) != 0) return make_error(std::string(what) + ": " + *line);
  return {};
}

Result<uint64_t> login(LineSocket& sock, const Options& o) {
  if (auto st = expect_ok(sock, "greeting"); !st) return st.error();
  if (auto st = sock.write_all("USER " + o.user + "\r\n"); !st) return st.error();
  if (auto st = expect_ok(sock, "USER"); !st) return st.error();
  if (auto st = sock.write_all("PASS " + o.password + "\r\n"); !st) return st.error();
  if (auto st = expect_ok(sock, "PASS"); !st) return st.error();
  if (auto st = sock.write_all("STAT\r\n"); !st) return st.error();
  auto stat = sock.read_line();
  if (!stat) return stat.error();
  // "+OK count size"
  if (stat->rfind("+OK ", 0) != 0) return make_error("STAT: " + *stat);
  auto rest = std::string_view(*stat).substr(4);
  auto count = parse_u64(rest.substr(0, rest.find(' ')));
  if (!count) return make_error("STAT: " + *stat);
  return *count;
}

// RETR n; returns the message size after un-stuffing, checked against the "+OK N octets" line when present.
Result<uint64_t> retrieve(LineSocket& sock, uint64_t n) {
  if (auto st = sock.write_all("RETR " + std::to_string(n) + "\r\n"); !st) return st.error();
  // One read for the status line and the body: the status line's CRLF is the one before the terminating dot.
  auto whole = sock.read_until("\r\n.\r\n", kMaxMessage);
  if (!whole) return whole.error();
  std::string_view all(*whole);
  size_t eol = all.find("\r\n");
  std::string_view status = all.substr(0, eol);
  if (status.rfind("+OK", 0) != 0) {
    // An -ERR is a single line: what was read past it belongs to later responses, which this client does not
    // pipeline, so there is nothing to resynchronise beyond reporting.
    return make_error("RETR " + std::to_string(n) + ": " + std::string(status));
  }
  std::string_view body = all.substr(eol + 2);
  body.remove_suffix(3);  // ".\r\n"
  uint64_t stuffed = body.rfind("..", 0) == 0 ? 1 : 0;
  for (size_t at = body.find("\r\n.."); at != std::string_view::npos; at = body.find("\r\n..", at + 2)) ++stuffed;
  uint64_t size = body.size() - stuffed;
  std::string_view words = status.substr(std::min<size_t>(4, status.size()));
  if (auto sp = words.find(' '); sp != std::string_view::npos && words.substr(sp) == " octets") {
    auto declared = parse_u64(words.substr(0, sp));
    if (declared && *declared != size)
      return make_error("RETR " + std::to_string(n) + ": " + std::to_string(size) + " octets received, " +
                        std::to_string(*declared) + " announced");
  }
  return size;
}

void worker(Shared& s) {
  const Options& o = s.options;
  std::vector<double> latencies;
  auto login_start = Clock::now();
  auto sock = LineSocket::connect(o.host, static_cast<uint16_t>(o.port), std::chrono::milliseconds(o.io_timeout_ms));
  Result<uint64_t> count = sock ? login(*sock, o) : Result<uint64_t>(sock.error());
  double login_ms = std::chrono::duration<double, std::milli>(Clock::now() - login_start).count();
  s.logged_in.count_down();
  s.go.wait();
  if (!count) {
    note_failure(s, "login: " + count.error().message);
    s.retrieved_all.count_down();
    return;
  }
  uint64_t want = o.messages ? std::min(o.messages, *count) : *count;
  uint64_t expected = 0;
  s.limit.compare_exchange_strong(expected, want);
  const uint64_t limit = s.limit.load();
  while (Clock::now() < s.deadline) {
    // Ticket t names message (t - 1) % limit + 1 of pass (t - 1) / limit.
    uint64_t ticket = s.next.fetch_add(1);
    if (limit == 0 || ticket > limit * o.passes) break;
    uint64_t n = (ticket - 1) % limit + 1;
    auto start = Clock::now();
    auto size = retrieve(*sock, n);
    if (!size) {
      note_failure(s, size.error().message);
      break;  // the session's framing is unknown after an error
    }
    latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    s.retrieved.fetch_add(1);
    s.bytes.fetch_add(*size);
  }
  // QUIT only after the server's CPU is read: a per-connection server process (Dovecot's pop3) exits at QUIT and
  // its CPU time would briefly be counted nowhere (neither alive nor yet reaped into its parent's cutime).
  s.retrieved_all.count_down();
  s.may_quit.wait();
  if (sock->write_all("QUIT\r\n")) (void)sock->read_line();
  std::lock_guard lock(s.mutex);
  s.latencies_ms.insert(s.latencies_ms.end(), latencies.begin(), latencies.end());
  s.login_ms.push_back(login_ms);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  Options o;
  OptionSpec spec;
  spec.strings = {{"--host", &o.host}, {"--user", &o.user}, {"--password", &o.password},
                  {"--server-pids", &o.server_pids}};
  spec.numbers = {{"--port", {1, 65535}},           {"--concurrency", {1, 5000}},
                  {"--messages", {1, 100000000}},    {"--passes", {1, 1000}},
                  {"--io-timeout-ms", {1, 3600000}},
                  {"--max-seconds", {1, 86400}}};
  auto n = parse_named_options(argc, argv, spec);
  if (!n || o.user.empty() || !n->count("--port")) {
    std::fprintf(stderr, "pop3_load: %s\n%s", n ? "--port and --user are required" : n.error().message.c_str(),
                 kUsage);
    return 2;
  }
  o.port = (*n)["--port"];
  if (n->count("--concurrency")) o.concurrency = (*n)["--concurrency"];
  if (n->count("--messages")) o.messages = (*n)["--messages"];
  if (n->count("--passes")) o.passes = (*n)["--passes"];
  if (n->count("--io-timeout-ms")) o.io_timeout_ms = (*n)["--io-timeout-ms"];
  if (n->count("--max-seconds")) o.max_seconds = (*n)["--max-seconds"];

  const std::vector<int> server_pids = parse_pid_list(o.server_pids);
  Shared shared(o, Clock::now() + std::chrono::seconds(o.max_seconds));
  std::vector<std::thread> threads;
  for (uint64_t i = 0; i < o.concurrency; ++i) threads.emplace_back(worker, std::ref(shared));
  shared.logged_in.wait();
  const double cpu0 = process_tree_cpu_seconds(server_pids);
  const auto start = Clock::now();
  shared.go.count_down();
  shared.retrieved_all.wait();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double server_cpu = server_pids.empty() ? 0.0 : process_tree_cpu_seconds(server_pids) - cpu0;
  shared.may_quit.count_down();
  for (auto& t : threads) t.join();
  LatencySummary lat = summarize(shared.latencies_ms);
  LatencySummary login = summarize(shared.login_ms);
  uint64_t retrieved = shared.retrieved.load();
  uint64_t bytes = shared.bytes.load();
  std::printf(
      "{\"retrieved\":%llu,\"failed\":%llu,\"seconds\":%.3f,\"per_second\":%.1f,\"bytes\":%llu,"
      "\"mib_per_second\":%.2f,\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
      "\"login_ms\":{\"p50\":%.3f,\"max\":%.3f},\"server_cpu_s\":%.3f,\"client_cpu_s\":%.3f,\"first_error\":\"%s\"}\n",
      static_cast<unsigned long long>(retrieved), static_cast<unsigned long long>(shared.failed.load()), seconds,
      seconds > 0 ? retrieved / seconds : 0.0, static_cast<unsigned long long>(bytes),
      seconds > 0 ? bytes / seconds / 1048576.0 : 0.0, lat.p50, lat.p90, lat.p99, lat.max, login.p50, login.max, server_cpu, own_cpu_seconds(),
      json_escape(shared.first_error).c_str());
  return shared.failed.load() == 0 && retrieved > 0 ? 0 : 1;
}
