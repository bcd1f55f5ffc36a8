// DKIM signing hook (RFC 6376 §5) built from the keyring in the data directory.
#include "app/dkim_signing.hpp"

#include <memory>

#include "mailauth/dkim_keyring.hpp"
#include "mime/message.hpp"
#include "mime/summary.hpp"

namespace claret::app {
namespace {

std::string_view domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

}  // namespace

Result<queue::MessageSigner> make_dkim_signer(const std::filesystem::path& data_dir) {
  std::error_code ec;
  std::filesystem::path dir = data_dir / "dkim";
  if (!std::filesystem::exists(dir, ec)) return queue::MessageSigner{};
  auto keyring = mailauth::DkimKeyring::load(dir);
  if (!keyring) return keyring.error();
  if (keyring->empty()) return queue::MessageSigner{};
  auto shared = std::make_shared<const mailauth::DkimKeyring>(std::move(keyring).value());
  return queue::MessageSigner([shared](std::string_view message, std::string_view sender) {
    // Submission already requires From: to be the account's own address; sign for its domain, falling
    // back to the envelope sender's (DSNs have no author domain of ours in From: … but a null sender).
    mime::ParsedMessage parsed = mime::parse(message);
    std::string from = mime::summarize(parsed).from_addr;
    std::string_view domain = domain_of(from);
    if (domain.empty()) domain = domain_of(sender);
    if (domain.empty()) return std::string();
    return shared->sign(domain, message);
  });
}

}  // namespace claret::app
