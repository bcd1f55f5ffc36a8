// Submission sender policy: own address and aliases only (RFC 6409 §4.1, §8.1; RFC 5322 §3.6.2 From:).
#include "smtp/server/sender_policy.hpp"

#include <algorithm>

#include "base/strings.hpp"
#include "mime/address.hpp"
#include "mime/message.hpp"

namespace claret::smtp::server {

namespace {

// "local+tag@domain" → "local@domain"; unchanged when there is no tag.
std::string without_plus_tag(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos) return std::string(address);
  auto plus = address.substr(0, at).find('+');
  if (plus == std::string_view::npos || plus == 0) return std::string(address);
  return std::string(address.substr(0, plus)) + std::string(address.substr(at));
}

}  // namespace

std::vector<std::string> sendable_addresses(std::string_view account_address, const std::vector<store::Alias>& aliases) {
  std::vector<std::string> out{to_lower(account_address)};
  for (const auto& alias : aliases) {
    if (alias.source.empty() || alias.source.front() == '@') continue;  // catch-all
    bool targets_account = std::any_of(alias.targets.begin(), alias.targets.end(), [&](const std::string& t) {
      return iequals(t, account_address) || iequals(without_plus_tag(t), account_address);
    });
    if (targets_account) out.push_back(to_lower(alias.source));
  }
  return out;
}

bool may_send_as(const std::vector<std::string>& sendable, std::string_view address) {
  std::string stripped = without_plus_tag(address);
  return std::any_of(sendable.begin(), sendable.end(), [&](const std::string& allowed) {
    return iequals(allowed, address) || iequals(allowed, stripped);
  });
}

std::optional<std::string> from_header_violation(std::string_view message, const std::vector<std::string>& sendable) {
  // Only the header is needed: parse up to the blank line.
  std::size_t end = message.find("\r\n\r\n");
  std::string_view header = end == std::string_view::npos ? message : message.substr(0, end + 4);
  mime::ParsedMessage parsed = mime::parse(header);
  for (std::string_view value : parsed.headers_named(parsed.root(), "From")) {
    auto mailboxes = mime::parse_mailboxes(value);
    if (mailboxes.empty()) return std::string(mime::unfold(value));  // a From: we cannot read is not allowed
    for (const auto& mailbox : mailboxes) {
      std::string address = mailbox.addr_spec();
      if (!may_send_as(sendable, address)) return address;
    }
  }
  return std::nullopt;
}

}  // namespace claret::smtp::server
