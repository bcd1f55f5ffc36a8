// imaps://host:port, imap://host:port, submissions://host:port, submission://host:port → where and how to connect.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace claret::webmail {

struct ServerUrl {
  std::string host;
  std::uint16_t port = 0;
  bool implicit_tls = false;  // imaps / submissions; else STARTTLS, always required
};

// Default ports: imaps 993, imap 143, submissions 465, submission 587. IPv6 literals in brackets.
// `kind` is "imap" or "submission".
Result<ServerUrl> parse_server_url(std::string_view url, std::string_view kind);

}  // namespace claret::webmail
