// Command-line and output helpers shared by the load generators (see bench_options.hpp).
#include "bench_options.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

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

double process_tree_cpu_seconds(const std::vector<int>& roots) {
  std::map<int, int> parent;
  std::map<int, unsigned long long> ticks;
  DIR* proc = ::opendir("/proc");
  if (!proc) return 0;
  while (dirent* e = ::readdir(proc)) {
    auto pid = parse_u64(e->d_name);
    if (!pid) continue;
    std::ifstream in("/proc/" + std::string(e->d_name) + "/stat");
    std::string line;
    if (!std::getline(in, line)) continue;  // the process ended meanwhile
    size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    std::vector<std::string> f;
    while (rest >> field) f.push_back(field);
    // After "pid (comm) ": state ppid ... utime(12) stime(13) cutime(14) cstime(15), 1-based from state.
    if (f.size() < 15) continue;
    int p = static_cast<int>(*pid);
    parent[p] = std::stoi(f[1]);
    ticks[p] = std::stoull(f[11]) + std::stoull(f[12]) + std::stoull(f[13]) + std::stoull(f[14]);
  }
  ::closedir(proc);
  std::set<int> keep(roots.begin(), roots.end());
  for (bool changed = true; changed;) {
    changed = false;
    for (auto [p, pp] : parent)
      if (!keep.count(p) && keep.count(pp)) changed = keep.insert(p).second || changed;
  }
  unsigned long long total = 0;
  for (int p : keep)
    if (auto it = ticks.find(p); it != ticks.end()) total += it->second;
  return static_cast<double>(total) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::vector<int> parse_pid_list(std::string_view text) {
  std::vector<int> out;
  std::istringstream in{std::string(text)};
  std::string word;
  while (in >> word)
    if (auto n = parse_u64(word); n && *n > 0 && *n < (1u << 31)) out.push_back(static_cast<int>(*n));
  return out;
}

}  // namespace claret::bench
