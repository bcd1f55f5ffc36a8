// Self-signed certificate generation for `claret init` and tests (X.509 v3, RFC 5280 §4.2.1.6 SAN).
#pragma once

#include <string>

#include "base/result.hpp"

namespace claret::tls {

// Writes a new EC P-256 key (file mode 0600) and a self-signed certificate valid for ten years whose
// subjectAltName holds DNS:hostname, DNS:localhost and IP:127.0.0.1. Existing files are replaced.
Status generate_self_signed(const std::string& cert_path, const std::string& key_path, const std::string& hostname);

}  // namespace claret::tls
