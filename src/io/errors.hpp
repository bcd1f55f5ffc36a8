// Error codes of io/ operations, carried in claret::Error::code so sessions can map them to replies.
#pragma once

#include <string>

#include "base/result.hpp"

namespace claret::io {

enum class IoErrc {
  eof = 1,        // the peer closed the connection (or sent TLS close_notify)
  too_long,       // a line exceeded max_len; the rest of it was discarded, the connection is usable
  timeout,        // idle timeout or command deadline expired
  tls,            // TLS handshake or record failure
  shutdown,       // the server is shutting down (only for reads that asked to be interrupted)
  closed,         // the connection was closed locally (close() or forced shutdown)
  network,        // any other socket error (reset, unreachable, …)
  invalid_state,  // e.g. start_tls() on a connection that is already TLS or has no TLS context
};

const char* to_string(IoErrc code);
Error make_io_error(IoErrc code, std::string detail = {});
inline bool is(const Error& error, IoErrc code) { return error.code == static_cast<int>(code); }

}  // namespace claret::io
