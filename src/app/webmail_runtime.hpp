// What `claret webmail` and `claret serve` need to run the webmail: its options from the configuration and
// the MailBackend (the IMAP backend when this build has it, see CLARET_HAVE_IMAP_BACKEND).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "config/config.hpp"
#include "webmail/mail_backend.hpp"
#include "webmail/server/webmail_server.hpp"

namespace claret::store {
class Store;
}

namespace claret::app {

// Session idle time, upload limit, Message-ID domain, state directory (data_dir/webmail) from the configuration.
webmail::WebmailOptions webmail_options(const config::Config& cfg);

// claret serve: the addresses an account may send as (its own, then its aliases in any domain), for
// WebmailOptions::account_addresses. Blocking (store reads).
std::function<std::vector<std::string>(const std::string&)> account_addresses_from(store::Store& store);

// `claret serve`: empty imap_url/submission_url mean this server over loopback, using the listeners as
// bound (`ports`: listener name → port, as in the READY line). Verification of our own certificate over
// loopback is off unless a ca_file is given (the certificate names the public host name, not 127.0.0.1).
Result<config::WebmailSettings> loopback_defaults(const config::Config& cfg,
                                                  const std::map<std::string, uint16_t>& ports);

// The IMAP backend for these settings; Error "webmail: IMAP backend not built" in builds without it.
Result<std::shared_ptr<webmail::MailBackend>> make_webmail_backend(const config::WebmailSettings& settings,
                                                                   const std::string& helo_name);

}  // namespace claret::app
