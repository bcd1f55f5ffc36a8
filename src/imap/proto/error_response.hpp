// Maps receiver and argument-parser errors to the response the client gets (RFC 9051 §7.1: BAD, TOOBIG,
// BADCHARSET, LIMIT), so every session answers the same way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/receiver.hpp"

namespace claret::imap::proto {

// "tag BAD [TOOBIG] Literal too big\r\n", "* BAD Line too long\r\n" (no tag known), …
std::string receive_error_response(const ReceiveError& e);
// "tag NO [TOOBIG] …" for a synchronizing literal that was refused (LiteralRequest::accepted == false).
std::string literal_refused_response(const LiteralRequest& r);
// "tag BAD msg", "tag BAD [LIMIT] msg" or "tag NO [BADCHARSET (UTF-8 US-ASCII)] msg" for a parse_command error.
std::string parse_error_response(std::string_view tag, const Error& e);

inline const std::vector<std::string> kSearchCharsets = {"UTF-8", "US-ASCII"};

}  // namespace claret::imap::proto
