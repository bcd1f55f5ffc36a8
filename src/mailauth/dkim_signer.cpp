// DKIM-Signature generation (RFC 6376 §3.5 tags, §3.7 hashing, §5.4 header selection, §3.2 folding in
// tag values; RFC 8463 §3 ed25519-sha256).
#include "mailauth/dkim_signer.hpp"

#include <chrono>
#include <stdexcept>

#include "base/base64.hpp"
#include "base/strings.hpp"
#include "mailauth/dkim_hash.hpp"
#include "mailauth/header_fields.hpp"

namespace claret::mailauth {

namespace {

// RFC 5322 §2.1.1: lines SHOULD NOT exceed 78 characters. Folding happens only where DKIM's grammar
// allows FWS: between tags, around ':' in h=, and anywhere inside base64 values.
constexpr size_t kMaxLine = 78;

class FieldFolder {
 public:
  explicit FieldFolder(std::string_view name) : text_(name), line_(name.size()) {}

  // Adds `token` after a space, or on a new continuation line when it would not fit.
  void word(std::string_view token) {
    if (line_ + 1 + token.size() > kMaxLine) fold();
    else append(" ");
    append(token);
  }
  // Appends `token` with no separator, folding first when it would not fit.
  void piece(std::string_view token) {
    if (line_ + token.size() > kMaxLine && line_ > 1) fold();
    append(token);
  }
  // Appends base64 text split across lines as needed (FWS inside base64 is ignored, RFC 6376 §3.5).
  void base64(std::string_view b64) {
    while (!b64.empty()) {
      if (line_ >= kMaxLine) fold();
      size_t room = kMaxLine - line_;
      append(b64.substr(0, room));
      b64.remove_prefix(std::min(room, b64.size()));
    }
  }
  const std::string& text() const { return text_; }

 private:
  void fold() {
    text_ += "\r\n\t";
    line_ = 1;
  }
  void append(std::string_view s) {
    text_ += s;
    line_ += s.size();
  }

  std::string text_;
  size_t line_;
};

bool contains_ci(const std::vector<std::string>& names, std::string_view name) {
  for (const auto& n : names)
    if (iequals(n, name)) return true;
  return false;
}

}  // namespace

DkimSigner::DkimSigner(std::string domain, std::string selector, PrivateKey key, SignerOptions options)
    : domain_(std::move(domain)), selector_(std::move(selector)), key_(std::move(key)), options_(std::move(options)) {}

Result<DkimSigner> DkimSigner::from_file(std::string domain, std::string selector, const std::filesystem::path& pem,
                                         SignerOptions options) {
  auto key = PrivateKey::load(pem);
  if (!key) return key.error();
  return DkimSigner(std::move(domain), std::move(selector), std::move(key).value(), std::move(options));
}

std::string DkimSigner::sign(std::string_view message) const {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return sign(message, static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count()));
}

std::string DkimSigner::sign(std::string_view message, uint64_t unix_time) const {
  std::string normalized;
  if (has_bare_lf(message)) {
    normalized = to_crlf(message);
    message = normalized;
  }
  SplitMessage split = split_message(message);

  std::vector<std::string> h;
  for (const auto& name : options_.headers) {
    size_t count = 0;
    for (const auto& f : split.fields) count += iequals(f.name, name) ? 1 : 0;
    if (contains_ci(options_.oversign, name)) ++count;
    for (size_t i = 0; i < count; ++i) h.push_back(name);
  }
  for (const auto& name : options_.oversign)  // over-signed fields outside `headers` are still listed once
    if (!contains_ci(options_.headers, name)) h.push_back(name);

  auto bh = body_hash(Canon::relaxed, split.body);
  if (!bh) throw std::logic_error("body hash without length limit failed: " + bh.error().message);

  FieldFolder f("DKIM-Signature:");
  f.word("v=1;");
  f.word(std::string("a=") + signing_algorithm_name(key_.algorithm()) + ";");
  f.word("c=relaxed/relaxed;");
  f.word("d=" + domain_ + ";");
  f.word("s=" + selector_ + ";");
  f.word("t=" + std::to_string(unix_time) + ";");
  if (options_.expire_after_s) f.word("x=" + std::to_string(unix_time + *options_.expire_after_s) + ";");
  for (size_t i = 0; i < h.size(); ++i) {
    std::string piece = (i == 0 ? "h=" : ":") + h[i] + (i + 1 == h.size() ? ";" : "");
    if (i == 0) f.word(piece);
    else f.piece(piece);
  }
  f.word("bh=" + base64_encode(*bh) + ";");  // 48 characters: always fits on a line of its own
  f.word("b=");
  // The signature covers this very field with b= empty (§3.7), so hash the text built so far.
  std::string data = signed_header_data(Canon::relaxed, split.fields, h, f.text());
  auto signature = key_.sign(data);
  if (!signature) throw std::runtime_error("DKIM signing failed: " + signature.error().message);
  f.base64(base64_encode(*signature));
  return f.text() + "\r\n";
}

}  // namespace claret::mailauth
