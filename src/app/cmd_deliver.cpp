// `claret deliver --to ADDR [--to ADDR ...] [--from ADDR] < MESSAGE`: local delivery from standard input,
// like an LDA (dovecot-lda, procmail) — what a local program or an MTA's pipe transport calls.
#include <unistd.h>

#include <cstdio>
#include <ctime>

#include "app/admin_context.hpp"
#include "store/errc.hpp"
#include "mail/local_delivery.hpp"
#include "mail/trace_headers.hpp"

namespace claret::app {
namespace {

// Reads all of stdin, converting bare LF line endings to CRLF (stored messages always use CRLF, as IMAP
// serves them), up to `limit` bytes.
Result<std::string> read_message(uint64_t limit) {
  std::string out;
  char buf[65536];
  char prev = 0;
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0) return make_error("cannot read the message from standard input");
    if (n == 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] == '\n' && prev != '\r') out += '\r';
      out += buf[i];
      prev = buf[i];
    }
    if (out.size() > limit) return make_error("the message is larger than limits.smtp.max_message_size");
  }
  if (out.empty()) return make_error("the message on standard input is empty");
  if (prev != '\n') out += "\r\n";
  return out;
}

}  // namespace

int cmd_deliver(const Words& words) {
  int code = 0;
  // --to may be repeated: collect them before the generic parser, which keeps one value per option.
  Words rest;
  std::vector<std::string> recipients;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "--to" && i + 1 < words.size()) recipients.push_back(words[++i]);
    else if (words[i].rfind("--to=", 0) == 0) recipients.push_back(words[i].substr(5));
    else rest.push_back(words[i]);
  }
  auto ctx = open_admin(rest, {}, {"from"}, code);
  if (!ctx) return code;
  if (recipients.empty() || !ctx->args.positional().empty())
    return fail("usage: claret deliver --to ADDRESS [--to ADDRESS ...] [--from ADDRESS] < MESSAGE", 2);
  auto message = read_message(ctx->config.smtp.max_message_size);
  if (!message) return fail(message.error().message);

  mail::LocalDelivery d;
  d.reverse_path = ctx->args.option("from").value_or("");
  d.recipients = recipients;
  d.internaldate = std::time(nullptr);
  mail::ReceivedInfo info;
  info.by_host = ctx->config.hostname;
  info.protocol = "local";
  info.id = "uid" + std::to_string(::getuid());
  info.time = d.internaldate;
  if (recipients.size() == 1) info.for_recipient = recipients[0];
  d.trace = mail::received_header(info);
  d.message = *message;

  auto out = mail::deliver_local(*ctx->store, d);
  if (!out) return fail("delivery failed: " + out.error().message, 75);  // EX_TEMPFAIL: the MTA retries
  int status = 0;
  for (const auto& o : *out) {
    if (o.result) {
      std::printf("delivered %s uid=%u\n", o.recipient.c_str(), o.result->uid);
    } else {
      fail("cannot deliver to " + o.recipient + ": " + o.result.error().message);
      // sysexits.h: unknown user 67 (permanent), anything else 75 (temporary) so an MTA bounces or retries.
      int c = store::has_code(o.result.error(), store::Errc::not_found) ? 67 : 75;
      if (status == 0 || c == 75) status = c;
    }
  }
  return status;
}

}  // namespace claret::app
