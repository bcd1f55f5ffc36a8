// SMTP command lines (src/smtp/proto): parse_command with and without SMTPUTF8, the path/mailbox/host parsers,
// MAIL/RCPT parameters and xtext. Invariants: errors carry one of the documented reply codes; a parsed mailbox
// re-parses from its own text to the same mailbox; canonical forms are fixed points; xtext round-trips.
#include <string>
#include <variant>

#include "fuzz_support.hpp"
#include "smtp/proto/address.hpp"
#include "smtp/proto/command.hpp"
#include "smtp/proto/mail_params.hpp"
#include "smtp/proto/xtext.hpp"

namespace {

using namespace claret::smtp::proto;

void check_mailbox(const Mailbox& m, bool utf8) {
  if (m.domain.text.empty()) return;  // <Postmaster>
  AddressOptions options{utf8};
  auto again = parse_mailbox(m.str(), options);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->str() == m.str());
  FUZZ_CHECK(again->quoted == m.quoted);
  FUZZ_CHECK(again->domain.kind == m.domain.kind);
  const std::string canon = canonical(m);
  auto reparsed = parse_mailbox(canon, options);
  FUZZ_CHECK(reparsed.ok());
  FUZZ_CHECK(canonical(*reparsed) == canon);
  (void)local_part_value(m);
  (void)normalized_local_part(m);
  (void)has_percent_hack(m);
  (void)has_bang_path(m);
}

void check_command(std::string_view line, bool utf8) {
  auto parsed = parse_command(line, CommandOptions{utf8});
  if (!parsed) {
    const int code = parsed.error().code;
    FUZZ_CHECK(code == 500 || code == 501 || code == 553 || code == 555);
    FUZZ_CHECK(!parsed.error().message.empty());
    (void)parse_error_reply(peek_verb(line), parsed.error());
    return;
  }
  FUZZ_CHECK(peek_verb(line) == parsed->verb);
  if (const auto* mail = std::get_if<MailArgs>(&parsed->args)) {
    if (!mail->reverse_path.null) check_mailbox(mail->reverse_path.mailbox, utf8 || mail->params.smtputf8);
  } else if (const auto* rcpt = std::get_if<RcptArgs>(&parsed->args)) {
    if (!rcpt->forward_path.postmaster) check_mailbox(rcpt->forward_path.mailbox, utf8);
  } else if (const auto* hello = std::get_if<HelloArgs>(&parsed->args)) {
    FUZZ_CHECK(!hello->host.text.empty());
  } else if (const auto* text = std::get_if<TextArgs>(&parsed->args)) {
    if (parsed->verb == Verb::vrfy || parsed->verb == Verb::expn) FUZZ_CHECK(!text->text.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = claret::fuzz::as_text(data, size);
  for (bool utf8 : {false, true}) {
    check_command(in, utf8);
    AddressOptions options{utf8};
    if (auto m = parse_mailbox(in, options)) check_mailbox(*m, utf8);
    if (auto h = parse_host(in, options)) {
      auto again = parse_host(canonical_domain(*h), options);
      FUZZ_CHECK(again.ok());
      FUZZ_CHECK(canonical_domain(*again) == canonical_domain(*h));
    }
    for (PathKind kind : {PathKind::reverse, PathKind::forward}) {
      auto p = parse_path(in, kind, options);
      if (p) {
        FUZZ_CHECK(!(p->null && kind == PathKind::forward));
        FUZZ_CHECK(path_extent(in) == in.size());
        if (!p->null && !p->postmaster) check_mailbox(p->mailbox, utf8);
      }
    }
  }
  FUZZ_CHECK(path_extent(in) <= in.size());
  (void)split_esmtp_params(in);
  (void)parse_mail_params(in);
  (void)parse_rcpt_params(in);

  // xtext: encoding anything gives valid xtext that decodes back; valid xtext re-encodes to an equivalent form.
  const std::string encoded = xtext_encode(in);
  auto decoded = xtext_decode(encoded);
  FUZZ_CHECK(decoded && *decoded == in);
  if (auto value = xtext_decode(in)) {
    auto again = xtext_decode(xtext_encode(*value));
    FUZZ_CHECK(again && *again == *value);
  }
  return 0;
}
