// ID (RFC 2971): the client's name and version are logged; the server says only its name.
#include "base/log.hpp"
#include "base/strings.hpp"
#include "imap/server/commands.hpp"

namespace claret::imap::server {

Task cmd_id(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::IdArgs>(cmd.args);
  if (args.params) {
    std::string name;
    std::string version;
    for (const auto& [k, v] : *args.params) {
      if (!v) continue;
      if (iequals(k, "name")) name = v->substr(0, 64);
      if (iequals(k, "version")) version = v->substr(0, 64);
    }
    log::info("imap.client.id", {{"cid", s.cid()}, {"name", name}, {"version", version}});
  }
  s.send(proto::id_response(std::vector<std::pair<std::string, std::string>>{{"name", "claret"}}));
  s.ok(cmd.tag, "ID completed");
  co_return;
}

}  // namespace claret::imap::server
