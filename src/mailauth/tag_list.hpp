// DKIM tag=value lists, used by the DKIM-Signature field and the key record (RFC 6376 §3.2).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace claret::mailauth {

class TagList {
 public:
  // Parses `tag-list = tag-spec *( ";" tag-spec ) [ ";" ]`. Values have the surrounding FWS removed and
  // keep inner FWS (callers strip it where the grammar allows it, as in base64). A tag that appears
  // twice, a tag without '=', or an invalid tag name is an error, as §3.2 requires.
  static Result<TagList> parse(std::string_view text);

  std::optional<std::string_view> get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& tags() const { return tags_; }

 private:
  std::vector<std::pair<std::string, std::string>> tags_;
};

// `value` without any whitespace (SP, HTAB, CR, LF): the form of base64 and h= values once FWS is ignored.
std::string remove_fws(std::string_view value);

}  // namespace claret::mailauth
