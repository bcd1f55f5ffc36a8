// Trace header fields added at final delivery: Return-Path (RFC 5321 §4.4) and Received (RFC 5321 §4.4,
// RFC 5322 §3.6.7, "with" protocol names from RFC 3848).
#pragma once

#include <cstdint>
#include <string>

namespace claret::mail {

struct ReceivedInfo {
  std::string helo;          // what the client said in EHLO/HELO/LHLO ("" for local submission)
  std::string client_ip;     // "" for local submission
  std::string by_host;       // this server's host name
  std::string protocol;      // SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA, LMTP, LMTPS, or "local"
  std::string tls;           // e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384" ("" without TLS)
  std::string id;            // the transaction id, also logged
  std::string for_recipient; // only when there is exactly one recipient (RFC 5321 §4.4 privacy note)
  int64_t time = 0;          // unix seconds
};

// "Return-Path: <sender>\r\n"; the null sender gives "<>".
std::string return_path_header(const std::string& reverse_path);
// A folded "Received: ...\r\n" field.
std::string received_header(const ReceivedInfo& info);
// RFC 5322 §3.3 date-time in UTC, e.g. "Wed, 02 Dec 2026 16:30:00 +0000".
std::string rfc5322_date(int64_t unix_time);

}  // namespace claret::mail
