// Command-line and output helpers shared by the load generators (see bench_options.hpp).
#include "bench_options.hpp"

#include <sys/resource.h>

#include "base/strings.hpp"

namespace claret::bench {

Result<std::map<std::string, uint64_t>> parse_named_options(int argc, char** argv, const OptionSpec& spec) {
  std::map<std::string, uint64_t> out;
  for (int i = 1; i < argc; i += 2) {
    std::string name = argv[i];
    if (i + 1 >= argc) return make_error(name + " needs a value");
    std::string value = argv[i + 1];
    if (auto s = spec.strings.find(name); s != spec.strings.end()) {
      *s->second = value;
    } else if (auto r = spec.numbers.find(name); r != spec.numbers.end()) {
      auto n = parse_u64(value);
      auto [lo, hi] = r->second;
      if (!n || *n < lo || *n > hi)
        return make_error(name + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi));
      out[name] = *n;
    } else {
      return make_error("unknown option " + name);
    }
  }
  return out;
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

double own_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace claret::bench
