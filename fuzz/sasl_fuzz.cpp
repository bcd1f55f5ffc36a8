// SASL server mechanisms (src/auth): PLAIN, LOGIN and SCRAM-SHA-256 driven through whole exchanges, plus the
// stored-credential and SASLprep parsers. The first byte picks the mechanism; the rest is the client's messages
// separated by 0x01 bytes. SCRAM uses the RFC 7677 §3 nonce and account so real exchanges are reachable.
// Invariants: after success or failure every further step fails; failures show the client only the two fixed
// messages; success names the account; SASLprep output is valid UTF-8.
#include <string>

#include "auth/crypt_format.hpp"
#include "auth/sasl_login.hpp"
#include "auth/sasl_mechanism.hpp"
#include "auth/sasl_plain.hpp"
#include "auth/sasl_scram.hpp"
#include "auth/saslprep.hpp"
#include "auth/scram_credential.hpp"
#include "base/base64.hpp"
#include "fuzz_support.hpp"

using namespace claret::auth;

namespace {

// RFC 7677 §3: user "user", password "pencil", this salt and 4096 iterations.
const std::string& scram_credential() {
  static const std::string stored = format_scram_sha256(
      derive_scram_sha256("pencil", *claret::base64_decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096));
  return stored;
}

// Password hashes are never checked for real here: Argon2id costs 64 MiB and tens of milliseconds a try, which
// would stop the fuzzer. "{PLAIN}" is a scheme verify_password refuses at once, so PLAIN and LOGIN still run
// their whole parse and lookup path. Names starting with "x" are unknown accounts (SCRAM's fake exchange).
std::optional<Credentials> lookup(std::string_view user) {
  if (!user.empty() && user[0] == 'x') return std::nullopt;
  return Credentials{"{PLAIN}pencil", scram_credential()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  claret::fuzz::Reader in(claret::fuzz::as_text(data, size));
  const std::uint8_t which = in.byte();
  std::unique_ptr<SaslMechanism> mech;
  switch (which % 3) {
    case 0:
      mech = std::make_unique<PlainMechanism>(lookup);
      break;
    case 1:
      mech = std::make_unique<LoginMechanism>(lookup);
      break;
    default:
      mech = std::make_unique<ScramSha256Mechanism>(lookup, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
      break;
  }
  const SaslStep first = mech->start();
  FUZZ_CHECK(first.kind == SaslStepKind::challenge);
  bool finished = false;
  for (int steps = 0; steps < 8 && !in.empty(); ++steps) {
    const std::string_view message = in.until('\x01');
    const SaslStep step = mech->step(message);
    if (finished) FUZZ_CHECK(step.kind == SaslStepKind::failure);
    switch (step.kind) {
      case SaslStepKind::challenge:
        break;
      case SaslStepKind::success:
        FUZZ_CHECK(!step.authcid.empty());
        FUZZ_CHECK(!step.authzid.empty());
        FUZZ_CHECK(step.authcid[0] != 'x');  // an unknown account never gets in
        finished = true;
        break;
      case SaslStepKind::failure:
        FUZZ_CHECK(step.reason == kAuthFailed || step.reason == kMalformed);
        finished = true;
        break;
    }
    (void)saslprep_map(message);
    FUZZ_CHECK(claret::fuzz::valid_utf8(saslprep_map(message)) || !claret::fuzz::valid_utf8(message));
    (void)parse_scram_sha256(message);
    if (auto kind = crypt_kind(message)) (void)check_crypt_string(message, *kind);
  }
  return 0;
}
