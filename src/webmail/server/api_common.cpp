// Helpers every endpoint uses: security headers, error mapping, parameters, JSON shapes of the API types.
#include "base/strings.hpp"
#include "webmail/server/api.hpp"

namespace claret::webmail {

void add_security_headers(http::Response& r) {
  if (!r.find("Content-Security-Policy"))
    r.set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self'; "
          "object-src 'none'; base-uri 'none'; form-action 'self'");
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "no-referrer");
  r.set("X-Frame-Options", "SAMEORIGIN");
  if (!r.find("Cache-Control")) r.set("Cache-Control", "no-store");
}

Task<bool> write_response(Call& call, http::Response r) {
  add_security_headers(r);
  auto st = co_await call.conn.write(http::serialize(r, call.keep_alive));
  co_return st.ok();
}

http::Response backend_error(const Error& e) {
  std::string message = e.message.empty() ? "the mail server failed" : e.message;
  if (e.code == kAuthFailed) return http::Response::error(401, message);
  if (e.code == kNotFound) return http::Response::error(404, message);
  if (e.code == 400) return http::Response::error(400, message);
  return http::Response::error(502, message);
}

Result<json::Value> json_body(const Call& call) {
  auto v = json::parse(call.req.body);
  if (!v) return v;
  if (v->type != json::Value::Type::object) return make_error("the request body must be a JSON object", 400);
  return v;
}

std::optional<std::string> folder_param(const Call& call, http::Response& error) {
  auto f = call.req.param("folder");
  if (!f || f->empty()) {
    error = http::Response::error(400, "folder is required");
    return std::nullopt;
  }
  return f;
}

std::optional<uint32_t> uid_param(const Call& call, http::Response& error) {
  auto u = call.req.param("uid");
  auto n = u ? parse_u64(*u) : std::nullopt;
  if (!n || *n == 0 || *n > 0xffffffffu) {
    error = http::Response::error(400, "uid must be a message uid");
    return std::nullopt;
  }
  return static_cast<uint32_t>(*n);
}

std::string addresses_json(const std::vector<Address>& list) {
  json::Builder b = json::Builder::array();
  for (const auto& a : list) b.raw(json::Builder::object().field("name", a.name).field("email", a.email).done());
  return b.done();
}

std::string summary_json(const MessageSummary& s) {
  return json::Builder::object()
      .field_num("uid", s.uid)
      .field_raw("flags", json::string_array(s.flags))
      .field_num("date", s.date)
      .field_num("received", s.received)
      .key("size").num_u(s.size)
      .field("subject", s.subject)
      .field_raw("from", addresses_json(s.from))
      .field_raw("to", addresses_json(s.to))
      .field_raw("cc", addresses_json(s.cc))
      .field("message_id", s.message_id)
      .field("in_reply_to", s.in_reply_to)
      .field("preview", s.preview)
      .field_bool("has_attachments", s.has_attachments)
      .field_num("thread_size", s.thread_size)
      .field_num("thread_root", s.thread_root)
      .done();
}

std::string part_json(const Part& p) {
  return json::Builder::object()
      .field("section", p.section)
      .field("content_type", p.content_type)
      .field("charset", p.charset)
      .field("filename", p.filename)
      .field("disposition", p.disposition)
      .field("content_id", p.content_id)
      .key("size").num_u(p.size)
      .done();
}

}  // namespace claret::webmail
