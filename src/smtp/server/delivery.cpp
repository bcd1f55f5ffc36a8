// Message completion and local delivery through mail/ (RFC 5321 §4.4 trace fields, §4.1.1.4, §6.1 reliable
// delivery; RFC 3848 "with" protocol names; RFC 6531 §3.7.3 UTF8SMTP; RFC 2033 §4.2 per-recipient replies).
#include "smtp/server/delivery.hpp"

#include <chrono>

#include "base/log.hpp"
#include "io/offload.hpp"
#include "mail/local_delivery.hpp"
#include "mail/trace_headers.hpp"
#include "queue/enqueue.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "queue/dsn_sender.hpp"
#include "smtp/server/error_map.hpp"
#include "smtp/server/final_dsn.hpp"
#include "smtp/server/sender_policy.hpp"

namespace claret::smtp::server {

namespace code = proto::code;
namespace enh = proto::enhanced;

namespace {

// RFC 3848 §2 / RFC 6531 §3.7.3: ESMTP, ESMTPS, ESMTPA, ESMTPSA, LMTP…, UTF8SMTP…; plain "SMTP" after HELO.
std::string with_protocol(Session& s) {
  if (s.mode() != Mode::lmtp && !s.esmtp) return "SMTP";
  std::string p = s.mode() == Mode::lmtp ? "LMTP" : "SMTP";
  p = (s.txn().params.smtputf8 ? "UTF8" : (s.mode() == Mode::lmtp ? "" : "E")) + p;
  if (s.tls()) p += "S";
  if (s.auth) p += "A";
  return p;
}

// The content-level refusal of a complete message, if any.
std::optional<proto::Reply> content_refusal(Session& s, const ReceivedMessage& m) {
  if (auto r = proto::content_rejection(m.summary, m.binary)) return r;
  if (m.line_overflow)
    return proto::make_reply(code::kMailboxUnavailable, enh::kContentError, "Message contains an over-long line");
  if (m.summary.has_nul && !m.binary)
    return proto::make_reply(code::kMailboxUnavailable, enh::kContentError, "NUL characters are not allowed");
  if (s.mode() == Mode::submission && s.auth) {
    if (auto bad = from_header_violation(m.content, s.auth->sendable))
      return proto::make_reply(code::kMailboxNameNotAllowed, enh::kRelayDenied,
                               "From: address not owned by the authenticated user");
  }
  return std::nullopt;
}

// SMTP has one reply for the whole message, LMTP one per accepted recipient (RFC 2033 §4.2).
void reply_all(Session& s, const proto::Reply& r) {
  std::size_t n = s.mode() == Mode::lmtp ? s.txn().recipients.size() : 1;
  for (std::size_t i = 0; i < n; ++i) s.reply(r);
}

// A submission recipient in another domain, with its DSN parameters (RFC 3461 §4.1-4.2), for the queue.
queue::NewRecipient outbound_entry(const AcceptedRecipient& r) {
  queue::NewRecipient n;
  n.address = r.address;
  if (r.params.notify) {
    const auto& f = *r.params.notify;
    n.notify = (f.never ? queue::notify::kNever : 0) | (f.success ? queue::notify::kSuccess : 0) |
               (f.failure ? queue::notify::kFailure : 0) | (f.delay ? queue::notify::kDelay : 0);
  }
  if (r.params.orcpt) n.orcpt = r.params.orcpt->addr_type + ";" + r.params.orcpt->address;
  return n;
}

struct DeliveryJob {
  std::vector<std::string> recipients;             // local: delivered now
  std::vector<const AcceptedRecipient*> local;     // the same recipients with their DSN parameters
  std::vector<std::vector<store::AccountId>> accounts;  // what RCPT resolved each to (delivery need not again)
  std::vector<queue::NewRecipient> outbound;       // remote: queued
  std::string trace;
  std::string reverse_path;
  std::int64_t now = 0;
};

// Sends the DSN that final_delivery_report() asks for, if any (RFC 3461 §6).
boost::asio::awaitable<void> report_final_delivery(Session& s, const DeliveryJob& job,
                                                   const std::vector<mail::RecipientOutcome>& outcomes,
                                                   const std::vector<proto::Reply>& replies, std::string original) {
  Transaction& t = s.txn();
  auto report = final_delivery_report(job.local, outcomes, replies, s.config().hostname);
  if (report.empty()) co_return;
  queue::DsnInput in;
  in.reporting_mta = s.config().hostname;
  in.to = job.reverse_path;
  in.envid = t.params.envid.value_or("");
  in.return_full = t.params.ret == proto::DsnReturn::full;
  in.arrival = job.now;
  in.now = job.now;
  in.recipients = std::move(report);
  in.original = original;
  in.message_id = t.id + ".dsn@" + s.config().hostname;
  std::string dsn = queue::build_dsn(in);
  auto& services = s.services();
  auto sent = co_await io::offload([&services, &job, &dsn] {
    return queue::send_dsn_to(services.store, services.queue, services.signer, job.reverse_path, dsn, job.now);
  });
  if (!sent) log::error("smtp.dsn.failed", {{"cid", s.cid()}, {"id", t.id}, {"error", sent.error().message}});
  else log::info("smtp.dsn.sent", {{"cid", s.cid()}, {"id", t.id}, {"to", job.reverse_path}});
}

}  // namespace

boost::asio::awaitable<void> finish_message(Session& s, ReceivedMessage message) {
  Transaction& t = s.txn();
  if (auto refusal = content_refusal(s, message)) {
    log::info("smtp.message.refused",
              {{"cid", s.cid()}, {"id", t.id}, {"size", message.summary.size}, {"code", refusal->code}});
    reply_all(s, *refusal);
    s.reset_transaction();
    co_return;
  }

  DeliveryJob job;
  job.now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
  job.reverse_path = t.reverse_path;
  for (const auto& r : t.recipients) {
    if (r.outbound) job.outbound.push_back(outbound_entry(r));
    else {
      job.recipients.push_back(r.address);
      job.local.push_back(&r);
      job.accounts.push_back(r.accounts);
    }
  }
  mail::ReceivedInfo info;
  info.helo = s.helo;
  info.client_ip = s.peer();
  info.by_host = s.config().hostname;
  info.protocol = with_protocol(s);
  if (s.tls()) info.tls = s.conn().tls_version() + " " + s.conn().tls_cipher();
  info.id = t.id;
  if (t.recipients.size() == 1) info.for_recipient = t.recipients.front().given;
  info.time = job.now;
  job.trace = mail::received_header(info);

  store::Store& store = s.services().store;
  const std::string& content = message.content;
  // Remote recipients first: once queued (blob fsynced, row committed) they are safe; if queueing fails nothing
  // was delivered and the whole message gets a temporary failure, so the client retries it as a whole.
  if (!job.outbound.empty()) {
    auto& services = s.services();
    if (!services.queue) {
      reply_all(s, proto::make_reply(code::kLocalError, enh::kSystemError, "outbound delivery is not available"));
      s.reset_transaction();
      co_return;
    }
    queue::OutboundMessage out;
    out.sender = job.reverse_path;
    out.recipients = job.outbound;
    const std::string full = job.trace + content;
    out.message = full;
    if (t.params.ret == proto::DsnReturn::full) out.ret = "FULL";
    if (t.params.ret == proto::DsnReturn::headers) out.ret = "HDRS";
    out.envid = t.params.envid.value_or("");
    out.smtputf8 = t.params.smtputf8;
    out.now = job.now;
    auto queued = co_await io::offload([&store, &services, &out] {
      return queue::enqueue_message(store.blobs(), *services.queue, out, services.signer);
    });
    if (!queued) {
      reply_all(s, store_error_reply(queued.error(), s.cid(), "smtp.queue.failed"));
      s.reset_transaction();
      co_return;
    }
    if (services.queue_wake) services.queue_wake();
    log::info("smtp.message.queued",
              {{"cid", s.cid()}, {"id", t.id}, {"queue_id", *queued}, {"rcpts", job.outbound.size()}});
  }
  Result<std::vector<mail::RecipientOutcome>> outcomes = std::vector<mail::RecipientOutcome>{};
  if (!job.recipients.empty())
    outcomes = co_await io::offload([&store, &job, &content] {
      return mail::deliver_local(
          store, mail::LocalDelivery{job.reverse_path, job.recipients, job.trace, content, job.now, job.accounts});
    });
  if (!outcomes) {
    reply_all(s, store_error_reply(outcomes.error(), s.cid(), "smtp.delivery.failed"));
    s.reset_transaction();
    co_return;
  }

  const proto::Reply ok = proto::make_reply(code::kOk, enh::kMessageAccepted, "Message accepted, id " + t.id);
  std::size_t delivered = job.outbound.size();  // queued recipients are accepted
  std::optional<proto::Reply> first_failure;
  std::vector<proto::Reply> replies;
  for (const auto& outcome : *outcomes) {
    proto::Reply r = outcome.result ? ok : store_error_reply(outcome.result.error(), s.cid(), "smtp.delivery.failed");
    replies.push_back(r);
    if (outcome.result) ++delivered;
    else if (!first_failure) first_failure = r;
    if (!outcome.result)
      log::info("smtp.delivery.refused", {{"cid", s.cid()}, {"id", t.id}, {"rcpt", outcome.recipient},
                                          {"error", outcome.result.error().message}});
    if (s.mode() == Mode::lmtp) s.reply(r);
  }
  if (s.mode() != Mode::lmtp) {
    if (delivered > 0) {
      // Recipients refused after RCPT (a quota reached meanwhile) get a failure DSN below.
      if (first_failure) log::warn("smtp.delivery.partial", {{"cid", s.cid()}, {"id", t.id}});
      s.reply(ok);
    } else {
      s.reply(first_failure ? *first_failure : ok);
    }
  }
  // LMTP reports per recipient and leaves DSNs to the MTA in front (RFC 2033 §4.2); SMTP is the final hop here.
  if (s.mode() != Mode::lmtp && delivered > 0 && !job.reverse_path.empty())
    co_await report_final_delivery(s, job, *outcomes, replies, job.trace + content);
  if (delivered > 0) {
    ++s.messages_accepted;
    log::info("smtp.message.accepted", {{"cid", s.cid()},
                                        {"id", t.id},
                                        {"size", message.summary.size},
                                        {"rcpts", delivered},
                                        {"from", t.reverse_path}});
  }
  s.reset_transaction();
}

}  // namespace claret::smtp::server
