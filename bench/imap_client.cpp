// Blocking IMAP client for the load generators (see imap_client.hpp).
#include "imap_client.hpp"

#include "base/strings.hpp"

namespace claret::bench {
namespace {

constexpr size_t kMaxLine = 1024 * 1024;
constexpr uint64_t kMaxLiteral = 256 * 1024 * 1024;

}  // namespace

bool ends_with_literal(std::string_view line, uint64_t& size) {
  if (line.empty() || line.back() != '}') return false;
  size_t open = line.rfind('{');
  if (open == std::string_view::npos) return false;
  std::string_view digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  auto n = parse_u64(digits);
  if (!n) return false;
  size = *n;
  return true;
}

Result<ImapClient> ImapClient::open(const std::string& host, uint16_t port, std::chrono::milliseconds timeout) {
  auto sock = LineSocket::connect(host, port, timeout);
  if (!sock) return sock.error();
  ImapClient client(std::move(*sock));
  auto greeting = client.sock_.read_line(kMaxLine);
  if (!greeting) return greeting.error();
  if (greeting->rfind("* OK", 0) != 0) return make_error("greeting: " + *greeting);
  return client;
}

Result<std::string> ImapClient::read_response_line(uint64_t& bytes) {
  std::string out;
  for (;;) {
    auto line = sock_.read_line(kMaxLine);
    if (!line) return line.error();
    bytes += line->size() + 2;
    out += *line;
    uint64_t size = 0;
    if (!ends_with_literal(*line, size)) return out;
    if (size > kMaxLiteral) return make_error("literal too large: " + std::to_string(size));
    auto literal = sock_.read_exact(size);
    if (!literal) return literal.error();
    bytes += size;
    out += "\r\n";
    out += *literal;
  }
}

Result<ImapResponse> ImapClient::command(std::string_view command) {
  std::string tag = "a" + std::to_string(next_tag_++);
  std::string line = tag + " " + std::string(command) + "\r\n";
  if (auto st = sock_.write_all(line); !st) return st.error();
  ImapResponse r;
  for (;;) {
    auto resp = read_response_line(r.bytes);
    if (!resp) return resp.error();
    if (resp->rfind(tag + " ", 0) == 0) {
      std::string_view rest = std::string_view(*resp).substr(tag.size() + 1);
      r.status = std::string(rest.substr(0, rest.find(' ')));
      r.text = *resp;
      return r;
    }
    if (resp->rfind("* ", 0) == 0) r.untagged.push_back(std::move(*resp));
    else if (resp->rfind("+", 0) == 0) return make_error("unexpected continuation to " + std::string(command));
    else return make_error("unexpected line: " + resp->substr(0, 200));
  }
}

Result<ImapResponse> ImapClient::ok(std::string_view text) {
  auto r = command(text);
  if (!r) return r.error();
  if (r->status != "OK") return make_error(std::string(text.substr(0, text.find(' '))) + ": " + r->text);
  return r;
}

Status ImapClient::start_idle() {
  idle_tag_ = "a" + std::to_string(next_tag_++);
  if (auto st = sock_.write_all(idle_tag_ + " IDLE\r\n"); !st) return st.error();
  for (;;) {
    uint64_t bytes = 0;
    auto line = read_response_line(bytes);
    if (!line) return line.error();
    if (line->rfind("+", 0) == 0) return {};
    if (line->rfind(idle_tag_ + " ", 0) == 0) return make_error("IDLE: " + *line);
  }
}

Status ImapClient::end_idle() {
  if (auto st = sock_.write_all("DONE\r\n"); !st) return st.error();
  for (;;) {
    uint64_t bytes = 0;
    auto line = read_response_line(bytes);
    if (!line) return line.error();
    if (line->rfind(idle_tag_ + " OK", 0) == 0) return {};
    if (line->rfind(idle_tag_ + " ", 0) == 0) return make_error("IDLE: " + *line);
  }
}

}  // namespace claret::bench
