// `claret sendmail`: the classic sendmail command-line interface (as Postfix and Exim provide it), so local
// programs (cron, scripts, mail(1), web applications) can send mail:
//   claret sendmail [-t] [-i|-oi] [-f SENDER] [-F "Full Name"] [RECIPIENT ...] < message
// Local recipients are delivered at once; others go to the outbound queue that `claret serve` works off.
// Exit codes follow sysexits.h: 64 usage, 65 bad message, 67 unknown local user, 75 temporary failure.
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <set>

#include "app/admin_context.hpp"
#include "app/dkim_signing.hpp"
#include "base/strings.hpp"
#include "mail/local_delivery.hpp"
#include "mail/submission_headers.hpp"
#include "mail/trace_headers.hpp"
#include "queue/enqueue.hpp"
#include "store/address.hpp"
#include "store/errc.hpp"
#include "store/sqlite/sqlite_queue_store.hpp"

namespace claret::app {
namespace {

constexpr int kExUsage = 64;
constexpr int kExDataErr = 65;
constexpr int kExNoUser = 67;
constexpr int kExTempFail = 75;

struct SendmailArgs {
  bool extract = false;      // -t
  bool dot_ends = true;      // cleared by -i / -oi
  std::string sender;        // -f
  std::string full_name;     // -F
  std::vector<std::string> recipients;
  Words rest;                // --config FILE
};

// Classic single-letter options, including the attached forms (-fuser@x, -Fname) and the ones that
// only ever meant something to sendmail's own queue (-odi, -oem, -bm …), accepted and ignored.
Result<SendmailArgs> parse_args(const Words& words) {
  SendmailArgs a;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    auto value = [&](size_t prefix) -> Result<std::string> {
      if (w.size() > prefix) return w.substr(prefix);
      if (i + 1 >= words.size()) return make_error(w + " needs a value");
      return words[++i];
    };
    if (w == "--config" || w.rfind("--config=", 0) == 0) {
      a.rest.push_back(w);
      if (w == "--config" && i + 1 < words.size()) a.rest.push_back(words[++i]);
    } else if (w == "-t") {
      a.extract = true;
    } else if (w == "-i" || w == "-oi") {
      a.dot_ends = false;
    } else if (w.rfind("-f", 0) == 0 || w.rfind("-r", 0) == 0) {
      auto v = value(2);
      if (!v) return v.error();
      a.sender = *v;
    } else if (w.rfind("-F", 0) == 0) {
      auto v = value(2);
      if (!v) return v.error();
      a.full_name = *v;
    } else if (w == "-bm" || w == "-U" || w == "-v" || w.rfind("-od", 0) == 0 || w.rfind("-oe", 0) == 0 ||
               w == "-om" || w == "-oem" || w == "-oee") {
      continue;
    } else if (w.rfind("-o", 0) == 0 && w.size() > 2) {
      continue;  // other sendmail -oX options configure sendmail's own daemon; nothing to do here
    } else if (!w.empty() && w[0] == '-') {
      return make_error("unsupported option " + w);
    } else {
      a.recipients.push_back(w);
    }
  }
  return a;
}

// The message from stdin with CRLF line endings. Without -i a line holding a single "." ends it
// (and is not part of the message), as sendmail has always done.
Result<std::string> read_input(bool dot_ends, uint64_t limit) {
  std::string out;
  std::string line;
  int c;
  bool eof = false;
  while (!eof) {
    line.clear();
    while ((c = std::getchar()) != EOF && c != '\n') line += static_cast<char>(c);
    eof = c == EOF;
    if (eof && line.empty()) break;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (dot_ends && line == ".") break;
    out += line;
    out += "\r\n";
    if (out.size() > limit) return make_error("the message is larger than limits.smtp.max_message_size");
  }
  if (out.empty()) return make_error("no message on standard input");
  return out;
}

std::string login_name() {
  if (const struct passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "uid" + std::to_string(::getuid());
}

}  // namespace

int cmd_sendmail(const Words& words) {
  auto parsed = parse_args(words);
  if (!parsed) return fail(parsed.error().message, kExUsage);
  SendmailArgs a = std::move(parsed).value();
  // Before open_admin switches to the service user: the sender is whoever ran the command.
  std::string user = login_name();
  int code = 0;
  auto ctx = open_admin(a.rest, {}, {}, code);
  if (!ctx) return code == 2 ? kExUsage : kExTempFail;
  const std::string& domain = ctx->config.primary_domain.empty() ? ctx->config.hostname : ctx->config.primary_domain;
  auto qualify = [&](std::string addr) {
    addr = std::string(trim(addr));
    if (!addr.empty() && addr.front() == '<' && addr.back() == '>') addr = addr.substr(1, addr.size() - 2);
    if (addr.find('@') == std::string::npos && !addr.empty()) addr += "@" + domain;
    return addr;
  };
  std::string sender = a.sender.empty() ? user + "@" + domain : (a.sender == "<>" ? "" : qualify(a.sender));

  auto input = read_input(a.dot_ends, ctx->config.smtp.max_message_size);
  if (!input) return fail(input.error().message, kExDataErr);
  int64_t now = std::time(nullptr);
  mail::SubmissionInfo info{sender.empty() ? "MAILER-DAEMON@" + domain : sender, a.full_name, ctx->config.hostname, now,
                            a.extract};
  mail::CompletedMessage msg = mail::complete_submission(*input, info);

  // Postfix semantics: with -t the header recipients are added to those on the command line.
  std::vector<std::string> recipients;
  std::set<std::string> seen;
  for (auto* list : {&a.recipients, &msg.recipients})
    for (const auto& r : *list) {
      std::string q = qualify(r);
      if (q.empty()) continue;
      if (seen.insert(to_lower(q)).second) recipients.push_back(q);
    }
  if (recipients.empty()) return fail("no recipients (give addresses, or -t to read them from the message)", kExUsage);

  // Decide every recipient before storing anything, so a typo in one address sends nothing at all.
  auto domains = ctx->store->directory().list_domains();
  if (!domains) return fail(domains.error().message, kExTempFail);
  std::set<std::string> local_domains(domains->begin(), domains->end());
  std::vector<std::string> local, remote;
  for (const auto& r : recipients) {
    auto at = r.rfind('@');
    if (at == std::string::npos || at == 0 || !store::is_valid_domain(to_lower(r.substr(at + 1))))
      return fail("invalid recipient address '" + r + "'", kExDataErr);
    if (!local_domains.count(to_lower(r.substr(at + 1)))) {
      remote.push_back(r);
      continue;
    }
    auto resolved = ctx->store->directory().resolve_recipient(r);
    if (!resolved) {
      bool unknown = store::has_code(resolved.error(), store::Errc::not_found);
      return fail("cannot deliver to " + r + ": " + resolved.error().message, unknown ? kExNoUser : kExTempFail);
    }
    local.push_back(r);
  }

  mail::ReceivedInfo trace;
  trace.by_host = ctx->config.hostname;
  trace.protocol = "local";
  trace.id = "uid" + std::to_string(::getuid());
  trace.time = now;
  if (recipients.size() == 1) trace.for_recipient = recipients[0];
  std::string received = mail::received_header(trace);

  int status = 0;
  if (!remote.empty()) {
    auto queue_store = store::sqlite::open_sqlite_queue_store(ctx->config.data_dir.string());
    if (!queue_store) return fail("cannot open the outbound queue: " + queue_store.error().message, kExTempFail);
    auto signer = make_dkim_signer(ctx->config.data_dir);
    if (!signer) return fail("DKIM keys: " + signer.error().message, kExTempFail);
    std::string bytes = received + msg.message;
    queue::OutboundMessage out;
    out.sender = sender;
    for (const auto& r : remote) out.recipients.push_back({r, 0, ""});
    out.message = bytes;
    out.now = now;
    auto id = queue::enqueue_message(ctx->store->blobs(), **queue_store, out, *signer);
    if (!id) return fail("cannot queue the message: " + id.error().message, kExTempFail);
  }
  if (!local.empty()) {
    mail::LocalDelivery d;
    d.reverse_path = sender;
    d.recipients = local;
    d.trace = received;
    d.message = msg.message;
    d.internaldate = now;
    auto out = mail::deliver_local(*ctx->store, d);
    if (!out) return fail("delivery failed: " + out.error().message, kExTempFail);
    for (const auto& o : *out)
      if (!o.result) {
        fail("cannot deliver to " + o.recipient + ": " + o.result.error().message);
        status = kExTempFail;
      }
  }
  return status;
}

}  // namespace claret::app
