// Sending, drafts and attachment uploads. The message is built here (mime::build_message) and handed to
// the backend: SMTP submission, then a copy in Sent.
#include "base/log.hpp"
#include "base/strings.hpp"
#include "mime/message_builder.hpp"
#include "webmail/server/api.hpp"

namespace claret::webmail {
namespace {

struct Composed {
  mime::MessageDraft draft;
  std::vector<std::string> upload_ids;
  uint32_t draft_uid = 0;
};

Status read_lists(const json::Value& body, mime::MessageDraft& d) {
  const std::pair<const char*, std::vector<std::string>*> fields[] = {{"to", &d.to}, {"cc", &d.cc}, {"bcc", &d.bcc}};
  for (const auto& [key, target] : fields) {
    auto list = json::string_list_member(body, key);
    if (!list) return list.error();
    *target = std::move(*list);
  }
  return {};
}

Status read_texts(const json::Value& body, mime::MessageDraft& d) {
  const std::pair<const char*, std::string*> fields[] = {{"subject", &d.subject}, {"text", &d.text}, {"html", &d.html},
                                                         {"in_reply_to", &d.in_reply_to}, {"references", &d.references}};
  for (const auto& [key, target] : fields) {
    auto v = json::string_member(body, key, false);
    if (!v) return v.error();
    *target = std::move(*v);
  }
  return {};
}

Task<Result<Composed>> read_compose(Call& call, bool for_draft) {
  auto body = json_body(call);
  if (!body) co_return body.error();
  Composed c;
  mime::MessageDraft& d = c.draft;
  auto from = json::string_member(*body, "from");
  if (!from) co_return from.error();
  d.from = *from;
  // Plain statements: g++ 12 cannot keep braced lists alive across a coroutine frame ("array used as initializer").
  auto lists = read_lists(*body, d);
  if (!lists) co_return lists.error();
  auto texts = read_texts(*body, d);
  if (!texts) co_return texts.error();
  auto reply_to = json::string_member(*body, "reply_to", false);
  if (!reply_to) co_return reply_to.error();
  if (!trim(*reply_to).empty()) d.reply_to.push_back(*reply_to);
  auto uploads = json::string_list_member(*body, "attachments");
  if (!uploads) co_return uploads.error();
  c.upload_ids = std::move(*uploads);
  auto draft_uid = json::uid_member(*body, "draft_uid", false);
  if (!draft_uid) co_return draft_uid.error();
  c.draft_uid = *draft_uid;
  if (!for_draft && d.to.empty() && d.cc.empty() && d.bcc.empty())
    co_return make_error("add at least one recipient", 400);

  // The sender must be one of the user's identities; whether the server accepts it is the submission
  // server's decision (claret allows the account's address and aliases).
  mime::MessageDraft from_only;
  from_only.from = d.from;
  auto parsed_from = mime::build_message(from_only);
  if (!parsed_from) co_return parsed_from.error();
  bool allowed = false;
  for (const auto& id : call.server.sessions.identities(*call.user))
    if (iequals(id.email, parsed_from->envelope_from)) allowed = true;
  if (!allowed)
    co_return make_error(parsed_from->envelope_from + " is not one of your identities (add it in Settings first)", 400);

  auto files = call.server.sessions.get_uploads(*call.user, c.upload_ids);
  if (!files) co_return files.error();
  for (auto& f : *files) d.attachments.push_back({std::move(f.filename), std::move(f.content_type), std::move(f.data)});

  if (const json::Value* fwd = body->get("forward"); fwd && fwd->type != json::Value::Type::null) {
    auto folder = json::string_member(*fwd, "folder");
    if (!folder) co_return folder.error();
    auto uid = json::uid_member(*fwd, "uid");
    if (!uid) co_return uid.error();
    auto raw = co_await call.user->mail->raw(*folder, *uid);
    if (!raw) co_return raw.error();
    d.forwarded = std::move(*raw);
  }
  d.message_id_domain = call.server.options.message_id_domain;
  d.keep_bcc = for_draft;
  co_return c;
}

// Braced lists do not survive g++ 12 coroutine frames; these plain functions build them outside.
std::vector<std::string> flags_of(const char* a, const char* b = nullptr) {
  std::vector<std::string> out(1, a);
  if (b) out.emplace_back(b);
  return out;
}
std::vector<uint32_t> one_uid(uint32_t uid) { return std::vector<uint32_t>(1, uid); }
void log_sent(const std::string& user, size_t recipients) {
  log::info("webmail.sent", {{"user", user}, {"recipients", static_cast<int>(recipients)}});
}
void log_draft_replace_failed(const std::string& user, const std::string& error) {
  log::warn("webmail.draft_replace_failed", {{"user", user}, {"error", error}});
}

http::Response error_reply(const Error& e) {
  if (e.code == 400 || e.code == 0) return http::Response::error(400, e.message);
  return backend_error(e);
}

}  // namespace

Reply api_send(Call& call) {
  auto composed = co_await read_compose(call, false);
  if (!composed) co_return error_reply(composed.error());
  auto built = mime::build_message(composed->draft);
  if (!built) co_return http::Response::error(400, built.error().message);
  MailSession& mail = *call.user->mail;
  // Named locals, not temporaries, as coroutine arguments (g++ 12 destroys such temporaries twice).
  Submission submission{built->envelope_from, built->recipients, built->message};
  auto sent = co_await mail.send(std::move(submission));
  if (!sent) co_return backend_error(sent.error());
  call.server.sessions.discard_uploads(*call.user, composed->upload_ids);
  log_sent(mail.username(), built->recipients.size());

  // The message is gone; what follows is bookkeeping, reported as a warning if it fails.
  std::string warning;
  // The Sent folder's name is remembered per session: normally SUBMIT + one APPEND, no folder listing.
  std::vector<std::string> seen = flags_of("\\Seen");
  auto copy = co_await append_to_special(mail, call.user->special_folders, "\\Sent", "Sent", built->message,
                                         std::move(seen));
  if (copy.folder.empty()) warning = "sent, but there is no Sent folder to keep a copy in";
  else if (!copy.uid) warning = "sent, but the copy in " + copy.folder + " failed: " + copy.error.message;
  if (composed->draft_uid) {
    std::string drafts = co_await special_folder(mail, call.user->special_folders, "\\Drafts", "Drafts");
    if (!drafts.empty()) {
      std::vector<uint32_t> old_draft = one_uid(composed->draft_uid);
      auto st = co_await mail.expunge(drafts, std::move(old_draft));
      if (!st && warning.empty()) warning = "sent, but the draft could not be deleted: " + st.error().message;
    }
  }
  json::Builder out = json::Builder::object();
  out.field("message_id", built->message_id);
  if (!warning.empty()) out.field("warning", warning);
  co_return http::Response::json(200, out.done());
}

Reply api_draft(Call& call) {
  auto composed = co_await read_compose(call, true);
  if (!composed) co_return error_reply(composed.error());
  auto built = mime::build_message(composed->draft);
  if (!built) co_return http::Response::error(400, built.error().message);
  MailSession& mail = *call.user->mail;
  std::vector<std::string> draft_flags = flags_of("\\Draft", "\\Seen");
  auto stored = co_await append_to_special(mail, call.user->special_folders, "\\Drafts", "Drafts",
                                           std::move(built->message), std::move(draft_flags));
  if (stored.folder.empty()) co_return http::Response::error(502, "there is no Drafts folder");
  if (!stored.uid) co_return backend_error(stored.error);
  const std::string& drafts = stored.folder;
  // Only after the new version is safely stored does the old one go.
  if (composed->draft_uid) {
    std::vector<uint32_t> old_draft = one_uid(composed->draft_uid);
    auto st = co_await mail.expunge(drafts, std::move(old_draft));
    if (!st) log_draft_replace_failed(mail.username(), st.error().message);
  }
  co_return http::Response::json(200, json::Builder::object().field_num("uid", *stored.uid).done());
}

Reply api_upload(Call& call) {
  Upload upload;
  upload.filename = call.req.param("filename").value_or("");
  upload.content_type = to_lower(call.req.param("type").value_or(""));
  if (upload.content_type.empty()) upload.content_type = "application/octet-stream";
  if (upload.filename.size() > 255) co_return http::Response::error(400, "filename is too long");
  upload.data = call.req.body;
  std::size_t size = upload.data.size();
  std::string id = call.server.sessions.add_upload(*call.user, std::move(upload), call.server.options.max_pending_upload_bytes);
  if (id.empty()) co_return http::Response::error(413, "too many pending attachments; send or remove some first");
  co_return http::Response::json(200, json::Builder::object().field("id", id).key("size").num_u(size).done());
}

}  // namespace claret::webmail
