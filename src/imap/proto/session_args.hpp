// Arguments of the session commands: AUTHENTICATE (RFC 9051 §6.2.2, SASL-IR RFC 4959 §3), LOGIN (§6.2.3),
// ENABLE (RFC 5161 §3.1), ID (RFC 2971 §3.1), COMPRESS (RFC 4978 §3), the quota commands (RFC 9208 §4), and the
// commands without arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/parse_options.hpp"

namespace claret::imap::proto {

struct NoArgs {};

struct AuthenticateArgs {
  std::string mechanism;                        // upper case
  std::optional<std::string> initial_response;  // decoded; "=" is the empty response (RFC 4959 §3)
};

struct LoginArgs {
  std::string user;
  std::string password;
};

struct EnableArgs {
  std::vector<std::string> capabilities;  // upper case
};

struct IdArgs {
  // nullopt for "ID NIL"; otherwise the field/value pairs (value nullopt for NIL). RFC 2971 §3.3: at most 30
  // pairs, fields up to 30 bytes, values up to 1024 bytes.
  std::optional<std::vector<std::pair<std::string, std::optional<std::string>>>> params;
};

struct CompressArgs {
  std::string algorithm;  // upper case; only DEFLATE is defined
};

struct QuotaRootArgs {  // GETQUOTA
  std::string root;
};

struct SetQuotaArgs {
  std::string root;
  std::vector<std::pair<std::string, std::uint64_t>> limits;  // resource name (upper case), limit
};

Result<NoArgs> parse_no_args(std::string_view args);
Result<AuthenticateArgs> parse_authenticate(std::string_view args);
Result<LoginArgs> parse_login(std::string_view args);
Result<EnableArgs> parse_enable(std::string_view args);
Result<IdArgs> parse_id(std::string_view args);
Result<CompressArgs> parse_compress(std::string_view args);
Result<QuotaRootArgs> parse_getquota(std::string_view args);
Result<SetQuotaArgs> parse_setquota(std::string_view args);

// A client line answering an AUTHENTICATE challenge (RFC 9051 §6.2.2): base64, or "*" to cancel.
struct AuthResponse {
  bool cancel = false;
  std::string data;
};
Result<AuthResponse> parse_auth_response(std::string_view line);

}  // namespace claret::imap::proto
