// Store error codes carried in claret::Error::code, so protocol layers map them to replies in one place.
#pragma once

#include <string>
#include <utility>

#include "base/result.hpp"

namespace claret::store {

enum class Errc : int {
  not_found = 1,  // no such domain, account, mailbox, message or blob
  exists,         // the name is already taken
  invalid,        // malformed address or name, or an operation the object refuses (delete INBOX)
  over_quota,     // the account's quota would be exceeded
  conflict,       // a concurrent change made the request impossible (retryable)
  internal,       // I/O or database failure; details are logged, not shown to clients
};

inline Error store_error(Errc code, std::string message) {
  return Error{static_cast<int>(code), std::move(message)};
}

inline bool has_code(const Error& e, Errc code) { return e.code == static_cast<int>(code); }

inline const char* errc_name(Errc code) {
  switch (code) {
    case Errc::not_found: return "not_found";
    case Errc::exists: return "exists";
    case Errc::invalid: return "invalid";
    case Errc::over_quota: return "over_quota";
    case Errc::conflict: return "conflict";
    case Errc::internal: return "internal";
  }
  return "unknown";
}

}  // namespace claret::store
