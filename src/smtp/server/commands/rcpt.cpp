// RCPT TO (RFC 5321 §4.1.1.3) with NOTIFY/ORCPT (RFC 3461 §4.1-4.2): recipient limit (§4.5.3.1.8, 452 4.5.3),
// then the recipient policy (local users, no relay on port 25).
#include "io/offload.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"
#include "smtp/server/recipient_policy.hpp"

namespace claret::smtp::server {

namespace code = proto::code;
namespace enh = proto::enhanced;

boost::asio::awaitable<void> cmd_rcpt(Session& s, proto::RcptArgs args) {
  if (!s.esmtp && (args.params.notify || args.params.orcpt)) {
    s.reply(proto::make_reply(code::kParamsNotRecognized, enh::kInvalidArguments, "Parameters need EHLO"));
    co_return;
  }
  Transaction& t = s.txn();
  const std::uint32_t max_recipients = s.config().smtp.max_recipients;
  if (max_recipients > 0 && t.recipients.size() >= max_recipients) {
    s.reply(proto::make_reply(code::kInsufficientStorage, enh::kTooManyRecipientsTemp, "Too many recipients"));
    co_return;
  }
  store::Store& store = s.services().store;
  const Mode mode = s.mode();
  const std::string& primary = s.config().primary_domain;
  const std::uint64_t cid = s.cid();
  const proto::Path& path = args.forward_path;
  RecipientCheck check =
      co_await io::offload([&store, mode, &path, &primary, cid] { return check_recipient(store, mode, path, primary, cid); });
  if (check.accepted) {
    t.recipients.push_back(AcceptedRecipient{check.address,
                                             path.postmaster ? std::string("Postmaster") : proto::canonical(path.mailbox),
                                             check.outbound, args.params, std::move(check.accounts)});
    s.state = State::rcpt;
  }
  s.reply(check.reply);
}

}  // namespace claret::smtp::server
