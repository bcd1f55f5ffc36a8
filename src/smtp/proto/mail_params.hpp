// MAIL and RCPT parameters (RFC 5321 §4.1.2 esmtp-param): SIZE (RFC 1870 §6), BODY (RFC 6152 §2, RFC 3030 §3),
// SMTPUTF8 (RFC 6531 §3.4), RET/ENVID (RFC 3461 §4.3-4.4), AUTH= (RFC 4954 §5), NOTIFY/ORCPT (RFC 3461 §4.1-4.2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace claret::smtp::proto {

// esmtp-param = esmtp-keyword ["=" esmtp-value], views into the command line.
struct EsmtpParam {
  std::string_view keyword;
  std::optional<std::string_view> value;
};

// Splits "K1=V1 K2" into parameters. Runs of spaces are tolerated. Errors: 501 on bad keyword or value syntax
// (esmtp-value = 1*(%d33-60 / %d62-126), plus UTF-8 per RFC 6531 §3.3).
Result<std::vector<EsmtpParam>> split_esmtp_params(std::string_view text);

enum class BodyType { unspecified, seven_bit, eight_bit_mime, binary_mime };
enum class DsnReturn { unspecified, full, headers };

struct MailParams {
  std::optional<std::uint64_t> size;    // declared size; the server compares it with its limit (552)
  BodyType body = BodyType::unspecified;
  bool smtputf8 = false;
  DsnReturn ret = DsnReturn::unspecified;
  std::optional<std::string> envid;     // decoded xtext
  std::optional<std::string> auth;      // decoded xtext: an addr-spec, or "<>" for "identity unknown"
};

struct NotifyFlags {
  bool never = false;
  bool success = false;
  bool failure = false;
  bool delay = false;
};

struct OriginalRecipient {
  std::string addr_type;  // as given, normally "rfc822" (RFC 3461 §4.2)
  std::string address;    // decoded xtext
};

struct RcptParams {
  std::optional<NotifyFlags> notify;
  std::optional<OriginalRecipient> orcpt;
};

// Keywords are case-insensitive. Errors: 555 for an unknown keyword, 501 for a bad value, a value on a
// keyword that takes none (or the reverse), and a repeated keyword.
Result<MailParams> parse_mail_params(std::string_view text);
Result<RcptParams> parse_rcpt_params(std::string_view text);

}  // namespace claret::smtp::proto
