// Command-line arguments of one subcommand: positional words and --options, with one-line errors.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace claret::app {

class Args {
 public:
  // `flags` take no value (--allow-plaintext-on-loopback); `options` take one (--config FILE or
  // --config=FILE). Anything else starting with "--" is an error.
  static Result<Args> parse(const std::vector<std::string>& words, const std::set<std::string>& flags,
                            const std::set<std::string>& options);

  const std::vector<std::string>& positional() const { return positional_; }
  bool flag(const std::string& name) const { return flags_.count(name) != 0; }
  std::optional<std::string> option(const std::string& name) const;

 private:
  std::vector<std::string> positional_;
  std::set<std::string> flags_;
  std::map<std::string, std::string> options_;
};

}  // namespace claret::app
