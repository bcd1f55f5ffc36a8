// Replay runner: links a fuzz target's LLVMFuzzerTestOneInput into a plain program that runs it once on every
// file named on the command line (directories are walked, in sorted order). This is how the normal g++
// ASan/UBSan CI build runs the regression inputs and seeds without clang or libFuzzer.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

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

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& file : inputs_of(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      // Print first: if the input crashes, the log names it.
      std::fprintf(stderr, "replay: %s (%zu bytes)\n", file.c_str(), bytes.size());
      // A copy of exactly the input's size, so ASan catches reads past its end as libFuzzer would.
      std::vector<std::uint8_t> buffer(bytes.begin(), bytes.end());
      LLVMFuzzerTestOneInput(buffer.data(), buffer.size());
      ++count;
    }
  }
  std::printf("replay: %zu inputs ran without a failure\n", count);
  return 0;
}
