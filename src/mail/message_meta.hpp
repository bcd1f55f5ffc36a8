// Parse once: everything IMAP FETCH/SEARCH/SORT/THREAD will need, computed from the message at delivery.
#pragma once

#include <string_view>

#include "store/types.hpp"

namespace claret::mail {

store::MessageMeta compute_meta(std::string_view raw);

}  // namespace claret::mail
