// SpecialFolders: a remembered folder listing reduced to (name, special use), guarded by a mutex because the
// requests of one session may run on different threads (the backend calls themselves are serialised).
#include "webmail/server/special_folders.hpp"

#include "base/strings.hpp"

namespace claret::webmail {

std::optional<std::string> SpecialFolders::find(std::string_view use, std::string_view fallback) const {
  std::lock_guard lock(mu_);
  if (!folders_) return std::nullopt;
  for (const auto& [name, special] : *folders_)
    if (special == use) return name;
  if (!fallback.empty())
    for (const auto& [name, special] : *folders_)
      if (iequals(name, fallback)) return name;
  return std::string();
}

void SpecialFolders::learn(const std::vector<Folder>& folders) {
  std::vector<std::pair<std::string, std::string>> seen;
  seen.reserve(folders.size());
  for (const auto& f : folders) seen.emplace_back(f.name, f.special_use);
  std::lock_guard lock(mu_);
  folders_ = std::move(seen);
}

void SpecialFolders::forget() {
  std::lock_guard lock(mu_);
  folders_.reset();
}

Task<std::string> special_folder(MailSession& mail, SpecialFolders& known, const char* use, const char* fallback) {
  if (auto name = known.find(use, fallback)) co_return *name;
  auto folders = co_await mail.folders();
  if (!folders) co_return std::string();
  known.learn(*folders);
  co_return known.find(use, fallback).value_or(std::string());
}

Task<SpecialAppend> append_to_special(MailSession& mail, SpecialFolders& known, const char* use, const char* fallback,
                                      std::string message, std::vector<std::string> flags) {
  SpecialAppend out;
  const bool remembered = known.find(use, fallback).has_value();
  out.folder = co_await special_folder(mail, known, use, fallback);
  if (out.folder.empty()) co_return out;
  std::string first_message = remembered ? message : std::move(message);
  std::vector<std::string> first_flags = flags;
  auto first = co_await mail.append(out.folder, std::move(first_message), std::move(first_flags));
  if (first) {
    out.uid = *first;
    co_return out;
  }
  out.error = first.error();
  if (!remembered || first.error().code != kNotFound) co_return out;
  known.forget();
  out.folder = co_await special_folder(mail, known, use, fallback);
  if (out.folder.empty()) co_return out;
  auto second = co_await mail.append(out.folder, std::move(message), std::move(flags));
  if (second) out.uid = *second;
  else out.error = second.error();
  co_return out;
}

}  // namespace claret::webmail
