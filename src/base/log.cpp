// Structured event log.
#include "base/log.hpp"

#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>

namespace claret::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};
std::atomic<std::FILE*> g_out{nullptr};
std::mutex g_mutex;

const char* level_name(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "?";
}

// Values with spaces, quotes, '=' or control characters are quoted and escaped so a line stays one line.
void append_value(std::string& line, const std::string& v) {
  bool plain = !v.empty();
  for (unsigned char c : v)
    if (c <= ' ' || c == '"' || c == '=' || c == 0x7f) { plain = false; break; }
  if (plain) { line += v; return; }
  line += '"';
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') { line += '\\'; line += static_cast<char>(c); }
    else if (c < ' ' || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      line += buf;
    } else line += static_cast<char>(c);
  }
  line += '"';
}

}  // namespace

void set_level(Level level) { g_level = static_cast<int>(level); }
Level level() { return static_cast<Level>(g_level.load()); }
void set_output(std::FILE* out) { g_out = out; }

void event(Level lvl, std::string_view name, std::initializer_list<Field> fields) {
  if (static_cast<int>(lvl) < g_level.load()) return;
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[40];
  std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  std::string line = ts;
  line += ' ';
  line += level_name(lvl);
  line += ' ';
  line += name;
  for (const Field& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    append_value(line, f.value);
  }
  line += '\n';
  std::FILE* out = g_out.load();
  if (!out) out = stderr;
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
}

}  // namespace claret::log
