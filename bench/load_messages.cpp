// Test messages for the SMTP load generator: realistic multipart bodies (RFC 2045/2046) generated once,
// in SMTP DATA form (RFC 5321 §4.5.2 dot-stuffing, CRLF line ends).
#include "load_messages.hpp"

#include <ctime>
#include <random>

#include "base/base64.hpp"

namespace claret::bench {
namespace {

constexpr const char* kWords[] = {
    "the",      "meeting",  "quarterly", "report",  "attached", "please",   "review",   "before",  "friday",
    "budget",   "project",  "schedule",  "update",  "customer", "feedback", "shipping", "invoice", "thanks",
    "regards",  "team",     "office",    "monday",  "call",     "agenda",   "notes",    "draft",   "version",
    "release",  "server",   "deadline",  "minutes", "question", "answer",   "follow",   "up",      "with",
    "and",      "for",      "our",       "new",     "account",  "details",  "below",    "see",     "also",
    "planning", "travel",   "hotel",     "booking", "confirm",  "weekend",  "lunch",    "agreed",  "contract",
    "renewal",  "pricing",  "options",   "summary", "numbers",  "growth",   "market",   "share",   "support"};
constexpr size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

// Pseudo-English text wrapped at 72 columns; every line starts with a letter, so no dot-stuffing is needed.
std::string make_text(std::mt19937_64& rng, size_t target, std::string_view line_prefix, std::string_view line_suffix) {
  std::string out;
  std::string line;
  while (out.size() < target) {
    std::string_view word = kWords[rng() % kWordCount];
    if (!line.empty() && line.size() + 1 + word.size() > 72) {
      out.append(line_prefix).append(line).append(line_suffix).append("\r\n");
      line.clear();
      // A blank line now and then makes paragraphs, as real mail has.
      if (rng() % 6 == 0) out.append("\r\n");
      continue;
    }
    if (!line.empty()) line += ' ';
    line.append(word);
  }
  if (!line.empty()) out.append(line_prefix).append(line).append(line_suffix).append("\r\n");
  return out;
}

// The alternative part: about 2.6 KB of text/plain and 2.9 KB of text/html carrying the same words.
std::string make_alternative(std::mt19937_64& rng, std::string_view boundary) {
  std::string out;
  out += "--" + std::string(boundary) + "\r\n";
  out += "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n";
  out += make_text(rng, 2600, "", "");
  out += "--" + std::string(boundary) + "\r\n";
  out += "Content-Type: text/html; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n";
  out += "<html><head><meta charset=\"us-ascii\"></head><body>\r\n";
  out += make_text(rng, 2700, "<p>", "</p>");
  out += "</body></html>\r\n";
  out += "--" + std::string(boundary) + "--\r\n";
  return out;
}

// Base64 (RFC 2045 §6.8) in 76-character lines.
std::string wrap76(const std::string& encoded) {
  std::string out;
  out.reserve(encoded.size() + encoded.size() / 76 * 2 + 2);
  for (size_t i = 0; i < encoded.size(); i += 76) out.append(encoded, i, 76).append("\r\n");
  return out;
}

std::string rfc5322_date(std::time_t now) {
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace

std::optional<MessageKind> parse_message_kind(std::string_view text) {
  if (text == "6k") return MessageKind::kAlternative6k;
  if (text == "100k") return MessageKind::kAttachment100k;
  return std::nullopt;
}

MessageTemplate::MessageTemplate(MessageKind kind, uint64_t seed) : date_(rfc5322_date(std::time(nullptr))) {
  std::mt19937_64 rng(seed);
  const std::string alt = "=_claret_bench_alt_7f3a9c";
  body_ = "MIME-Version: 1.0\r\n";
  if (kind == MessageKind::kAlternative6k) {
    body_ += "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
    body_ += "This is a multi-part message in MIME format.\r\n\r\n";
    body_ += make_alternative(rng, alt);
    return;
  }
  const std::string mixed = "=_claret_bench_mixed_41d2e8";
  body_ += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
  body_ += "This is a multi-part message in MIME format.\r\n\r\n";
  body_ += "--" + mixed + "\r\n";
  body_ += "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
  body_ += make_alternative(rng, alt);
  body_ += "\r\n--" + mixed + "\r\n";
  body_ += "Content-Type: application/pdf; name=\"quarterly-report.pdf\"\r\n";
  body_ += "Content-Transfer-Encoding: base64\r\n";
  body_ += "Content-Disposition: attachment; filename=\"quarterly-report.pdf\"\r\n\r\n";
  // Random bytes do not compress, like a real PDF's streams.
  std::string binary(69000, '\0');
  for (auto& c : binary) c = static_cast<char>(rng() & 0xff);
  body_ += wrap76(base64_encode(binary));
  body_ += "--" + mixed + "--\r\n";
}

std::string MessageTemplate::data_for(std::string_view from, std::string_view to, std::string_view message_id,
                                      uint64_t sequence) const {
  std::string out;
  out.reserve(body_.size() + 512);
  out.append("From: Load Generator <").append(from).append(">\r\n");
  out.append("To: <").append(to).append(">\r\n");
  out.append("Subject: claret benchmark message ").append(std::to_string(sequence)).append("\r\n");
  out.append("Date: ").append(date_).append("\r\n");
  out.append("Message-ID: ").append(message_id).append("\r\n");
  out.append(body_);
  out.append(".\r\n");
  return out;
}

std::string make_message_id(uint64_t sequence, uint64_t nonce, std::string_view domain) {
  std::string id = "<";
  id.append(std::to_string(sequence)).append(".").append(std::to_string(nonce)).append("@").append(domain).append(">");
  return id;
}

}  // namespace claret::bench
