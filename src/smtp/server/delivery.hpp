// End of a message transaction (RFC 5321 §4.1.1.4 DATA reply, RFC 3030 §2 BDAT LAST, RFC 2033 §4.2 one LMTP reply
// per recipient): content checks, submission From: check, durable local delivery, replies.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "smtp/proto/content_scanner.hpp"
#include "smtp/server/session.hpp"

namespace claret::smtp::server {

struct ReceivedMessage {
  std::string content;            // as received, dot-stuffing removed
  proto::ContentSummary summary;  // from the DATA or BDAT reader
  bool binary = false;            // BODY=BINARYMIME over BDAT: bare CR/LF and NUL are data
  bool line_overflow = false;     // a DATA line was too long to be read at all; the content is incomplete
};

// Queues the reply (SMTP) or replies (LMTP), logs smtp.message.accepted, and resets the transaction. A 250 is
// only sent once the store has committed the message for every recipient it reports as delivered.
boost::asio::awaitable<void> finish_message(Session& s, ReceivedMessage message);

}  // namespace claret::smtp::server
