// GET/POST /api/identities: the user's sender identities (name, address, Reply-To, signature), saved in the
// webmail's state directory (identities.hpp). Saving replaces the whole list; the addresses the server knows
// for the account come back even when left out, so the login address can never be lost.
#include "io/offload.hpp"
#include "webmail/server/api.hpp"

namespace claret::webmail {
namespace {

std::string list_json(const std::vector<Identity>& list) {
  return json::Builder::object().field_raw("identities", identities_json(list)).done();
}

std::vector<std::string> known_addresses(const std::vector<Identity>& list) {
  std::vector<std::string> out;
  for (const auto& i : list)
    if (i.server_known) out.push_back(i.email);
  return out;
}

}  // namespace

Reply api_identities(Call& call) {
  co_return http::Response::json(200, list_json(call.server.sessions.identities(*call.user)));
}

Reply api_identities_save(Call& call) {
  auto body = json_body(call);
  if (!body) co_return http::Response::error(400, body.error().message);
  const json::Value* list = body->get("identities");
  if (!list) co_return http::Response::error(400, "\"identities\" is required");
  auto parsed = identities_from_json(*list);
  if (!parsed) co_return http::Response::error(400, parsed.error().message);
  if (parsed->empty()) co_return http::Response::error(400, "keep at least one identity");
  std::vector<Identity> merged = merge_identities(std::move(*parsed), known_addresses(call.server.sessions.identities(*call.user)));
  IdentityStore* store = &call.server.identities;
  const std::string* user = &call.user->mail->username();
  const std::vector<Identity>* to_save = &merged;
  auto save = [store, user, to_save] { return store->save(*user, *to_save); };
  Status saved = co_await io::offload(save);
  if (!saved) co_return http::Response::error(500, "could not save the identities: " + saved.error().message);
  call.server.sessions.set_identities(*call.user, merged);
  co_return http::Response::json(200, list_json(merged));
}

}  // namespace claret::webmail
