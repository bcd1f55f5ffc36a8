// Error responses for framing and argument errors: RFC 9051 §7.1 (BAD, TOOBIG, BADCHARSET), RFC 5530 LIMIT.
#include "imap/proto/error_response.hpp"

#include "imap/proto/cursor.hpp"
#include "imap/proto/response.hpp"
#include "imap/proto/response_codes.hpp"

namespace claret::imap::proto {

std::string receive_error_response(const ReceiveError& e) {
  std::string tag = e.tag.empty() ? "*" : e.tag;
  std::string code_text;
  switch (e.kind) {
    case ReceiveErrorKind::literal_too_big:
    case ReceiveErrorKind::command_too_big:
    case ReceiveErrorKind::line_too_long:
      code_text = response_code(code::kTooBig);
      break;
    case ReceiveErrorKind::too_many_arguments:
    case ReceiveErrorKind::too_deep:
      code_text = response_code(code::kLimit);
      break;
    case ReceiveErrorKind::syntax:
    case ReceiveErrorKind::nul:
      break;
  }
  return tagged(tag, Condition::bad, code_text, e.message);
}

std::string literal_refused_response(const LiteralRequest& r) {
  return tagged(r.tag, Condition::no, response_code(code::kTooBig), "Literal too big");
}

std::string parse_error_response(std::string_view tag, const Error& e) {
  switch (static_cast<ParseErrc>(e.code)) {
    case ParseErrc::bad_charset:
      return tagged(tag, Condition::no, code_bad_charset(kSearchCharsets), e.message);
    case ParseErrc::limit:
      return tagged(tag, Condition::bad, response_code(code::kLimit), e.message);
    case ParseErrc::syntax:
      break;
  }
  return tagged(tag, Condition::bad, "", e.message);
}

}  // namespace claret::imap::proto
