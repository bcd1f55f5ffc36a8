// The DKIM keys of a server on disk (DIR/DOMAIN/SELECTOR.pem) and signing with them (RFC 6376 §3.1
// selectors; RFC 8463 §1: sign with RSA and Ed25519 side by side while receivers adopt Ed25519).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "mailauth/dkim_signer.hpp"

namespace claret::mailauth {

struct KeyFile {
  std::string domain;    // lower case
  std::string selector;
  std::filesystem::path file;
};

// A domain is dot-separated labels of letters, digits and '-' (RFC 1035 §2.3.1); a selector is the same
// plus '_' (RFC 6376 §3.1 allows any sub-domain). Both become path components, so this also keeps keys
// inside the key directory.
Status validate_domain(std::string_view domain);
Status validate_selector(std::string_view selector);

// DIR/DOMAIN/SELECTOR.pem with DOMAIN in lower case.
std::filesystem::path key_file_path(const std::filesystem::path& dir, std::string_view domain,
                                    std::string_view selector);

// Writes `key` to key_file_path() with mode 0600 (directories 0700). Refuses to overwrite an existing
// key: replacing a published key breaks every signature in transit.
Result<std::filesystem::path> write_key_file(const std::filesystem::path& dir, std::string_view domain,
                                             std::string_view selector, const PrivateKey& key);

// Every DIR/DOMAIN/SELECTOR.pem whose names are valid, sorted by domain then selector. A missing DIR
// is an empty list.
Result<std::vector<KeyFile>> list_key_files(const std::filesystem::path& dir);

// All keys of a directory loaded once, for signing outbound mail.
class DkimKeyring {
 public:
  // Loads every key of list_key_files(); any unreadable key is an error naming the file.
  static Result<DkimKeyring> load(const std::filesystem::path& dir, SignerOptions options = {});

  // The DKIM-Signature fields for mail from `domain`: one per key of the closest domain that has keys
  // (the domain itself, else its parent, and so on: d= of a parent still aligns for DMARC's relaxed
  // mode). Empty when no key applies.
  std::string sign(std::string_view domain, std::string_view message) const;
  bool empty() const { return signers_.empty(); }
  const std::vector<DkimSigner>& signers() const { return signers_; }

 private:
  std::vector<DkimSigner> signers_;
};

}  // namespace claret::mailauth
