// The outbound queue as serve and `claret queue` use it: queue store, DNS resolver and delivery workers built
// from the [queue] configuration.
#pragma once

#include <memory>

#include "base/result.hpp"
#include "config/config.hpp"
#include "dns/resolver.hpp"
#include "queue/delivery_service.hpp"
#include "queue/queue_store.hpp"
#include "store/store.hpp"

namespace claret::app {

struct QueueRuntime {
  queue::MessageSigner signer;  // DKIM (empty: no keys); used for submission and for DSNs to remote senders
  std::unique_ptr<queue::QueueStore> queue;
  std::unique_ptr<dns::Resolver> resolver;
  std::unique_ptr<queue::DeliveryService> service;  // not started
};

// Opens the queue tables in cfg.data_dir and builds the workers (not started). `store` must outlive the result.
Result<QueueRuntime> open_queue_runtime(const config::Config& cfg, store::Store& store);

// Loads every relay CA file (queue.smarthost_ca_file, [queue.routes] ca_file): serve refuses to start with the
// file's name rather than deferring all relayed mail; `claret queue` does not check, so the queue stays viewable.
Status check_relay_ca_files(const config::QueueSettings& qs);

}  // namespace claret::app
