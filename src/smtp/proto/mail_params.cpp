// MAIL/RCPT parameter parsing: RFC 5321 §4.1.2 (esmtp-param), RFC 1870 §6 (SIZE), RFC 6152 §2 and RFC 3030 §3
// (BODY), RFC 6531 §3.4 (SMTPUTF8), RFC 3461 §4.1-§4.4 (NOTIFY, ORCPT, RET, ENVID), RFC 4954 §5 (AUTH=).
#include "smtp/proto/mail_params.hpp"

#include "base/strings.hpp"
#include "smtp/proto/address.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "smtp/proto/syntax.hpp"
#include "smtp/proto/xtext.hpp"

namespace claret::smtp::proto {

namespace {

Error bad_value(std::string_view keyword, std::string_view why) {
  return Error{code::kParamSyntaxError, std::string(why) + " in " + to_upper(keyword) + " parameter"};
}

Error unknown(std::string_view keyword) {
  return Error{code::kParamsNotRecognized, "unrecognized parameter " + to_upper(keyword)};
}

bool valid_keyword(std::string_view k) {
  if (k.empty() || !is_let_dig(static_cast<unsigned char>(k.front()))) return false;
  for (char c : k) {
    if (!is_let_dig(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

bool valid_value(std::string_view v) {
  if (v.empty()) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto c = static_cast<unsigned char>(v[i]);
    if (c >= 0x80) {
      std::size_t n = utf8_sequence_length(v, i);
      if (n == 0) return false;
      i += n - 1;
    } else if (c < 33 || c > 126 || c == '=') {
      return false;
    }
  }
  return true;
}

// Tracks which keywords were seen so repeats are refused (RFC 1869 §6 gives each keyword once per command).
class SeenSet {
 public:
  bool insert(std::string_view keyword) {
    std::string k = to_upper(keyword);
    for (const auto& s : seen_) {
      if (s == k) return false;
    }
    seen_.push_back(std::move(k));
    return true;
  }

 private:
  std::vector<std::string> seen_;
};

Status require_value(const EsmtpParam& p) {
  if (!p.value) return bad_value(p.keyword, "missing value");
  return {};
}

// Each parser accumulates one command's parameters; `add` refuses the first bad one.
struct MailParamsParser {
  MailParams out;
  Status add(const EsmtpParam& p);
};

Status MailParamsParser::add(const EsmtpParam& p) {
  const std::string_view k = p.keyword;
  if (iequals(k, "SIZE")) {
    // size-value = 1*20DIGIT
    if (auto s = require_value(p); !s) return s;
    auto n = parse_u64(*p.value);
    if (!n) return bad_value(k, "invalid number");
    out.size = *n;
  } else if (iequals(k, "BODY")) {
    if (auto s = require_value(p); !s) return s;
    if (iequals(*p.value, "7BIT")) {
      out.body = BodyType::seven_bit;
    } else if (iequals(*p.value, "8BITMIME")) {
      out.body = BodyType::eight_bit_mime;
    } else if (iequals(*p.value, "BINARYMIME")) {
      out.body = BodyType::binary_mime;
    } else {
      return bad_value(k, "unknown body type");
    }
  } else if (iequals(k, "SMTPUTF8")) {
    if (p.value) return bad_value(k, "unexpected value");
    out.smtputf8 = true;
  } else if (iequals(k, "RET")) {
    if (auto s = require_value(p); !s) return s;
    if (iequals(*p.value, "FULL")) {
      out.ret = DsnReturn::full;
    } else if (iequals(*p.value, "HDRS")) {
      out.ret = DsnReturn::headers;
    } else {
      return bad_value(k, "unknown value");
    }
  } else if (iequals(k, "ENVID")) {
    if (auto s = require_value(p); !s) return s;
    if (p.value->size() > limit::kEnvidXtext) return bad_value(k, "value too long");
    auto decoded = xtext_decode(*p.value);
    if (!decoded) return bad_value(k, "invalid xtext");
    // RFC 3461 §4.4: the decoded envelope id is printable US-ASCII.
    for (char c : *decoded) {
      if (c < 32 || c > 126) return bad_value(k, "non-printable character");
    }
    out.envid = std::move(*decoded);
  } else if (iequals(k, "AUTH")) {
    // RFC 4954 §5: AUTH=<> or AUTH=xtext(addr-spec). The addr-spec may be UTF-8 when decoded.
    if (auto s = require_value(p); !s) return s;
    auto decoded = xtext_decode(*p.value);
    if (!decoded) return bad_value(k, "invalid xtext");
    if (*decoded != "<>") {
      if (!parse_mailbox(*decoded, AddressOptions{true})) return bad_value(k, "invalid mailbox");
    }
    out.auth = std::move(*decoded);
  } else {
    return unknown(k);
  }
  return {};
}

struct RcptParamsParser {
  RcptParams out;
  Status add(const EsmtpParam& p);
};

Status RcptParamsParser::add(const EsmtpParam& p) {
  const std::string_view k = p.keyword;
  if (iequals(k, "NOTIFY")) {
    // "NEVER" alone, or a comma list of SUCCESS, FAILURE, DELAY (RFC 3461 §4.1).
    if (auto s = require_value(p); !s) return s;
    NotifyFlags f;
    auto items = split(*p.value, ',');
    for (std::string_view item : items) {
      bool* flag = nullptr;
      if (iequals(item, "NEVER")) {
        flag = &f.never;
      } else if (iequals(item, "SUCCESS")) {
        flag = &f.success;
      } else if (iequals(item, "FAILURE")) {
        flag = &f.failure;
      } else if (iequals(item, "DELAY")) {
        flag = &f.delay;
      } else {
        return bad_value(k, "unknown value");
      }
      if (*flag) return bad_value(k, "repeated value");
      *flag = true;
    }
    if (f.never && items.size() > 1) return bad_value(k, "NEVER combined with other values");
    out.notify = f;
  } else if (iequals(k, "ORCPT")) {
    // orcpt-parameter = "ORCPT=" original-recipient-address; = addr-type ";" xtext
    if (auto s = require_value(p); !s) return s;
    if (p.value->size() > limit::kOrcptValue) return bad_value(k, "value too long");
    auto semi = p.value->find(';');
    if (semi == std::string_view::npos || semi == 0) return bad_value(k, "missing address type");
    std::string_view type = p.value->substr(0, semi);
    for (char c : type) {
      if (!is_atext(static_cast<unsigned char>(c))) return bad_value(k, "invalid address type");
    }
    auto decoded = xtext_decode(p.value->substr(semi + 1));
    if (!decoded || decoded->empty()) return bad_value(k, "invalid xtext");
    out.orcpt = OriginalRecipient{std::string(type), std::move(*decoded)};
  } else {
    return unknown(k);
  }
  return {};
}

template <typename Parser>
Result<decltype(Parser::out)> parse_params(std::string_view text) {
  auto list = split_esmtp_params(text);
  if (!list) return list.error();
  Parser parser;
  SeenSet seen;
  for (const auto& p : list.value()) {
    if (!seen.insert(p.keyword)) return bad_value(p.keyword, "repeated parameter");
    if (auto s = parser.add(p); !s) return s.error();
  }
  return std::move(parser.out);
}

}  // namespace

Result<std::vector<EsmtpParam>> split_esmtp_params(std::string_view text) {
  std::vector<EsmtpParam> out;
  for (std::string_view token : split(text, ' ')) {
    if (token.empty()) continue;
    EsmtpParam p;
    auto eq = token.find('=');
    p.keyword = token.substr(0, eq);
    if (!valid_keyword(p.keyword)) return Error{code::kParamSyntaxError, "invalid parameter syntax"};
    if (eq != std::string_view::npos) {
      p.value = token.substr(eq + 1);
      if (!valid_value(*p.value)) return bad_value(p.keyword, "invalid value syntax");
    }
    out.push_back(p);
  }
  return out;
}

Result<MailParams> parse_mail_params(std::string_view text) {
  return parse_params<MailParamsParser>(text);
}

Result<RcptParams> parse_rcpt_params(std::string_view text) {
  return parse_params<RcptParamsParser>(text);
}

}  // namespace claret::smtp::proto
