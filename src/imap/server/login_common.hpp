// What LOGIN and AUTHENTICATE share: the login throttle (auth::LoginThrottle), the credential lookup, and the
// answers to a failed or successful login.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/sasl_mechanism.hpp"
#include "imap/server/commands.hpp"

namespace claret::imap::server {

// nullopt: refused outright (the address is blocked; the NO is queued); otherwise the delay to apply to a failure.
std::optional<std::chrono::milliseconds> admit_login_attempt(Session& s, std::string_view tag);
// Records the failure, waits out the throttle delay, answers NO [AUTHENTICATIONFAILED].
Task login_failed(Session& s, std::string tag, std::chrono::milliseconds delay, std::string tried,
                  std::string_view mechanism, std::string_view detail);
// Opens the account and answers OK [CAPABILITY …].
Task login_succeeded(Session& s, std::string tag, std::string authcid, std::string_view mechanism);
// Looks accounts up in the directory; `tried` receives the last user name asked for (for the throttle).
auth::CredentialLookup make_lookup(store::Store& store, std::shared_ptr<std::string> tried);

}  // namespace claret::imap::server
