// Reading mail: list, one message (with sanitised HTML), its HTML document for the iframe, its
// conversation, the raw source and single parts (streamed).
#include "base/strings.hpp"
#include "webmail/html/sanitizer.hpp"
#include "webmail/server/api.hpp"

namespace claret::webmail {
namespace {

constexpr uint64_t kPartChunk = 256 * 1024;

std::optional<uint32_t> number_param(const Call& call, std::string_view name, uint32_t fallback, uint32_t max,
                                     http::Response& error) {
  auto v = call.req.param(name);
  if (!v || v->empty()) return fallback;
  auto n = parse_u64(*v);
  if (!n || *n > max) {
    error = http::Response::error(400, std::string(name) + " must be a number up to " + std::to_string(max));
    return std::nullopt;
  }
  return static_cast<uint32_t>(*n);
}

std::optional<SortOrder> sort_param(const Call& call) {
  auto v = call.req.param("sort").value_or("date_desc");
  if (v.empty() || v == "date_desc") return SortOrder::date_desc;
  if (v == "date_asc") return SortOrder::date_asc;
  if (v == "from_asc") return SortOrder::from_asc;
  if (v == "subject_asc") return SortOrder::subject_asc;
  if (v == "size_desc") return SortOrder::size_desc;
  return std::nullopt;
}

bool flag_param(const Call& call, std::string_view name) {
  auto v = call.req.param(name);
  return v && (*v == "1" || *v == "true");
}

std::string part_url(const std::string& folder, uint32_t uid, const std::string& section) {
  return "/api/part?folder=" + http::percent_encode(folder) + "&uid=" + std::to_string(uid) +
         "&section=" + http::percent_encode(section);
}

html::SanitizeResult sanitized(const MessageView& view, const std::string& folder, uint32_t uid, bool remote) {
  html::SanitizeOptions options;
  options.allow_remote = remote;
  // cid: images stay /api/part URLs (the iframe's CSP allows 'self' images through img-src).
  options.cid_url = [&view, &folder, uid](std::string_view cid) {
    for (const auto& p : view.attachments)
      if (!p.content_id.empty() && p.content_id == cid) return part_url(folder, uid, p.section);
    return std::string();
  };
  return html::sanitize(view.html, options);
}

// Plain text as HTML, for messages without an HTML alternative.
std::string text_as_html(std::string_view text) {
  std::string out = "<pre style=\"white-space:pre-wrap;font-family:inherit\">";
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out + "</pre>";
}

// A filename safe for Content-Disposition (quoted-string, ASCII; RFC 6266 filename* for the rest).
std::string disposition(std::string_view kind, std::string_view filename) {
  std::string ascii;
  for (unsigned char c : filename)
    ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
  if (ascii.empty()) ascii = "part";
  return std::string(kind) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + http::percent_encode(filename.empty() ? ascii : filename);
}

// Only types a browser cannot execute in our origin are served inline; everything else is a download.
bool safe_inline(std::string_view type) {
  static const std::string_view ok[] = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp",
                                        "text/plain", "application/pdf", "audio/mpeg", "audio/ogg", "video/mp4",
                                        "video/webm"};
  for (auto t : ok)
    if (type == t) return true;
  return false;
}

}  // namespace

Reply api_messages(Call& call) {
  http::Response error;
  auto folder = folder_param(call, error);
  if (!folder) co_return error;
  ListQuery q;
  q.folder = *folder;
  auto offset = number_param(call, "offset", 0, 0xffffffffu, error);
  if (!offset) co_return error;
  auto limit = number_param(call, "limit", 50, 500, error);
  if (!limit) co_return error;
  auto sort = sort_param(call);
  if (!sort) co_return http::Response::error(400, "sort must be date_desc, date_asc, from_asc, subject_asc or size_desc");
  q.offset = *offset;
  q.limit = *limit;
  q.sort = *sort;
  q.search = call.req.param("q").value_or("");
  q.unseen_only = flag_param(call, "unseen");
  q.flagged_only = flag_param(call, "flagged");
  q.threaded = flag_param(call, "threaded");
  auto page = co_await call.user->mail->list(q);
  if (!page) co_return backend_error(page.error());
  json::Builder list = json::Builder::array();
  for (const auto& m : page->messages) list.raw(summary_json(m));
  co_return http::Response::json(200, json::Builder::object()
                                          .field_num("total", page->total)
                                          .field_num("uidvalidity", page->uidvalidity)
                                          .field_raw("messages", list.done())
                                          .done());
}

Reply api_message(Call& call) {
  http::Response error;
  auto folder = folder_param(call, error);
  if (!folder) co_return error;
  auto uid = uid_param(call, error);
  if (!uid) co_return error;
  auto view = co_await call.user->mail->message(*folder, *uid);
  if (!view) co_return backend_error(view.error());
  html::SanitizeResult clean = sanitized(*view, *folder, *uid, flag_param(call, "remote"));
  json::Builder parts = json::Builder::array();
  for (const auto& p : view->attachments) parts.raw(part_json(p));
  co_return http::Response::json(200, json::Builder::object()
                                          .field_raw("summary", summary_json(view->summary))
                                          .field_raw("reply_to", addresses_json(view->reply_to))
                                          .field_raw("bcc", addresses_json(view->bcc))
                                          .field("references", view->references)
                                          .field("text", view->text)
                                          .field("html_sanitized", clean.html)
                                          .field_bool("remote_content_blocked", clean.remote_content_blocked)
                                          .field_raw("attachments", parts.done())
                                          .done());
}

Reply api_message_html(Call& call) {
  http::Response error;
  auto folder = folder_param(call, error);
  if (!folder) co_return error;
  auto uid = uid_param(call, error);
  if (!uid) co_return error;
  bool remote = flag_param(call, "remote");
  auto view = co_await call.user->mail->message(*folder, *uid);
  if (!view) co_return backend_error(view.error());
  std::string body = view->html.empty() ? text_as_html(view->text) : sanitized(*view, *folder, *uid, remote).html;
  http::Response r = http::Response::text(
      200, "text/html; charset=utf-8",
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><base target=\"_blank\"></head><body>" + body +
          "</body></html>");
  r.set("Content-Security-Policy", std::string("default-src 'none'; img-src 'self' data: cid:") +
                                       (remote ? " https:" : "") + "; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
  co_return r;
}

Reply api_thread(Call& call) {
  http::Response error;
  auto folder = folder_param(call, error);
  if (!folder) co_return error;
  auto uid = uid_param(call, error);
  if (!uid) co_return error;
  auto thread = co_await call.user->mail->thread(*folder, *uid);
  if (!thread) co_return backend_error(thread.error());
  json::Builder list = json::Builder::array();
  for (const auto& m : *thread) list.raw(summary_json(m));
  co_return http::Response::json(200, json::Builder::object().field_raw("messages", list.done()).done());
}

Reply api_raw(Call& call) {
  http::Response error;
  auto folder = folder_param(call, error);
  if (!folder) co_return error;
  auto uid = uid_param(call, error);
  if (!uid) co_return error;
  auto raw = co_await call.user->mail->raw(*folder, *uid);
  if (!raw) co_return backend_error(raw.error());
  http::Response r = http::Response::text(200, "message/rfc822", std::move(*raw));
  r.set("Content-Disposition", disposition("attachment", "message-" + std::to_string(*uid) + ".eml"));
  co_return r;
}

Reply api_part(Call& call) {
  http::Response error;
  auto folder = folder_param(call, error);
  if (!folder) co_return error;
  auto uid = uid_param(call, error);
  if (!uid) co_return error;
  auto section = call.req.param("section").value_or("");
  if (section.empty() || section.size() > 100 || section.find_first_not_of("0123456789.") != std::string::npos)
    co_return http::Response::error(400, "section must be a part number like 1.2");
  // The part's metadata (type, name) comes from the message's structure.
  auto view = co_await call.user->mail->message(*folder, *uid);
  if (!view) co_return backend_error(view.error());
  const Part* part = nullptr;
  for (const auto& p : view->attachments)
    if (p.section == section) part = &p;
  std::string type = part ? to_lower(part->content_type) : "application/octet-stream";
  bool download = flag_param(call, "download") || !safe_inline(type);
  // First chunk before the head, so a failure can still be a proper error response.
  auto first = co_await call.user->mail->part(*folder, *uid, section, 0, kPartChunk);
  if (!first) co_return backend_error(first.error());
  http::Response head;
  head.set("Content-Type", type == "text/plain" ? "text/plain; charset=utf-8" : type);
  head.set("Content-Disposition", disposition(download ? "attachment" : "inline", part ? part->filename : ""));
  head.set("Cache-Control", "private, max-age=3600");
  if (first->eof) {
    head.body = std::move(first->bytes);
    co_return head;
  }
  add_security_headers(head);
  std::string out = http::serialize_chunked_head(head, call.keep_alive) + http::chunk(first->bytes);
  uint64_t offset = first->bytes.size();
  auto st = co_await call.conn.write(out);
  if (!st) co_return http::Response{0, {}, {}};
  for (;;) {
    auto next = co_await call.user->mail->part(*folder, *uid, section, offset, kPartChunk);
    if (!next) {
      // Too late for a status: end the connection so the client sees a truncated body, not a short file.
      call.keep_alive = false;
      co_await call.conn.close();
      co_return http::Response{0, {}, {}};
    }
    offset += next->bytes.size();
    std::string data = http::chunk(next->bytes);
    if (next->eof) data += http::last_chunk();
    auto wr = co_await call.conn.write(data);
    if (!wr) {
      call.keep_alive = false;
      co_return http::Response{0, {}, {}};
    }
    if (next->eof) break;
    if (next->bytes.empty()) {  // no progress and no eof: a backend bug; do not spin
      call.keep_alive = false;
      co_await call.conn.close();
      break;
    }
  }
  co_return http::Response{0, {}, {}};
}

}  // namespace claret::webmail
