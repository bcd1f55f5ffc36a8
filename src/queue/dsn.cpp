// build_dsn: RFC 3464 §2 delivery-status fields inside an RFC 6522 multipart/report, RFC 3834 Auto-Submitted.
#include "queue/dsn.hpp"

#include <time.h>

#include <cstdio>

namespace claret::queue {
namespace {

const char* action_name(DsnAction a) {
  switch (a) {
    case DsnAction::failed: return "failed";
    case DsnAction::delayed: return "delayed";
    case DsnAction::delivered: return "delivered";
  }
  return "failed";
}

// Header fields and text must never carry CR/LF from a remote reply (header injection).
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n' || c == '\0') ? ' ' : c;
  return out;
}

// The original header block (up to and including the blank line), or the whole message if it has no body.
std::string_view header_block(std::string_view message) {
  size_t end = message.find("\r\n\r\n");
  if (end != std::string_view::npos) return message.substr(0, end + 2);
  end = message.find("\n\n");
  if (end != std::string_view::npos) return message.substr(0, end + 1);
  return message;
}

std::string with_crlf(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  if (!out.empty() && out.back() != '\n') out += "\r\n";
  return out;
}

}  // namespace

std::string format_rfc5322_date(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  tm parts{};
  gmtime_r(&t, &parts);
  char buf[64];
  strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S +0000", &parts);
  return buf;
}

std::string status_for_reply(int code, std::string_view enhanced) {
  if (!enhanced.empty() && enhanced[0] == '0' + code / 100) return std::string(enhanced);
  int cls = code / 100;
  if (cls != 2 && cls != 4 && cls != 5) cls = 4;
  return std::to_string(cls) + ".0.0";
}

std::string build_dsn(const DsnInput& in) {
  bool any_failed = false, any_delayed = false, any_delivered = false;
  for (const auto& r : in.recipients) {
    any_failed = any_failed || r.action == DsnAction::failed;
    any_delayed = any_delayed || r.action == DsnAction::delayed;
    any_delivered = any_delivered || r.action == DsnAction::delivered;
  }
  const std::string subject = any_failed    ? "Undelivered Mail Returned to Sender"
                              : any_delayed ? "Delayed Mail (still being retried)"
                                            : "Successful Mail Delivery Report";
  // RFC 2046 §5.1.1 bchars only: letters and digits of the message id, anything else as '.'.
  std::string boundary = "=_claret_dsn_";
  for (char c : in.message_id)
    boundary += ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '.';
  if (boundary.size() > 69) boundary.resize(69);
  const std::string reporting = one_line(in.reporting_mta);
  std::string m;
  m += "From: Mail Delivery System <MAILER-DAEMON@" + reporting + ">\r\n";
  m += "To: <" + one_line(in.to) + ">\r\n";
  m += "Subject: " + subject + "\r\n";
  m += "Date: " + format_rfc5322_date(in.now) + "\r\n";
  m += "Message-ID: <" + one_line(in.message_id) + ">\r\n";
  m += "Auto-Submitted: auto-replied\r\n";  // RFC 3834 §5
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"" + boundary + "\"\r\n";
  m += "\r\nThis is a MIME-encapsulated delivery status notification.\r\n";

  // Part 1: for people.
  m += "\r\n--" + boundary + "\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\nContent-Description: Notification\r\n\r\n";
  m += "This is the mail system at host " + reporting + ".\r\n\r\n";
  if (any_failed) m += "Your message could not be delivered to one or more recipients. It has been given up.\r\n";
  if (any_delayed)
    m += "Your message has not been delivered yet to one or more recipients. Delivery will be retried until " +
         format_rfc5322_date(in.retry_until) + "; you do not need to resend it.\r\n";
  if (any_delivered) m += "Your message was delivered to the recipients listed below.\r\n";
  m += "\r\n";
  for (const auto& r : in.recipients) {
    m += "<" + one_line(r.address) + ">: " + action_name(r.action);
    if (!r.diagnostic.empty()) m += ": " + one_line(r.diagnostic);
    if (!r.remote_mta.empty()) m += " (from " + one_line(r.remote_mta) + ")";
    m += "\r\n";
  }

  // Part 2: for programs (RFC 3464 §2.2 per-message fields, blank line, §2.3 per-recipient fields).
  m += "\r\n--" + boundary + "\r\n";
  m += "Content-Type: message/delivery-status\r\nContent-Description: Delivery report\r\n\r\n";
  m += "Reporting-MTA: dns; " + reporting + "\r\n";
  if (!in.envid.empty()) m += "Original-Envelope-Id: " + one_line(in.envid) + "\r\n";
  m += "Arrival-Date: " + format_rfc5322_date(in.arrival) + "\r\n";
  for (const auto& r : in.recipients) {
    m += "\r\n";
    if (!r.orcpt.empty()) {
      auto semi = r.orcpt.find(';');
      if (semi != std::string::npos)
        m += "Original-Recipient: " + one_line(r.orcpt.substr(0, semi)) + "; " + one_line(r.orcpt.substr(semi + 1)) +
             "\r\n";
    }
    m += "Final-Recipient: rfc822; " + one_line(r.address) + "\r\n";
    m += std::string("Action: ") + action_name(r.action) + "\r\n";
    m += "Status: " + one_line(r.status) + "\r\n";
    if (!r.remote_mta.empty()) m += "Remote-MTA: dns; " + one_line(r.remote_mta) + "\r\n";
    if (!r.diagnostic.empty()) {
      // "smtp" type only for a real SMTP reply (starts with its code); our own reasons are X-claret text.
      const bool smtp = r.diagnostic.size() >= 3 && r.diagnostic[0] >= '2' && r.diagnostic[0] <= '5';
      m += std::string("Diagnostic-Code: ") + (smtp ? "smtp; " : "X-claret; ") + one_line(r.diagnostic) + "\r\n";
    }
    m += "Last-Attempt-Date: " + format_rfc5322_date(in.now) + "\r\n";
    if (r.action == DsnAction::delayed) m += "Will-Retry-Until: " + format_rfc5322_date(in.retry_until) + "\r\n";
  }

  // Part 3: the original. RFC 3461 §4.3: RET=FULL returns the whole message on failure; otherwise headers.
  m += "\r\n--" + boundary + "\r\n";
  if (in.return_full && any_failed) {
    m += "Content-Type: message/rfc822\r\nContent-Description: Undelivered message\r\n\r\n";
    m += with_crlf(in.original);
  } else {
    m += "Content-Type: text/rfc822-headers\r\nContent-Description: Message headers\r\n\r\n";
    m += with_crlf(header_block(in.original));
  }
  m += "\r\n--" + boundary + "--\r\n";
  return m;
}

}  // namespace claret::queue
