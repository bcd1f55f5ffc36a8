// smtp_load: SMTP load generator for bench/run — N messages at concurrency C over RFC 5321 sessions
// (RFC 2920 pipelining when offered), M messages per connection; prints rate and latency percentiles.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/strings.hpp"
#include "latency_stats.hpp"
#include "load_messages.hpp"
#include "smtp_client.hpp"

namespace {

using namespace claret;
using namespace claret::bench;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "usage: smtp_load --port PORT [--host 127.0.0.1] [--messages N] [--concurrency C] [--per-connection M]\n"
    "                 [--size 6k|100k] [--users U] [--domain D] [--user-prefix user] [--from ADDR]\n"
    "                 [--to ADDR] [--auth USER:PASSWORD] [--seed S] [--io-timeout-ms T] [--max-seconds S]\n"
    "Sends N messages to random recipients PREFIX1..PREFIXU@D with C concurrent sessions, each session\n"
    "sending M messages per connection (1 = a new connection per message); --to sends every message to ADDR\n"
    "instead (to fill one mailbox). Prints one JSON line.\n";

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  uint64_t messages = 1000;
  uint64_t concurrency = 10;
  uint64_t per_connection = 1;
  MessageKind kind = MessageKind::kAlternative6k;
  uint64_t users = 100;
  std::string domain = "bench.test";
  std::string user_prefix = "user";
  std::string from = "loadgen@sender.test";
  std::string auth;  // "user:password" for AUTH PLAIN after EHLO (submission); empty: none
  std::string to;  // empty: a random PREFIXn@domain per message
  uint64_t seed = 1;
  uint64_t io_timeout_ms = 30000;
  uint64_t max_seconds = 600;
};

// Parses "--name value" pairs; an error message on anything unknown or out of range.
Result<Options> parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    std::string name = argv[i];
    if (i + 1 >= argc) return make_error(name + " needs a value");
    std::string value = argv[i + 1];
    auto number = [&](uint64_t lo, uint64_t hi) -> Result<uint64_t> {
      auto n = parse_u64(value);
      if (!n || *n < lo || *n > hi)
        return make_error(name + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi));
      return *n;
    };
    Result<uint64_t> n = uint64_t{0};
    if (name == "--host") o.host = value;
    else if (name == "--domain") o.domain = value;
    else if (name == "--user-prefix") o.user_prefix = value;
    else if (name == "--from") o.from = value;
    else if (name == "--to") o.to = value;
    else if (name == "--auth") {
      if (value.find(':') == std::string::npos) return make_error("--auth must be USER:PASSWORD");
      o.auth = value;
    }
    else if (name == "--size") {
      auto k = parse_message_kind(value);
      if (!k) return make_error("--size must be 6k or 100k");
      o.kind = *k;
    } else if (name == "--port") { if ((n = number(1, 65535))) o.port = static_cast<uint16_t>(*n); }
    else if (name == "--messages") { if ((n = number(1, 100000000))) o.messages = *n; }
    else if (name == "--concurrency") { if ((n = number(1, 5000))) o.concurrency = *n; }
    else if (name == "--per-connection") { if ((n = number(1, 1000000))) o.per_connection = *n; }
    else if (name == "--users") { if ((n = number(1, 1000000))) o.users = *n; }
    else if (name == "--seed") { if ((n = number(0, UINT64_MAX))) o.seed = *n; }
    else if (name == "--io-timeout-ms") { if ((n = number(1, 3600000))) o.io_timeout_ms = *n; }
    else if (name == "--max-seconds") { if ((n = number(1, 86400))) o.max_seconds = *n; }
    else return make_error("unknown option " + name);
    if (!n) return n.error();
  }
  if (o.port == 0) return make_error("--port is required");
  return o;
}

// Shared by the worker threads; counters are atomics, the rest is guarded by `mutex`.
struct Shared {
  Shared(const Options& o, const MessageTemplate& m, uint64_t n, Clock::time_point d)
      : options(o), message(m), nonce(n), deadline(d) {}
  const Options& options;
  const MessageTemplate& message;
  uint64_t nonce;
  Clock::time_point deadline;
  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> bytes{0};
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::string first_error;
  uint64_t pipelined_sessions = 0;
  uint64_t sessions = 0;
};

void note_failure(Shared& s, const std::string& what) {
  s.failed.fetch_add(1);
  std::lock_guard lock(s.mutex);
  if (s.first_error.empty()) s.first_error = what;
}

// One session slot: takes message numbers from the shared counter until all are sent or time is up.
// Latency runs from the start of the message's work (connect + EHLO included when the message opens
// the connection) to the final 250.
void worker(Shared& s, unsigned index) {
  const Options& o = s.options;
  std::mt19937_64 rng(o.seed * 1000003 + index);
  std::vector<double> latencies;
  std::optional<SmtpClient> client;
  uint64_t on_connection = 0;
  uint64_t sessions = 0;
  uint64_t pipelined = 0;
  auto timeout = std::chrono::milliseconds(o.io_timeout_ms);
  while (Clock::now() < s.deadline) {
    uint64_t seq = s.next.fetch_add(1);
    if (seq >= o.messages) break;
    auto start = Clock::now();
    if (!client) {
      auto c = SmtpClient::open(o.host, o.port, "loadgen.sender.test", timeout);
      if (!c) {
        note_failure(s, "connect/EHLO: " + c.error().message);
        continue;
      }
      client.emplace(std::move(c).value());
      if (!o.auth.empty()) {
        size_t colon = o.auth.find(':');
        auto st = client->auth_plain(o.auth.substr(0, colon), o.auth.substr(colon + 1));
        if (!st) {
          note_failure(s, st.error().message);
          client.reset();
          continue;
        }
      }
      on_connection = 0;
      ++sessions;
      if (client->pipelining()) ++pipelined;
    }
    std::string to = !o.to.empty() ? o.to : o.user_prefix + std::to_string(1 + rng() % o.users) + "@" + o.domain;
    std::string data = s.message.data_for(o.from, to, make_message_id(seq, s.nonce, "sender.test"), seq);
    auto r = client->send_mail(o.from, to, data);
    if (!r) {
      note_failure(s, r.error().message);
      client.reset();  // the session state is unknown after an error: start afresh
      continue;
    }
    latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    s.accepted.fetch_add(1);
    s.bytes.fetch_add(data.size());
    if (++on_connection >= o.per_connection) {
      client->quit();
      client.reset();
    }
  }
  if (client) client->quit();
  std::lock_guard lock(s.mutex);
  s.latencies_ms.insert(s.latencies_ms.end(), latencies.begin(), latencies.end());
  s.sessions += sessions;
  s.pipelined_sessions += pipelined;
}

std::string json_escape(std::string_view in) {
  std::string out;
  for (char c : in) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  auto options = parse_options(argc, argv);
  if (!options) {
    std::fprintf(stderr, "smtp_load: %s\n%s", options.error().message.c_str(), kUsage);
    return 2;
  }
  const Options& o = *options;
  MessageTemplate message(o.kind, o.seed);
  uint64_t nonce = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) ^
                   (static_cast<uint64_t>(::getpid()) << 40);
  auto start = Clock::now();
  Shared shared(o, message, nonce, start + std::chrono::seconds(o.max_seconds));
  std::vector<std::thread> threads;
  uint64_t workers = std::min(o.concurrency, o.messages);
  threads.reserve(workers);
  for (unsigned i = 0; i < workers; ++i) threads.emplace_back(worker, std::ref(shared), i);
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  // The client's own CPU, so a reader can check it is small next to the server's.
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  double client_cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  LatencySummary lat = summarize(shared.latencies_ms);
  uint64_t accepted = shared.accepted.load();
  std::printf(
      "{\"accepted\":%llu,\"failed\":%llu,\"seconds\":%.3f,\"per_second\":%.1f,\"bytes\":%llu,"
      "\"sessions\":%llu,\"pipelined_sessions\":%llu,\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,"
      "\"max\":%.3f},\"client_cpu_s\":%.3f,\"first_error\":\"%s\"}\n",
      static_cast<unsigned long long>(accepted), static_cast<unsigned long long>(shared.failed.load()), seconds,
      seconds > 0 ? accepted / seconds : 0.0, static_cast<unsigned long long>(shared.bytes.load()),
      static_cast<unsigned long long>(shared.sessions), static_cast<unsigned long long>(shared.pipelined_sessions),
      lat.p50, lat.p90, lat.p99, lat.max, client_cpu, json_escape(shared.first_error).c_str());
  return shared.failed.load() == 0 ? 0 : 1;
}
