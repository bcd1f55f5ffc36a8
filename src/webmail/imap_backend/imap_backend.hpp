// The webmail's MailBackend over a real IMAP server (imap/client) and SMTP submission (smtp/client), so
// `claret webmail` can run on its own machine against any IMAP server (issue #7).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "webmail/mail_backend.hpp"

namespace claret::webmail {

// Besides kAuthFailed / kNotFound / kUnavailable (mail_backend.hpp): the server refused a request (IMAP NO/BAD,
// SMTP 5xx for a recipient); the message carries the server's text.
inline constexpr int kRejected = 400;

struct ImapBackendOptions {
  std::string imap_url;        // imaps://host:port (implicit TLS) or imap://host:port (STARTTLS required)
  std::string submission_url;  // submissions://host:port (implicit TLS) or submission://host:port (STARTTLS)
  std::string ca_file;         // PEM bundle to verify the servers with; empty = system trust store
  bool verify_certificates = true;
  std::chrono::seconds timeout{30};
  std::string helo_name = "localhost";  // EHLO name for submission
};

// Fails (clear message) when a URL is malformed or the TLS context cannot be built. Every session's coroutines
// must run on one executor (strand): commands on one IMAP connection are serialised with an Asio timer queue.
Result<std::unique_ptr<MailBackend>> make_imap_backend(ImapBackendOptions options);

}  // namespace claret::webmail
