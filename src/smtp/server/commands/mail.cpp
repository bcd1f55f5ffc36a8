// MAIL FROM (RFC 5321 §4.1.1.2) with SIZE (RFC 1870 §6), BODY (RFC 6152, RFC 3030 §3), SMTPUTF8 (RFC 6531 §3.4),
// RET/ENVID (RFC 3461 §4.3-4.4) and AUTH= (RFC 4954 §5); submission senders restricted (RFC 6409 §8.1).
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"
#include "smtp/server/sender_policy.hpp"

namespace claret::smtp::server {

namespace code = proto::code;
namespace enh = proto::enhanced;

namespace {

bool has_any_param(const proto::MailParams& p) {
  return p.size || p.body != proto::BodyType::unspecified || p.smtputf8 || p.ret != proto::DsnReturn::unspecified ||
         p.envid || p.auth;
}

}  // namespace

boost::asio::awaitable<void> cmd_mail(Session& s, proto::MailArgs args) {
  const proto::MailParams& params = args.params;
  if (!s.esmtp && has_any_param(params)) {
    // Service extensions exist only after EHLO (RFC 5321 §4.1.1.1, §4.1.2).
    s.reply(proto::make_reply(code::kParamsNotRecognized, enh::kInvalidArguments, "Parameters need EHLO"));
    co_return;
  }
  const std::uint64_t max_size = s.config().smtp.max_message_size;
  if (params.size && max_size > 0 && *params.size > max_size) {
    s.reply(proto::make_reply(code::kExceededStorage, enh::kMessageTooBig,
                              "Message size exceeds fixed maximum message size"));
    co_return;
  }
  const proto::Path& path = args.reverse_path;
  // A source route in the reverse-path is dropped (RFC 5321 Appendix C); the mailbox is kept as given.
  std::string reverse = path.null ? std::string() : proto::canonical(path.mailbox);
  if (s.mode() == Mode::submission && s.auth) {
    std::string lookup = path.null ? std::string()
                                   : proto::normalized_local_part(path.mailbox) + "@" +
                                         proto::canonical_domain(path.mailbox.domain);
    if (path.null || !may_send_as(s.auth->sendable, lookup)) {
      s.reply(proto::make_reply(code::kMailboxNameNotAllowed, enh::kRelayDenied,
                                "Sender address not owned by the authenticated user"));
      co_return;
    }
  }
  s.begin_transaction(std::move(reverse), params);
  s.reply(proto::make_reply(code::kOk, enh::kSenderOk, "Sender OK"));
}

}  // namespace claret::smtp::server
