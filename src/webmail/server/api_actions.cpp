// Flags, move, copy and delete of messages.
#include "webmail/server/api.hpp"

namespace claret::webmail {
namespace {

struct Selection {
  std::string folder;
  std::vector<uint32_t> uids;
  json::Value body;
};

Result<Selection> selection(const Call& call) {
  auto body = json_body(call);
  if (!body) return body.error();
  auto folder = json::string_member(*body, "folder");
  if (!folder) return folder.error();
  if (folder->empty()) return make_error("\"folder\" must not be empty", 400);
  auto uids = json::uid_list_member(*body, "uids");
  if (!uids) return uids.error();
  return Selection{std::move(*folder), std::move(*uids), std::move(*body)};
}

http::Response status_reply(const Status& st) {
  if (!st) return backend_error(st.error());
  return http::Response::json(200, "{}");
}

Result<std::vector<std::string>> flag_list(const json::Value& body, std::string_view key) {
  auto flags = json::string_list_member(body, key);
  if (!flags) return flags;
  for (const auto& f : *flags) {
    bool ok = !f.empty() && f.size() <= 100;
    for (size_t i = 0; ok && i < f.size(); ++i) {
      char c = f[i];
      // IMAP flag syntax (RFC 9051 §9: flag-keyword is an atom; system flags start with '\').
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || static_cast<unsigned char>(c) >= 0x80 ||
          std::string_view("(){%*\"]").find(c) != std::string_view::npos || (c == '\\' && i != 0))
        ok = false;
    }
    if (!ok) return make_error("bad flag \"" + f + "\"", 400);
  }
  return flags;
}

// Remembered per session like Sent and Drafts; only the special use counts (no fallback by name).
Task<std::string> trash_folder(UserSession& user) {
  auto name = co_await special_folder(*user.mail, user.special_folders, "\\Trash", "");
  co_return name;
}

}  // namespace

Reply api_flags(Call& call) {
  auto sel = selection(call);
  if (!sel) co_return http::Response::error(400, sel.error().message);
  auto add = flag_list(sel->body, "add");
  if (!add) co_return http::Response::error(400, add.error().message);
  auto remove = flag_list(sel->body, "remove");
  if (!remove) co_return http::Response::error(400, remove.error().message);
  if (add->empty() && remove->empty()) co_return http::Response::error(400, "nothing to change: give \"add\" or \"remove\"");
  if (!add->empty()) {
    auto st = co_await call.user->mail->set_flags(sel->folder, sel->uids, FlagChange::add, *add);
    if (!st) co_return backend_error(st.error());
  }
  if (!remove->empty()) {
    auto st = co_await call.user->mail->set_flags(sel->folder, sel->uids, FlagChange::remove, *remove);
    if (!st) co_return backend_error(st.error());
  }
  co_return http::Response::json(200, "{}");
}

Reply api_move(Call& call) {
  auto sel = selection(call);
  if (!sel) co_return http::Response::error(400, sel.error().message);
  auto to = json::string_member(sel->body, "to");
  if (!to || to->empty()) co_return http::Response::error(400, "\"to\" must be a folder name");
  auto st = co_await call.user->mail->move(sel->folder, sel->uids, *to);
  co_return status_reply(st);
}

Reply api_copy(Call& call) {
  auto sel = selection(call);
  if (!sel) co_return http::Response::error(400, sel.error().message);
  auto to = json::string_member(sel->body, "to");
  if (!to || to->empty()) co_return http::Response::error(400, "\"to\" must be a folder name");
  auto st = co_await call.user->mail->copy(sel->folder, sel->uids, *to);
  co_return status_reply(st);
}

Reply api_delete(Call& call) {
  auto sel = selection(call);
  if (!sel) co_return http::Response::error(400, sel.error().message);
  std::string trash = co_await trash_folder(*call.user);
  if (trash.empty() || trash == sel->folder) {
    auto st = co_await call.user->mail->expunge(sel->folder, sel->uids);
    co_return status_reply(st);
  }
  auto st = co_await call.user->mail->move(sel->folder, sel->uids, trash);
  if (st || st.error().code != kNotFound) co_return status_reply(st);
  // Perhaps the remembered Trash was renamed or deleted by another client: look again, once.
  call.user->special_folders.forget();
  std::string fresh = co_await trash_folder(*call.user);
  if (fresh == trash) co_return status_reply(st);
  if (fresh.empty() || fresh == sel->folder) {
    auto expunged = co_await call.user->mail->expunge(sel->folder, sel->uids);
    co_return status_reply(expunged);
  }
  auto moved = co_await call.user->mail->move(sel->folder, sel->uids, fresh);
  co_return status_reply(moved);
}

}  // namespace claret::webmail
