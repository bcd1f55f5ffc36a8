// Runs every call of one user's MailSession on one strand. Several HTTP connections of the same browser
// (keep-alive pool, the events stream) run on different strands, while the IMAP backend requires all
// coroutines of a session to run on one executor (imap_backend.hpp); this wrapper gives it that.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "webmail/mail_backend.hpp"

namespace claret::webmail {

std::unique_ptr<MailSession> serialize_on(boost::asio::any_io_executor strand, std::unique_ptr<MailSession> inner);

}  // namespace claret::webmail
