// The DKIM signing hook for outbound mail: signs with the keys `claret dkim keygen` wrote under
// <data_dir>/dkim, choosing the key by the From: domain (the domain DMARC aligns with, RFC 7489 §3.1).
#pragma once

#include <filesystem>

#include "base/result.hpp"
#include "queue/enqueue.hpp"

namespace claret::app {

// An empty function when there is no key at all (mail goes out unsigned); an error when a key file
// cannot be read. Keys added later take effect at the next start of `serve`.
Result<queue::MessageSigner> make_dkim_signer(const std::filesystem::path& data_dir);

}  // namespace claret::app
