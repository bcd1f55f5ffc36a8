// Benchmarks for structure parsing (RFC 5322 / RFC 2046) and the delivery-time derivations of a ~6 KB multipart.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "mime/imap_bodystructure.hpp"
#include "mime/imap_envelope.hpp"
#include "mime/part_map.hpp"
#include "mime/summary.hpp"

namespace {

std::string load(const char* relative) {
  std::ifstream in(std::string(CLARET_SHARED_DIR) + "/corpus/" + relative, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A 6,518-byte multipart/alternative message and a 6,443-byte multipart/mixed with 5 parts.
const std::string& sample(int which) {
  static const std::string a = load("mail-gem/mime_emails/raw_email2.eml");
  static const std::string b = load("spamassassin/nice/mime8");
  return which == 0 ? a : b;
}

void BM_Parse(benchmark::State& state) {
  const std::string& raw = sample(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto m = claret::mime::parse(raw);
    benchmark::DoNotOptimize(m.parts().data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * raw.size()));
  state.counters["parts"] = static_cast<double>(claret::mime::parse(raw).parts().size());
  state.counters["bytes"] = static_cast<double>(raw.size());
}
BENCHMARK(BM_Parse)->Arg(0)->Arg(1);

void BM_ParseAndImap(benchmark::State& state) {
  const std::string& raw = sample(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto m = claret::mime::parse(raw);
    auto env = claret::mime::imap_envelope(m);
    auto bs = claret::mime::imap_bodystructure(m, true);
    auto map = claret::mime::serialize_part_map(m);
    benchmark::DoNotOptimize(env.data());
    benchmark::DoNotOptimize(bs.data());
    benchmark::DoNotOptimize(map.data());
  }
}
BENCHMARK(BM_ParseAndImap)->Arg(0)->Arg(1);

void BM_Delivery(benchmark::State& state) {
  const std::string& raw = sample(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto m = claret::mime::parse(raw);
    auto s = claret::mime::summarize(m);
    auto p = claret::mime::preview(m, raw);
    auto t = claret::mime::search_text(m, raw);
    benchmark::DoNotOptimize(s.subject.data());
    benchmark::DoNotOptimize(p.data());
    benchmark::DoNotOptimize(t.data());
  }
}
BENCHMARK(BM_Delivery)->Arg(0)->Arg(1);

}  // namespace
