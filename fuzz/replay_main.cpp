// Replay runner: links a fuzz target's LLVMFuzzerTestOneInput into a plain program that runs it once on every
// file named on the command line (directories are walked, in sorted order). This is how the normal g++
// ASan/UBSan CI build runs the regression inputs and seeds without clang or libFuzzer.
//
// `--mutate SECONDS` then fuzzes for that long (CI's short run of every target, issue #9): random mutations of the
// inputs read (bit flips, random and protocol bytes, deletions, duplications, splices of two inputs), each run
// through the target with the sanitizers watching. Blind, unlike libFuzzer's coverage-guided long runs
// (scripts/fuzz.sh), but it needs no clang and finds what a crash-on-garbage bug looks like in seconds. The
// generator is seeded (`--seed N`, default 1) so a run is repeatable; an input that kills the process is written to
// `mutate-crash-<target>` in the working directory first, so it can go into fuzz/regressions/.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));
// From the sanitizer runtime when linked (ASan/UBSan builds); absent otherwise.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace {

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& arg) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (std::filesystem::is_directory(arg, ec)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(arg, ec)) {
      if (entry.is_regular_file() && entry.path().filename().string().front() != '.') files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
  } else if (std::filesystem::is_regular_file(arg, ec)) {
    files.push_back(arg);
  } else {
    std::fprintf(stderr, "replay: %s: not found\n", arg.c_str());
  }
  return files;
}

constexpr std::size_t kMaxMutantSize = 64 * 1024;  // as scripts/fuzz.sh's -max_len

// Bytes the parsers treat specially, so mutations reach their branches more often than uniform bytes would.
constexpr std::string_view kTokens[] = {"\r\n", "\r\n.\r\n", ".", "\r", "\n", " ", "\t", "\"", "\\", "(", ")",
                                        "[", "]", "{", "}", "{5}\r\n", "{0+}\r\n", "~{3}\r\n", "<", ">", "@", ":",
                                        ";", "=", "=?", "?=", "*", "%", "&", "-", "+", ",", std::string_view("\0", 1), "\xff", "\xc3",
                                        "--", "boundary", "Content-Type: multipart/mixed; boundary=b\r\n", "=\r\n",
                                        "=3D", "*0*=", "''", "UTF-8", "base64", "quoted-printable", "4294967296",
                                        "-1", "0", "99999999999999999999", "NIL", "BODY[", "<0.10>", "1:*"};

std::string current_mutant;
std::string crash_file;

void save_current_mutant() {
  if (crash_file.empty()) return;
  if (std::FILE* f = std::fopen(crash_file.c_str(), "wb")) {
    std::fwrite(current_mutant.data(), 1, current_mutant.size(), f);
    std::fclose(f);
    std::fprintf(stderr, "mutate: the input that failed is in %s\n", crash_file.c_str());
  }
}

// A failed invariant in a target calls abort(): keep the input, then die as before.
void on_abort(int sig) {
  save_current_mutant();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void mutate(std::string& s, const std::vector<std::string>& pool, std::mt19937_64& rng) {
  auto pick = [&](std::size_t n) { return n == 0 ? std::size_t{0} : static_cast<std::size_t>(rng() % n); };
  const int rounds = 1 + static_cast<int>(pick(8));
  for (int r = 0; r < rounds; ++r) {
    switch (pick(8)) {
      case 0:  // flip a bit
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1u << pick(8));
        break;
      case 1:  // set a random byte
        if (!s.empty()) s[pick(s.size())] = static_cast<char>(rng());
        break;
      case 2: {  // insert random bytes
        std::string bytes(1 + pick(16), '\0');
        for (char& c : bytes) c = static_cast<char>(rng());
        s.insert(pick(s.size() + 1), bytes);
        break;
      }
      case 3:  // insert a protocol token
        s.insert(pick(s.size() + 1), kTokens[pick(std::size(kTokens))]);
        break;
      case 4:  // delete a range
        if (!s.empty()) {
          std::size_t at = pick(s.size());
          s.erase(at, 1 + pick(std::min<std::size_t>(s.size() - at, 64)));
        }
        break;
      case 5:  // duplicate a range (repetition: deep nesting, long lines, many parts)
        if (!s.empty()) {
          std::size_t at = pick(s.size());
          std::string piece = s.substr(at, 1 + pick(std::min<std::size_t>(s.size() - at, 256)));
          for (std::size_t n = 1 + pick(16); n > 0 && s.size() + piece.size() <= kMaxMutantSize; --n)
            s.insert(at, piece);
        }
        break;
      case 6:  // splice: this input's head, another's tail
        if (!pool.empty()) {
          const std::string& other = pool[pick(pool.size())];
          s = s.substr(0, pick(s.size() + 1)) + other.substr(pick(other.size() + 1));
        }
        break;
      default:  // truncate
        s.resize(pick(s.size() + 1));
        break;
    }
  }
  if (s.size() > kMaxMutantSize) s.resize(kMaxMutantSize);
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  double mutate_seconds = 0;
  std::uint64_t seed = 1;
  std::vector<std::string> pool;  // every input read, kept for mutation
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--mutate") == 0 && i + 1 < argc) {
      mutate_seconds = std::atof(argv[++i]);
      continue;
    }
    if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
      continue;
    }
    for (const auto& file : inputs_of(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      // Print first: if the input crashes, the log names it.
      std::fprintf(stderr, "replay: %s (%zu bytes)\n", file.c_str(), bytes.size());
      // A copy of exactly the input's size, so ASan catches reads past its end as libFuzzer would.
      std::vector<std::uint8_t> buffer(bytes.begin(), bytes.end());
      LLVMFuzzerTestOneInput(buffer.data(), buffer.size());
      ++count;
      if (mutate_seconds > 0 && bytes.size() <= kMaxMutantSize) pool.push_back(std::move(bytes));
    }
  }
  std::printf("replay: %zu inputs ran without a failure\n", count);
  if (mutate_seconds <= 0) return 0;

  crash_file = "mutate-crash-" + std::filesystem::path(argv[0]).filename().string();
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(save_current_mutant);
  std::signal(SIGABRT, on_abort);
  std::mt19937_64 rng(seed);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(mutate_seconds);
  std::size_t runs = 0;
  while ((runs & 63) != 0 || std::chrono::steady_clock::now() < deadline) {
    current_mutant = pool.empty() ? std::string() : pool[static_cast<std::size_t>(rng() % pool.size())];
    mutate(current_mutant, pool, rng);
    std::vector<std::uint8_t> buffer(current_mutant.begin(), current_mutant.end());
    LLVMFuzzerTestOneInput(buffer.data(), buffer.size());
    ++runs;
  }
  std::printf("mutate: %zu mutated inputs in %.0f s (seed %llu) ran without a failure\n", runs, mutate_seconds,
              static_cast<unsigned long long>(seed));
  return 0;
}
