// Folder list and management.
#include "webmail/server/api.hpp"

namespace claret::webmail {
namespace {

std::string folder_json(const Folder& f) {
  return json::Builder::object()
      .field("name", f.name)
      .field("parent", f.parent)
      .field("special_use", f.special_use)
      .field("delimiter", std::string(1, f.delimiter))
      .field_bool("selectable", f.selectable)
      .field_bool("subscribed", f.subscribed)
      .field_num("messages", f.messages)
      .field_num("unseen", f.unseen)
      .done();
}

Result<std::string> folder_name(const json::Value& body, std::string_view key) {
  auto name = json::string_member(body, key);
  if (!name) return name;
  if (name->empty() || name->size() > 1000) return make_error("\"" + std::string(key) + "\" must be a folder name", 400);
  for (char c : *name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return make_error("folder names cannot contain control characters", 400);
  return name;
}

http::Response status_reply(const Status& st, int ok_status = 200) {
  if (!st) return backend_error(st.error());
  return http::Response::json(ok_status, "{}");
}

}  // namespace

Reply api_folders(Call& call) {
  auto folders = co_await call.user->mail->folders();
  if (!folders) co_return backend_error(folders.error());
  call.user->special_folders.learn(*folders);  // so that sending needs no listing of its own
  json::Builder list = json::Builder::array();
  for (const auto& f : *folders) list.raw(folder_json(f));
  co_return http::Response::json(200, json::Builder::object().field_raw("folders", list.done()).done());
}

Reply api_folder_create(Call& call) {
  auto body = json_body(call);
  if (!body) co_return http::Response::error(400, body.error().message);
  auto name = folder_name(*body, "name");
  if (!name) co_return http::Response::error(400, name.error().message);
  auto st = co_await call.user->mail->create_folder(*name);
  call.user->special_folders.forget();  // a new folder may carry a special use, or be named "Sent"
  co_return status_reply(st, 201);
}

Reply api_folder_rename(Call& call) {
  auto body = json_body(call);
  if (!body) co_return http::Response::error(400, body.error().message);
  auto from = folder_name(*body, "from");
  if (!from) co_return http::Response::error(400, from.error().message);
  auto to = folder_name(*body, "to");
  if (!to) co_return http::Response::error(400, to.error().message);
  auto st = co_await call.user->mail->rename_folder(*from, *to);
  call.user->special_folders.forget();
  co_return status_reply(st);
}

Reply api_folder_delete(Call& call) {
  auto body = json_body(call);
  if (!body) co_return http::Response::error(400, body.error().message);
  auto name = folder_name(*body, "name");
  if (!name) co_return http::Response::error(400, name.error().message);
  auto st = co_await call.user->mail->delete_folder(*name);
  call.user->special_folders.forget();
  co_return status_reply(st);
}

}  // namespace claret::webmail
