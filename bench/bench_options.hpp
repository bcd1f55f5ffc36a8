// Shared bits of the load generators' command lines and output: "--name value" parsing with ranges, JSON
// string escaping, the process's own CPU time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace claret::bench {

// Every option takes a value; `numbers` maps a name to its [lo, hi] range and is parsed as a number,
// `strings` are taken as given. An unknown name or a bad value is an error naming it.
struct OptionSpec {
  std::map<std::string, std::pair<uint64_t, uint64_t>> numbers;
  std::map<std::string, std::string*> strings;
};
Result<std::map<std::string, uint64_t>> parse_named_options(int argc, char** argv, const OptionSpec& spec);

std::string json_escape(std::string_view in);

// utime + stime of this process, seconds.
double own_cpu_seconds();

// utime+stime+cutime+cstime of the given pids and all their descendants, seconds (from /proc/PID/stat; reaped
// children count through their parent's cutime). Lets a load generator charge a server only for one phase.
double process_tree_cpu_seconds(const std::vector<int>& roots);
// "123 456" -> {123, 456}; nothing for an empty or malformed list.
std::vector<int> parse_pid_list(std::string_view text);

}  // namespace claret::bench
