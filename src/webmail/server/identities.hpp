// Sender identities: the names, addresses, Reply-Tos and signatures a user sends with. A standalone
// `claret webmail` cannot know a user's aliases (IMAP does not tell), so identities are user-managed and kept
// by the webmail itself, one small JSON file per user in its state directory (docs/webmail.md); inside
// `claret serve` the account's own address and aliases are added to them at login. Whether the mail server
// accepts a given From is still decided by the submission server (claret checks address and aliases).
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "webmail/server/json.hpp"

namespace claret::webmail {

struct Identity {
  std::string id;         // stable within the user's list ("i1", "i2", …)
  std::string name;       // display name, UTF-8, may be empty
  std::string email;      // addr-spec
  std::string reply_to;   // one address, "Name <a@b>" or "a@b" as typed, may be empty
  std::string signature;  // plain text, appended below "-- " by the front end
  bool server_known = false;  // the mail server lists this address for the account (login name or alias)
};

inline constexpr std::size_t kMaxIdentities = 50;
inline constexpr std::size_t kMaxSignatureBytes = 10000;

// {"id","name","email","reply_to","signature","server_known"}
std::string identity_json(const Identity& i);
std::string identities_json(const std::vector<Identity>& list);
// The "identities" array of a POST /api/identities body: every field checked, Error (400) naming the bad one.
// Ids are kept when given and assigned ("i<n>") when missing.
Result<std::vector<Identity>> identities_from_json(const json::Value& array);

// `known`: the addresses the server says the account may use (login first). Adds those missing from
// `stored` (server_known = true, nothing else set) and marks the stored ones that are known.
std::vector<Identity> merge_identities(std::vector<Identity> stored, const std::vector<std::string>& known);

// The user's saved list. With an empty directory, kept in memory only (lost at restart).
// Thread-safe. Files are replaced atomically (temporary file, fsync, rename), named by a hash of the
// lower-cased username so no user-controlled text becomes a path.
class IdentityStore {
 public:
  explicit IdentityStore(std::filesystem::path dir);
  // nullopt: never saved (or unreadable, which is logged).
  std::optional<std::vector<Identity>> load(const std::string& username);
  Status save(const std::string& username, const std::vector<Identity>& list);
  bool persistent() const { return !dir_.empty(); }

 private:
  std::filesystem::path file_for(const std::string& username) const;
  std::filesystem::path dir_;
  std::mutex mu_;
  std::map<std::string, std::vector<Identity>> memory_;
};

}  // namespace claret::webmail
