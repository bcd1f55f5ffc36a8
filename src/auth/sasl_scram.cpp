// SCRAM-SHA-256 server (RFC 5802 §5 exchange, §7 grammar, §3 proof verification; RFC 7677 §3).
#include "auth/sasl_scram.hpp"

#include <optional>
#include <vector>

#include "auth/crypto_util.hpp"
#include "auth/saslprep.hpp"
#include "base/base64.hpp"
#include "base/strings.hpp"

namespace claret::auth {

namespace {

// printable = %x21-2B / %x2D-7E (RFC 5802 §7): visible ASCII except ','.
bool is_printable_nonce(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7E || c == ',') return false;
  }
  return true;
}

// saslname (RFC 5802 §7): '=' only as "=2C" (',') or "=3D" ('='); no NUL; UTF-8.
std::optional<std::string> decode_saslname(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdentityLength) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\0' || c == ',') return std::nullopt;
    if (c == '=') {
      std::string_view esc = s.substr(i + 1, 2);
      if (esc == "2C") out += ',';
      else if (esc == "3D") out += '=';
      else return std::nullopt;
      i += 2;
    } else {
      out += c;
    }
  }
  if (!is_valid_utf8(out)) return std::nullopt;
  return out;
}

// attr-val = ALPHA "=" value (RFC 5802 §7); returns the value if `attr` has the given letter.
std::optional<std::string_view> attr_value(std::string_view attr, char letter) {
  if (attr.size() < 2 || attr[0] != letter || attr[1] != '=') return std::nullopt;
  return attr.substr(2);
}

bool is_extension(std::string_view attr) {
  return attr.size() >= 3 && ((attr[0] >= 'a' && attr[0] <= 'z') || (attr[0] >= 'A' && attr[0] <= 'Z')) &&
         attr[1] == '=';
}

// A per-process secret so an unknown user gets the same fake salt on every attempt (a salt that
// changed between attempts would reveal that the account does not exist).
const std::string& fake_salt_key() {
  static const std::string key = random_bytes(32);
  return key;
}

}  // namespace

SaslStep ScramSha256Mechanism::fail(std::string_view reason, std::string detail) {
  state_ = State::done;
  return sasl_failure(reason, "SCRAM-SHA-256: " + detail);
}

SaslStep ScramSha256Mechanism::start() {
  if (state_ != State::want_client_first) return fail(kMalformed, "start after the exchange began");
  return sasl_challenge("");
}

SaslStep ScramSha256Mechanism::step(std::string_view client_data) {
  if (client_data.size() > kMaxClientMessage) return fail(kMalformed, "client message too long");
  switch (state_) {
    case State::want_client_first: return on_client_first(client_data);
    case State::want_client_final: return on_client_final(client_data);
    case State::want_ack:
      if (!client_data.empty()) return fail(kMalformed, "non-empty reply to server-final-message");
      state_ = State::done;
      return sasl_success(username_, username_);
    case State::done: break;
  }
  return fail(kMalformed, "exchange already finished");
}

SaslStep ScramSha256Mechanism::on_client_first(std::string_view msg) {
  // gs2-header = gs2-cbind-flag "," [ authzid ] ","
  if (msg.substr(0, 2) == "p=") return fail(kMalformed, "channel binding requested but not supported");
  if (msg.size() < 2 || (msg[0] != 'n' && msg[0] != 'y') || msg[1] != ',') {
    return fail(kMalformed, "malformed gs2 channel-binding flag");
  }
  size_t comma = msg.find(',', 2);
  if (comma == std::string_view::npos) return fail(kMalformed, "gs2 header not terminated");
  std::string_view authzid_attr = msg.substr(2, comma - 2);
  std::optional<std::string> authzid;
  if (!authzid_attr.empty()) {
    auto value = attr_value(authzid_attr, 'a');
    if (!value) return fail(kMalformed, "malformed gs2 authzid");
    authzid = decode_saslname(*value);
    if (!authzid) return fail(kMalformed, "malformed gs2 authzid");
  }
  gs2_header_ = std::string(msg.substr(0, comma + 1));
  client_first_bare_ = std::string(msg.substr(comma + 1));

  std::vector<std::string_view> attrs = split(client_first_bare_, ',');
  if (!attrs.empty() && attrs[0].substr(0, 2) == "m=") return fail(kMalformed, "unsupported mandatory extension");
  if (attrs.size() < 2) return fail(kMalformed, "client-first-message needs n= and r=");
  auto user_attr = attr_value(attrs[0], 'n');
  auto nonce_attr = attr_value(attrs[1], 'r');
  if (!user_attr || !nonce_attr) return fail(kMalformed, "client-first-message needs n= then r=");
  auto username = decode_saslname(*user_attr);
  if (!username) return fail(kMalformed, "malformed username");
  if (!is_printable_nonce(*nonce_attr)) return fail(kMalformed, "malformed client nonce");
  for (size_t i = 2; i < attrs.size(); ++i) {
    if (!is_extension(attrs[i])) return fail(kMalformed, "malformed extension attribute");
  }
  if (authzid && *authzid != *username) return fail(kAuthFailed, "authzid differs from username");
  username_ = std::move(*username);

  std::optional<Credentials> creds = lookup_ ? lookup_(username_) : std::nullopt;
  auto parsed = creds && !creds->scram_sha256.empty() ? parse_scram_sha256(creds->scram_sha256)
                                                      : Result<ScramCredential>(make_error("no SCRAM credential"));
  if (parsed) {
    credential_ = std::move(*parsed);
  } else {
    fake_ = true;
    credential_.iterations = kScramIterations;
    credential_.salt = hmac_sha256(fake_salt_key(), username_).substr(0, kScramSaltBytes);
    credential_.stored_key = random_bytes(32);
    credential_.server_key = random_bytes(32);
  }

  std::string server_nonce = fixed_server_nonce_.empty() ? base64_encode(random_bytes(18)) : fixed_server_nonce_;
  nonce_ = std::string(*nonce_attr) + server_nonce;
  server_first_ = "r=" + nonce_ + ",s=" + base64_encode(credential_.salt) + ",i=" + std::to_string(credential_.iterations);
  state_ = State::want_client_final;
  return sasl_challenge(server_first_);
}

SaslStep ScramSha256Mechanism::on_client_final(std::string_view msg) {
  // client-final-message = channel-binding "," nonce ["," extensions] "," proof
  std::vector<std::string_view> attrs = split(msg, ',');
  if (attrs.size() < 3) return fail(kMalformed, "client-final-message needs c=, r= and p=");
  auto cbind = attr_value(attrs[0], 'c');
  auto nonce = attr_value(attrs[1], 'r');
  auto proof_b64 = attr_value(attrs.back(), 'p');
  if (!cbind || !nonce || !proof_b64) return fail(kMalformed, "client-final-message needs c=, r= then p= last");
  for (size_t i = 2; i + 1 < attrs.size(); ++i) {
    if (!is_extension(attrs[i])) return fail(kMalformed, "malformed extension attribute");
  }
  // Without channel binding, c= carries exactly the gs2 header the client sent first (RFC 5802 §7).
  auto cbind_data = base64_decode(*cbind);
  if (!cbind_data || *cbind_data != gs2_header_) return fail(kMalformed, "channel-binding data does not match gs2 header");
  if (*nonce != nonce_) return fail(kMalformed, "nonce mismatch");
  auto proof = base64_decode(*proof_b64);
  if (!proof || proof->size() != 32) return fail(kMalformed, "ClientProof is not 32 bytes of base64");

  // Everything before ",p=" is client-final-message-without-proof.
  std::string_view without_proof = msg.substr(0, msg.size() - attrs.back().size() - 1);
  std::string auth_message = client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  std::string client_signature = hmac_sha256(credential_.stored_key, auth_message);
  std::string client_key = xor_bytes(*proof, client_signature);
  bool proof_ok = constant_time_equal(sha256(client_key), credential_.stored_key);
  if (!proof_ok || fake_) return fail(kAuthFailed, fake_ ? "unknown user or no SCRAM credential" : "invalid proof");

  std::string server_signature = hmac_sha256(credential_.server_key, auth_message);
  state_ = State::want_ack;
  return sasl_challenge("v=" + base64_encode(server_signature));
}

}  // namespace claret::auth
