// POP3 response serializers: status lines with RFC 2449 §8 / RFC 3206 response codes, RFC 5034 §4 SASL
// challenges, and multi-line responses with byte-stuffing (RFC 1939 §3).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pop3/proto/response_codes.hpp"

namespace claret::pop3::proto {

// "+OK text\r\n" ("+OK\r\n" when text is empty). CR and LF in text are replaced by spaces, so a value that
// reaches a reply can never end it early and inject a second one.
std::string ok(std::string_view text);
// "-ERR [CODE] text\r\n" (no brackets for RespCode::none).
std::string err(std::string_view text, RespCode code = RespCode::none);
// "+ base64(data)\r\n": one SASL server challenge (RFC 5034 §4; an empty challenge is "+ \r\n").
std::string challenge(std::string_view data);
// "+OK first\r\n", each line dot-stuffed and CRLF-terminated, then ".\r\n" (RFC 1939 §3).
std::string multiline(std::string_view first, const std::vector<std::string>& lines);
// One line of a multi-line response: a leading '.' is doubled.
std::string dot_stuff_line(std::string_view line);

}  // namespace claret::pop3::proto
