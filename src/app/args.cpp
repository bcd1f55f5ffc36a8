// Command-line argument parsing for subcommands.
#include "app/args.hpp"

namespace claret::app {

Result<Args> Args::parse(const std::vector<std::string>& words, const std::set<std::string>& flags,
                         const std::set<std::string>& options) {
  Args args;
  bool only_positional = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (only_positional || w.size() < 3 || w.compare(0, 2, "--") != 0) {
      if (w == "--") { only_positional = true; continue; }
      args.positional_.push_back(w);
      continue;
    }
    std::string name = w.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (flags.count(name)) {
      if (inline_value) return make_error("--" + name + " takes no value");
      args.flags_.insert(name);
    } else if (options.count(name)) {
      if (inline_value) {
        args.options_[name] = *inline_value;
      } else {
        if (i + 1 >= words.size()) return make_error("--" + name + " needs a value");
        args.options_[name] = words[++i];
      }
    } else {
      return make_error("unknown option --" + name);
    }
  }
  return args;
}

std::optional<std::string> Args::option(const std::string& name) const {
  auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

}  // namespace claret::app
