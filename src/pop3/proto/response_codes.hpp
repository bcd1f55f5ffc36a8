// POP3 status indicators and extended response codes (RFC 1939 §3, RFC 2449 §8, RFC 3206 §4-§5, RFC 5034 §8).
#pragma once

#include <string_view>

namespace claret::pop3::proto {

inline constexpr std::string_view kOk = "+OK";
inline constexpr std::string_view kErr = "-ERR";
// RFC 5034 §4: a server challenge during AUTH is "+" SP base64.
inline constexpr std::string_view kContinue = "+";

// Extended response codes carried in brackets after -ERR (RFC 2449 §8: "-ERR [CODE] text").
enum class RespCode {
  none,
  in_use,       // RFC 2449 §8.1.1 IN-USE: the maildrop is locked by another session
  login_delay,  // RFC 2449 §8.1.2 LOGIN-DELAY: logged in too recently
  sys_temp,     // RFC 3206 §4 SYS/TEMP: transient system problem, retry later
  sys_perm,     // RFC 3206 §4 SYS/PERM: permanent system problem, do not retry
  auth,         // RFC 3206 §5 AUTH: the credentials were wrong (AUTH-RESP-CODE, RFC 2449 §6.8 / RFC 5034)
};

constexpr std::string_view resp_code_text(RespCode code) {
  switch (code) {
    case RespCode::none: return "";
    case RespCode::in_use: return "IN-USE";
    case RespCode::login_delay: return "LOGIN-DELAY";
    case RespCode::sys_temp: return "SYS/TEMP";
    case RespCode::sys_perm: return "SYS/PERM";
    case RespCode::auth: return "AUTH";
  }
  return "";
}

}  // namespace claret::pop3::proto
