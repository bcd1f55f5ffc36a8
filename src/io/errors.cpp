// Names and constructors for io::IoErrc errors.
#include "io/errors.hpp"

namespace claret::io {

const char* to_string(IoErrc code) {
  switch (code) {
    case IoErrc::eof: return "eof";
    case IoErrc::too_long: return "too_long";
    case IoErrc::timeout: return "timeout";
    case IoErrc::tls: return "tls";
    case IoErrc::shutdown: return "shutdown";
    case IoErrc::closed: return "closed";
    case IoErrc::network: return "network";
    case IoErrc::invalid_state: return "invalid_state";
  }
  return "unknown";
}

Error make_io_error(IoErrc code, std::string detail) {
  std::string message = to_string(code);
  if (!detail.empty()) message += ": " + detail;
  return Error{static_cast<int>(code), std::move(message)};
}

}  // namespace claret::io
