// build_dsn: delivery status notifications as RFC 3464 multipart/report messages (RFC 6522) — a human-readable
// part, message/delivery-status (RFC 3464 §2.2-2.3) and the original headers (text/rfc822-headers) or message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace claret::queue {

enum class DsnAction { failed, delayed, delivered };  // RFC 3464 §2.3.3 (relayed/expanded are not produced)

struct DsnRecipient {
  std::string address;     // Final-Recipient (rfc822)
  std::string orcpt;       // Original-Recipient as "rfc822;addr" from ORCPT, or empty
  DsnAction action = DsnAction::failed;
  std::string status;      // RFC 3463 code, e.g. "5.1.1"
  std::string remote_mta;  // host name of the server that answered, or empty
  std::string diagnostic;  // the server's reply ("550 5.1.1 no such user"), or our own reason
};

struct DsnInput {
  std::string reporting_mta;  // our host name
  std::string to;             // the original envelope sender (the DSN's recipient)
  std::string envid;          // ENVID, if any
  bool return_full = false;   // RET=FULL: include the whole message (failures only), else only its headers
  int64_t arrival = 0;
  int64_t now = 0;
  int64_t retry_until = 0;    // for delayed: when we give up
  std::vector<DsnRecipient> recipients;
  std::string_view original;  // the queued message
  std::string message_id;     // for the DSN's Message-ID, without angle brackets
};

// The DSN message (CRLF line endings), sent with a null reverse path (RFC 3461 §6.2, RFC 5321 §4.5.5).
std::string build_dsn(const DsnInput& input);

// "Wed, 02 Dec 2026 16:55:18 +0000" (RFC 5322 §3.3), in UTC.
std::string format_rfc5322_date(int64_t unix_seconds);

// The status code for a reply: its enhanced code when present, else derived from the basic code
// (RFC 3463 §3.1: x.0.0).
std::string status_for_reply(int code, std::string_view enhanced);

}  // namespace claret::queue
