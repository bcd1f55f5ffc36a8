// The OpenSSL/Asio side of TlsContext; included only by io/ and tls/ sources, never by protocol code.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <string>

namespace claret::tls {

struct NativeContext {
  explicit NativeContext(boost::asio::ssl::context::method method) : ssl(method) {}
  boost::asio::ssl::context ssl;
};

// The last OpenSSL error queue entries as one line (and clears the queue), for error messages.
std::string openssl_error_text();

}  // namespace claret::tls
