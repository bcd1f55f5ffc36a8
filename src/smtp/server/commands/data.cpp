// DATA (RFC 5321 §4.1.1.4, §4.5.2 transparency): 354, then the content up to <CRLF>.<CRLF> only — bare CR/LF
// never end it (SMTP smuggling, §2.3.8) — within the data timeout (§4.5.3.2.5-6).
#include <chrono>

#include "smtp/proto/data_reader.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"
#include "smtp/server/delivery.hpp"
#include "smtp/server/error_map.hpp"

namespace claret::smtp::server {

namespace code = proto::code;
namespace enh = proto::enhanced;

namespace {

// Longest content line read as such; a longer one is skipped and the message refused after its end. Far above
// the 1000-octet limit of RFC 5321 §4.5.3.1.6 (which real mail exceeds) yet a bound on per-connection memory.
constexpr std::size_t kMaxDataLine = 1024 * 1024;

}  // namespace

boost::asio::awaitable<void> cmd_data(Session& s) {
  if (s.state != State::rcpt) {
    s.reply(proto::make_reply(code::kTransactionFailed, enh::kInvalidCommand, "No valid recipients"));
    co_return;
  }
  if (s.txn().params.body == proto::BodyType::binary_mime) {
    s.reply(proto::make_reply(code::kBadSequence, enh::kInvalidCommand, "BODY=BINARYMIME requires BDAT"));
    co_return;
  }
  s.reply(proto::make_reply(code::kStartMailInput, enh::kNone, "End data with <CR><LF>.<CR><LF>"));
  auto flushed = co_await s.flush();
  if (!flushed) {
    s.close_reason = "network";
    co_return;
  }

  proto::DataReader reader(proto::ContentLimits{s.config().smtp.max_message_size, proto::limit::kTextLine});
  ReceivedMessage message;
  s.conn().set_deadline(std::chrono::seconds(s.config().smtp.data_timeout_s));
  // Line by line: the line reader ends a line only at LF, and the reader sees the exact terminator (CRLF or a
  // bare LF) again, so it alone decides where the data ends.
  while (!reader.done()) {
    auto line = co_await s.conn().read_line(kMaxDataLine, io::OnShutdown::keep_reading);
    if (!line) {
      if (io::is(line.error(), io::IoErrc::too_long)) {
        message.line_overflow = true;
        continue;
      }
      s.conn().clear_deadline();
      if (auto last = io_error_reply(line.error())) s.reply(*last);
      s.closing = true;
      s.close_reason = io::to_string(static_cast<io::IoErrc>(line.error().code));
      s.reset_transaction();
      co_return;
    }
    std::string& bytes = *line;
    bytes += s.conn().last_line_bare_lf() ? "\n" : "\r\n";
    (void)reader.feed(bytes);  // the end of data can only fall at the end of a line, so all of it is consumed
  }
  s.conn().clear_deadline();
  message.summary = reader.summary();
  message.content = reader.take_content();
  co_await finish_message(s, std::move(message));
}

}  // namespace claret::smtp::server
