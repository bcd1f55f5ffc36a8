// The commented configuration file that `claret init` writes.
#pragma once

#include <cstdint>
#include <string>

namespace claret::config {

struct InitOptions {
  std::string hostname;        // e.g. mail.example.org
  std::string domain;          // the first mail domain
  std::string data_dir = ".";  // as written into the file (relative to the file)
  std::string listen_address = "0.0.0.0";
  // 0 = the protocols' standard ports (25, 587, …); otherwise each port is port_offset + standard
  // port (10000 → 10025, 10587, …), for running without root.
  uint16_t port_offset = 0;
  bool allow_plaintext_on_loopback = false;
};

std::string default_config_text(const InitOptions& options);

}  // namespace claret::config
