// The real WebmailServer on a loopback io::Server, driven by a small blocking HTTP/1.1 client, with the
// in-memory FakeBackend behind it.
#include "webmail/server/webmail_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <thread>

#include "auth/login_throttle.hpp"
#include "base/strings.hpp"
#include "webmail/server/json.hpp"
#include "webmail/testing/fake_backend.hpp"

namespace claret::webmail {
namespace {

using testing::FakeBackend;

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeated headers joined by "\n"
  std::string body;
  bool chunked = false;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  json::Value json() const {
    auto v = json::parse(body);
    EXPECT_TRUE(v) << body;
    return v ? *v : json::Value{};
  }
};

// Blocking client; every read gives up after 5 s (SO_RCVTIMEO), so a hung server fails the test.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }

  void send_raw(const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
  }

  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = "",
                       const std::vector<std::string>& headers = {}) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n";
    for (const auto& h : headers) req += h + "\r\n";
    if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    send_raw(req);
    return read_response();
  }

  HttpResponse read_response() {
    HttpResponse r;
    auto status_line = line();
    if (!status_line || status_line->size() < 12) return r;
    r.status = std::stoi(status_line->substr(9, 3));
    for (;;) {
      auto h = line();
      if (!h || h->empty()) break;
      auto colon = h->find(':');
      std::string name = to_lower(h->substr(0, colon));
      std::string value(trim(h->substr(colon + 1)));
      auto& slot = r.headers[name];
      slot = slot.empty() ? value : slot + "\n" + value;
    }
    if (to_lower(r.header("transfer-encoding")) == "chunked") {
      r.chunked = true;
      for (;;) {
        auto size_line = line();
        if (!size_line) break;
        size_t n = std::stoul(*size_line, nullptr, 16);
        if (n == 0) {
          line();
          break;
        }
        auto data = exact(n + 2);
        if (!data) break;
        r.body += data->substr(0, n);
      }
    } else if (!r.header("content-length").empty()) {
      auto data = exact(std::stoul(r.header("content-length")));
      if (data) r.body = *data;
    }
    return r;
  }

  // Reads until `needle` has arrived, 5 s pass without data, or 10 s in all (an event stream's keep-alives
  // would otherwise keep a missed event waiting forever); returns everything read.
  std::string read_until(const std::string& needle) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (buf_.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline)
      if (!fill()) break;
    std::string out = buf_;
    buf_.clear();
    return out;
  }

  bool closed_by_peer() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  bool fill() {
    char tmp[65536];
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
  std::optional<std::string> line() {
    for (;;) {
      auto pos = buf_.find("\r\n");
      if (pos != std::string::npos) {
        std::string l = buf_.substr(0, pos);
        buf_.erase(0, pos + 2);
        return l;
      }
      if (!fill()) return std::nullopt;
    }
  }
  std::optional<std::string> exact(size_t n) {
    while (buf_.size() < n)
      if (!fill()) return std::nullopt;
    std::string out = buf_.substr(0, n);
    buf_.erase(0, n);
    return out;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

const char* kHtmlMessage =
    "From: Carol <carol@example.test>\r\n"
    "To: ann@example.test\r\n"
    "Subject: Pictures\r\n"
    "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
    "Message-ID: <pics@example.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/related; boundary=b1\r\n\r\n"
    "--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    "<p onclick=\"x()\">Hi <img src=\"cid:logo@x\"> <img src=\"https://tracker.example/t.gif\"></p>"
    "<script>alert(1)</script>\r\n"
    "--b1\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    "iVBORw0KGgo=\r\n"
    "--b1--\r\n";

std::string plain_message(const std::string& subject, const std::string& body = "hello\r\n") {
  return "From: Dave <dave@example.test>\r\nTo: ann@example.test\r\nSubject: " + subject +
         "\r\nDate: Wed, 15 Nov 2023 10:00:00 +0000\r\nMessage-ID: <" + subject + "@example.test>\r\n\r\n" + body;
}

class WebmailServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend = std::make_shared<FakeBackend>();
    backend->add_user("ann@example.test", "secret");
    backend->add_user("bob@example.test", "hunter2");
    state_dir = std::filesystem::temp_directory_path() /
                ("claret-webmail-test-" + std::to_string(::getpid()) + "-" + std::to_string(++instance));
    start();
  }
  void TearDown() override {
    stop();
    std::filesystem::remove_all(state_dir);
  }
  // The web server only (same backend and state directory), as after a restart; `configure` applies.
  void restart() {
    stop();
    start();
  }

  void start() {
    WebmailOptions options;
    options.events_keepalive = std::chrono::milliseconds(200);
    options.max_upload_bytes = 2 * 1024 * 1024;
    options.message_id_domain = "example.test";
    options.state_dir = state_dir;
    // As claret serve does from the store: ann has an alias in another domain.
    options.account_addresses = [](const std::string& user) {
      std::vector<std::string> out;
      if (user == "ann@example.test") out = {"ann@example.test", "sales@other.test"};
      return out;
    };
    if (configure) configure(options);
    auth::ThrottleLimits limits;  // fast, so the throttle test does not wait for real delays
    limits.ip_reject_after = 8;
    limits.base_delay = std::chrono::milliseconds(1);
    limits.max_delay = std::chrono::milliseconds(5);
    limits.account_max_delay = std::chrono::milliseconds(5);
    throttle = std::make_unique<auth::LoginThrottle>(limits);
    web = std::make_unique<WebmailServer>(options, backend, throttle.get());
    io::ServerOptions so;
    so.io_threads = 2;
    so.handle_signals = false;
    so.shutdown_grace = std::chrono::seconds(2);
    server = std::make_unique<io::Server>(so);
    io::ListenerSpec spec;
    spec.name = "https";
    spec.address = "127.0.0.1";
    spec.port = 0;
    ASSERT_TRUE(server->add_listener(spec, web->session()).ok());
    port = server->bound_ports().at(0).port;
    thread = std::thread([this] { server->run(); });
  }
  void stop() {
    server->request_shutdown();
    thread.join();
    web.reset();
    server.reset();
  }

  struct Login {
    std::string cookie;
    std::string csrf;
  };

  Login login(Client& c, const std::string& user = "ann@example.test", const std::string& pass = "secret") {
    auto r = c.request("POST", "/api/login", R"({"username":")" + user + R"(","password":")" + pass + R"("})",
                       {"Content-Type: application/json"});
    EXPECT_EQ(r.status, 200) << r.body;
    std::string set_cookie = r.header("set-cookie");
    Login l;
    l.cookie = set_cookie.substr(0, set_cookie.find(';'));
    auto v = r.json();
    if (auto* csrf = v.get("csrf")) l.csrf = csrf->string;
    return l;
  }

  HttpResponse get(Client& c, const Login& l, const std::string& target) {
    return c.request("GET", target, "", {"Cookie: " + l.cookie});
  }
  HttpResponse post(Client& c, const Login& l, const std::string& target, const std::string& body) {
    return c.request("POST", target, body, {"Cookie: " + l.cookie, "X-CSRF-Token: " + l.csrf,
                                            "Content-Type: application/json"});
  }

  std::shared_ptr<FakeBackend> backend;
  std::unique_ptr<auth::LoginThrottle> throttle;
  std::unique_ptr<io::Server> server;  // outlives `web`: sessions hold executors of its io_context
  std::unique_ptr<WebmailServer> web;
  std::thread thread;
  uint16_t port = 0;
  std::filesystem::path state_dir;
  static inline int instance = 0;
  std::function<void(WebmailOptions&)> configure;  // applied by SetUp (use with restart())
};

TEST_F(WebmailServerTest, StaticIndexWithSecurityHeaders) {
  Client c(port);
  ASSERT_TRUE(c.connected());
  auto r = c.request("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(r.body.find("<html"), std::string::npos);
  EXPECT_NE(r.header("content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
  EXPECT_EQ(r.header("x-frame-options"), "SAMEORIGIN");
  auto missing = c.request("GET", "/ui/../../etc/passwd");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(c.request("GET", "/api/nope").status, 404);
  EXPECT_EQ(c.request("DELETE", "/api/folders").status, 405);
}

TEST_F(WebmailServerTest, FrontEndIsGzippedForBrowsersThatAcceptIt) {
  Client c(port);
  auto plain = c.request("GET", "/ui/app.js");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.header("content-encoding"), "");
  EXPECT_EQ(plain.header("vary"), "Accept-Encoding");
  auto zipped = c.request("GET", "/ui/app.js", "", {"Accept-Encoding: gzip, deflate, br"});
  ASSERT_EQ(zipped.status, 200);
  EXPECT_EQ(zipped.header("content-encoding"), "gzip");
  ASSERT_GT(zipped.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(zipped.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(zipped.body[1]), 0x8b);
  EXPECT_LT(zipped.body.size() * 2, plain.body.size());
  EXPECT_EQ(c.request("GET", "/ui/app.js", "", {"Accept-Encoding: gzip;q=0"}).header("content-encoding"), "");
}

TEST_F(WebmailServerTest, LoginGoodAndBad) {
  Client c(port);
  auto bad = c.request("POST", "/api/login", R"({"username":"ann@example.test","password":"nope"})");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.json().get("error")->string, "wrong username or password");
  EXPECT_EQ(c.request("POST", "/api/login", "not json").status, 400);
  EXPECT_EQ(c.request("POST", "/api/login", R"({"username":"a"})").status, 400);
  EXPECT_EQ(c.request("GET", "/api/session").status, 401);

  auto r = c.request("POST", "/api/login", R"({"username":"ann@example.test","password":"secret"})");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = r.header("set-cookie");
  EXPECT_TRUE(cookie.starts_with("claret_session=")) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  auto v = r.json();
  EXPECT_EQ(v.get("username")->string, "ann@example.test");
  EXPECT_EQ(v.get("csrf")->string.size(), 64u);
  EXPECT_EQ(v.get("identities")->array.at(0).get("email")->string, "ann@example.test");
  EXPECT_EQ(r.body.find("secret"), std::string::npos);

  auto session = c.request("GET", "/api/session", "", {"Cookie: " + cookie.substr(0, cookie.find(';'))});
  EXPECT_EQ(session.status, 200);
  EXPECT_EQ(session.json().get("csrf")->string, v.get("csrf")->string);
  EXPECT_EQ(c.request("GET", "/api/session", "", {"Cookie: claret_session=forged"}).status, 401);
}

TEST_F(WebmailServerTest, CsrfHeaderIsRequiredForPosts) {
  Client c(port);
  Login l = login(c);
  uint32_t uid = backend->add_message("ann@example.test", "INBOX", plain_message("csrf"));
  std::string body = R"({"folder":"INBOX","uids":[)" + std::to_string(uid) + R"(],"add":["\\Flagged"]})";
  EXPECT_EQ(c.request("POST", "/api/flags", body, {"Cookie: " + l.cookie}).status, 403);
  EXPECT_EQ(c.request("POST", "/api/flags", body, {"Cookie: " + l.cookie, "X-CSRF-Token: " + std::string(64, 'a')}).status, 403);
  EXPECT_EQ(c.request("POST", "/api/flags", body, {"X-CSRF-Token: " + l.csrf}).status, 401);
  EXPECT_EQ(post(c, l, "/api/flags", body).status, 200);
  EXPECT_EQ(backend->message("ann@example.test", "INBOX", uid)->flags, std::vector<std::string>{"\\Flagged"});
  EXPECT_EQ(post(c, l, "/api/flags", R"({"folder":"INBOX","uids":[1],"add":["bad flag"]})").status, 400);
  EXPECT_EQ(post(c, l, "/api/flags", R"({"folder":"INBOX","uids":[],"add":["x"]})").status, 400);
}

TEST_F(WebmailServerTest, FoldersAndManagement) {
  Client c(port);
  Login l = login(c);
  auto r = get(c, l, "/api/folders");
  ASSERT_EQ(r.status, 200);
  auto folders = r.json().get("folders")->array;
  ASSERT_EQ(folders.size(), 4u);
  bool inbox = false;
  for (const auto& f : folders)
    if (f.get("name")->string == "INBOX") inbox = f.get("special_use")->string == "inbox";
  EXPECT_TRUE(inbox);
  EXPECT_EQ(post(c, l, "/api/folders", R"({"name":"Projects"})").status, 201);
  EXPECT_EQ(post(c, l, "/api/folders/rename", R"({"from":"Projects","to":"Work"})").status, 200);
  EXPECT_EQ(post(c, l, "/api/folders/rename", R"({"from":"Nope","to":"X"})").status, 404);
  EXPECT_EQ(post(c, l, "/api/folders/delete", R"({"name":"Work"})").status, 200);
  EXPECT_EQ(post(c, l, "/api/folders", R"({"name":""})").status, 400);
}

TEST_F(WebmailServerTest, ListAndReadMessages) {
  backend->add_message("ann@example.test", "INBOX", plain_message("first"));
  uint32_t html_uid = backend->add_message("ann@example.test", "INBOX", kHtmlMessage, {"\\Seen"});
  Client c(port);
  Login l = login(c);
  auto list = get(c, l, "/api/messages?folder=INBOX&limit=1&sort=date_asc");
  ASSERT_EQ(list.status, 200) << list.body;
  auto v = list.json();
  EXPECT_EQ(v.get("total")->number, 2);
  ASSERT_EQ(v.get("messages")->array.size(), 1u);
  EXPECT_EQ(v.get("messages")->array[0].get("subject")->string, "Pictures");
  EXPECT_EQ(get(c, l, "/api/messages?folder=INBOX&unseen=1").json().get("total")->number, 1);
  EXPECT_EQ(get(c, l, "/api/messages?folder=INBOX&sort=bogus").status, 400);
  EXPECT_EQ(get(c, l, "/api/messages").status, 400);
  EXPECT_EQ(get(c, l, "/api/messages?folder=Nope").status, 404);

  auto msg = get(c, l, "/api/message?folder=INBOX&uid=" + std::to_string(html_uid));
  ASSERT_EQ(msg.status, 200) << msg.body;
  auto m = msg.json();
  std::string html = m.get("html_sanitized")->string;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("onclick"), std::string::npos) << html;
  EXPECT_NE(html.find("/api/part?folder=INBOX&amp;uid=" + std::to_string(html_uid) + "&amp;section=2"), std::string::npos) << html;
  EXPECT_EQ(html.find("tracker.example"), std::string::npos);
  EXPECT_TRUE(m.get("remote_content_blocked")->boolean);
  EXPECT_EQ(m.get("summary")->get("from")->array[0].get("email")->string, "carol@example.test");
  ASSERT_EQ(m.get("attachments")->array.size(), 1u);
  EXPECT_EQ(m.get("attachments")->array[0].get("content_id")->string, "logo@x");

  auto remote = get(c, l, "/api/message?folder=INBOX&remote=1&uid=" + std::to_string(html_uid));
  EXPECT_NE(remote.json().get("html_sanitized")->string.find("tracker.example"), std::string::npos);

  auto frame = get(c, l, "/api/message_html?folder=INBOX&uid=" + std::to_string(html_uid));
  EXPECT_EQ(frame.status, 200);
  EXPECT_NE(frame.header("content-security-policy").find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(frame.header("content-security-policy").find("https:"), std::string::npos);
  EXPECT_EQ(frame.body.find("<script"), std::string::npos);

  auto raw = get(c, l, "/api/raw?folder=INBOX&uid=" + std::to_string(html_uid));
  EXPECT_EQ(raw.status, 200);
  EXPECT_EQ(raw.body, kHtmlMessage);
  EXPECT_NE(raw.header("content-disposition").find(".eml"), std::string::npos);

  auto part = get(c, l, "/api/part?folder=INBOX&section=2&uid=" + std::to_string(html_uid));
  EXPECT_EQ(part.status, 200);
  EXPECT_EQ(part.header("content-type"), "image/png");
  EXPECT_EQ(part.body, std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(get(c, l, "/api/message?folder=INBOX&uid=999").status, 404);
  EXPECT_EQ(get(c, l, "/api/message?folder=INBOX&uid=x").status, 400);
}

TEST_F(WebmailServerTest, LargePartIsStreamedChunked) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + " of a long attachment\r\n";
  std::string raw = "From: x@example.test\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n"
                    "--q\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                    "--q\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=big.txt\r\n\r\n" +
                    big + "\r\n--q--\r\n";
  uint32_t uid = backend->add_message("ann@example.test", "INBOX", raw);
  Client c(port);
  Login l = login(c);
  auto r = get(c, l, "/api/part?folder=INBOX&section=2&uid=" + std::to_string(uid));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.chunked);
  EXPECT_EQ(r.body, big);
  EXPECT_NE(r.header("content-disposition").find("attachment; filename=\"big.txt\""), std::string::npos);
  // The connection stays usable after a streamed response.
  EXPECT_EQ(get(c, l, "/api/session").status, 200);
}

TEST_F(WebmailServerTest, MoveCopyDeleteAndThread) {
  uint32_t a = backend->add_message("ann@example.test", "INBOX", plain_message("topic"));
  uint32_t b = backend->add_message("ann@example.test", "INBOX",
                                    "From: x@example.test\r\nSubject: Re: topic\r\nDate: Thu, 16 Nov 2023 10:00:00 +0000\r\n\r\nr\r\n");
  Client c(port);
  Login l = login(c);
  auto thread = get(c, l, "/api/thread?folder=INBOX&uid=" + std::to_string(b));
  ASSERT_EQ(thread.status, 200) << thread.body;
  auto msgs = thread.json().get("messages")->array;
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].get("uid")->number, a);

  EXPECT_EQ(post(c, l, "/api/copy", R"({"folder":"INBOX","uids":[)" + std::to_string(a) + R"(],"to":"Drafts"})").status, 200);
  EXPECT_EQ(backend->uids("ann@example.test", "Drafts").size(), 1u);
  EXPECT_EQ(post(c, l, "/api/move", R"({"folder":"INBOX","uids":[)" + std::to_string(b) + R"(],"to":"Sent"})").status, 200);
  EXPECT_EQ(backend->uids("ann@example.test", "INBOX").size(), 1u);
  EXPECT_EQ(post(c, l, "/api/delete", R"({"folder":"INBOX","uids":[)" + std::to_string(a) + "]}").status, 200);
  EXPECT_TRUE(backend->uids("ann@example.test", "INBOX").empty());
  auto trash = backend->uids("ann@example.test", "Trash");
  ASSERT_EQ(trash.size(), 1u);
  EXPECT_EQ(post(c, l, "/api/delete", R"({"folder":"Trash","uids":[)" + std::to_string(trash[0]) + "]}").status, 200);
  EXPECT_TRUE(backend->uids("ann@example.test", "Trash").empty());
}

TEST_F(WebmailServerTest, SendArrivesAndIsKeptInSent) {
  Client c(port);
  Login l = login(c);
  auto up = c.request("POST", "/api/upload?filename=notes.txt&type=text/plain", "attached notes",
                      {"Cookie: " + l.cookie, "X-CSRF-Token: " + l.csrf, "Content-Type: application/octet-stream"});
  ASSERT_EQ(up.status, 200) << up.body;
  std::string id = up.json().get("id")->string;
  EXPECT_EQ(up.json().get("size")->number, 14);
  auto r = post(c, l, "/api/send",
                R"({"from":"Ann <ann@example.test>","to":["Bob <bob@example.test>"],"cc":[],"bcc":["carl@example.test"],)"
                R"("subject":"Grüße","text":"Hi Bob","attachments":[")" + id + R"("]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().get("warning"), nullptr) << r.body;
  auto subs = backend->submissions();
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].mail_from, "ann@example.test");
  EXPECT_EQ(subs[0].recipients, (std::vector<std::string>{"bob@example.test", "carl@example.test"}));
  EXPECT_EQ(subs[0].message.find("carl@"), std::string::npos);  // Bcc not in the message
  auto bob_inbox = backend->uids("bob@example.test", "INBOX");
  ASSERT_EQ(bob_inbox.size(), 1u);
  auto sent = backend->uids("ann@example.test", "Sent");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(backend->message("ann@example.test", "Sent", sent[0])->flags, std::vector<std::string>{"\\Seen"});

  // Bob reads it through the API, attachment included.
  Client c2(port);
  Login bob = login(c2, "bob@example.test", "hunter2");
  auto m = get(c2, bob, "/api/message?folder=INBOX&uid=" + std::to_string(bob_inbox[0]));
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.json().get("summary")->get("subject")->string, "Grüße");
  EXPECT_EQ(m.json().get("attachments")->array.at(0).get("filename")->string, "notes.txt");

  // Errors: bad address named, foreign sender, unknown upload (already used), no recipient.
  auto bad = post(c, l, "/api/send", R"({"from":"ann@example.test","to":["bob@"],"subject":"x","text":"y"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().get("error")->string, "bad address in To: \"bob@\"");
  EXPECT_EQ(post(c, l, "/api/send", R"({"from":"eve@example.test","to":["bob@example.test"]})").status, 400);
  EXPECT_EQ(post(c, l, "/api/send", R"({"from":"ann@example.test","to":["bob@example.test"],"attachments":[")" + id + R"("]})").status, 400);
  EXPECT_EQ(post(c, l, "/api/send", R"({"from":"ann@example.test","to":[]})").status, 400);
}

TEST_F(WebmailServerTest, SendIsSubmitPlusOneAppendWithTheSentFolderRemembered) {
  Client c(port);
  Login l = login(c);
  const std::string mail = R"({"from":"ann@example.test","to":["bob@example.test"],"subject":"s","text":"t"})";
  auto send = [&] {
    auto r = post(c, l, "/api/send", mail);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().get("warning"), nullptr) << r.body;
  };
  ASSERT_EQ(get(c, l, "/api/folders").status, 200);  // what the browser does first: the names are learned here
  int listings = backend->folder_listings();
  int appends = backend->appends();
  send();
  send();
  EXPECT_EQ(backend->folder_listings(), listings);  // no LIST before the APPEND
  EXPECT_EQ(backend->appends(), appends + 2);
  EXPECT_EQ(backend->uids("ann@example.test", "Sent").size(), 2u);

  // Another client renames Sent: the APPEND to the remembered name fails, the webmail lists again, once.
  ASSERT_TRUE(backend->rename_elsewhere("ann@example.test", "Sent", "Sent Items"));
  send();
  EXPECT_EQ(backend->folder_listings(), listings + 1);
  EXPECT_EQ(backend->uids("ann@example.test", "Sent Items").size(), 3u);
  send();
  EXPECT_EQ(backend->folder_listings(), listings + 1);
  EXPECT_EQ(backend->uids("ann@example.test", "Sent Items").size(), 4u);

  // A rename through the webmail forgets at once (no failed APPEND needed).
  ASSERT_EQ(post(c, l, "/api/folders/rename", R"({"from":"Sent Items","to":"Outbox"})").status, 200);
  appends = backend->appends();
  send();
  EXPECT_EQ(backend->appends(), appends + 1);
  EXPECT_EQ(backend->uids("ann@example.test", "Outbox").size(), 5u);

}

TEST_F(WebmailServerTest, IdentitiesFromServerAndUserAreKept) {
  Client c(port);
  Login l = login(c);
  auto ids = get(c, l, "/api/identities");
  ASSERT_EQ(ids.status, 200) << ids.body;
  auto list = ids.json().get("identities")->array;
  ASSERT_EQ(list.size(), 2u) << ids.body;
  EXPECT_EQ(list[0].get("email")->string, "ann@example.test");
  EXPECT_EQ(list[1].get("email")->string, "sales@other.test");
  EXPECT_TRUE(list[1].get("server_known")->boolean);

  // The user names the login identity, adds a private one with Reply-To and signature, drops the alias.
  std::string body = R"({"identities":[{"id":")" + list[0].get("id")->string +
                     R"(","name":"Ann Example","email":"ann@example.test","signature":"Ann\nExample Corp"},)"
                     R"J({"name":"Ann (lists)","email":"ann.lists@example.net","reply_to":"Desk <desk@example.test>"}]})J";
  auto saved = post(c, l, "/api/identities", body);
  ASSERT_EQ(saved.status, 200) << saved.body;
  auto after = saved.json().get("identities")->array;
  ASSERT_EQ(after.size(), 3u) << saved.body;  // the server-known alias comes back
  EXPECT_EQ(after[0].get("name")->string, "Ann Example");
  EXPECT_EQ(after[0].get("signature")->string, "Ann\nExample Corp");
  EXPECT_EQ(after[1].get("email")->string, "ann.lists@example.net");
  EXPECT_FALSE(after[1].get("server_known")->boolean);
  EXPECT_EQ(after[2].get("email")->string, "sales@other.test");

  // Bad input: named, nothing changed.
  const char* bad[][2] = {
      {R"({"identities":[{"email":"not an address"}]})", "identity 1: \"not an address\" is not an email address"},
      {R"({"identities":[{"email":"a@example.test"},{"email":"A@example.test"}]})", "identity 2: A@example.test is listed twice"},
      {R"({"identities":[{"email":"a@example.test","reply_to":"x@"}]})", "identity 1: bad address in Reply-To: \"x@\""},
      {R"({"identities":[{"email":"a@example.test","name":"A\r\nBcc: x@y"}]})", "identity 1: name must be one line"},
      {R"({"identities":[]})", "keep at least one identity"},
      {R"({"identities":"x"})", "\"identities\" must be a list"},
  };
  for (auto& [json_body, message] : bad) {
    auto r = post(c, l, "/api/identities", json_body);
    EXPECT_EQ(r.status, 400) << json_body;
    EXPECT_EQ(r.json().get("error")->string, message) << json_body;
  }
  EXPECT_EQ(get(c, l, "/api/identities").json().get("identities")->array.size(), 3u);

  // Sending as the private identity carries its Reply-To; an address that is no identity is refused.
  auto sent = post(c, l, "/api/send", R"J({"from":"Ann (lists) <ann.lists@example.net>","reply_to":"Desk <desk@example.test>",)J"
                                      R"("to":["bob@example.test"],"subject":"via identity","text":"hi"})");
  ASSERT_EQ(sent.status, 200) << sent.body;
  auto subs = backend->submissions();
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].mail_from, "ann.lists@example.net");
  EXPECT_NE(subs[0].message.find("Reply-To: \"Desk\" <desk@example.test>\r\n"), std::string::npos) << subs[0].message;
  auto refused = post(c, l, "/api/send", R"({"from":"eve@example.test","to":["bob@example.test"]})");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.json().get("error")->string, "eve@example.test is not one of your identities (add it in Settings first)");

  // Kept across a restart of the web server (state directory), per user: bob sees only his own.
  restart();
  Client c2(port);
  Login again = login(c2);
  auto kept = get(c2, again, "/api/identities").json().get("identities")->array;
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].get("name")->string, "Ann Example");
  EXPECT_EQ(kept[1].get("reply_to")->string, "Desk <desk@example.test>");
  Client c3(port);
  Login bob = login(c3, "bob@example.test", "hunter2");
  auto bobs = get(c3, bob, "/api/identities").json().get("identities")->array;
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0].get("email")->string, "bob@example.test");
  EXPECT_EQ(get(c3, Login{}, "/api/identities").status, 401);
}

TEST_F(WebmailServerTest, DraftsAreReplaced) {
  Client c(port);
  Login l = login(c);
  auto first = post(c, l, "/api/draft", R"({"from":"ann@example.test","to":["bob@example.test"],"bcc":["x@example.test"],"subject":"v1","text":"a"})");
  ASSERT_EQ(first.status, 200) << first.body;
  uint32_t uid1 = static_cast<uint32_t>(first.json().get("uid")->number);
  auto draft = backend->message("ann@example.test", "Drafts", uid1);
  ASSERT_TRUE(draft);
  EXPECT_NE(draft->raw.find("Bcc: x@example.test"), std::string::npos);
  EXPECT_EQ(draft->flags, (std::vector<std::string>{"\\Draft", "\\Seen"}));
  auto second = post(c, l, "/api/draft", R"({"from":"ann@example.test","to":[],"subject":"v2","text":"b","draft_uid":)" +
                                             std::to_string(uid1) + "}");
  ASSERT_EQ(second.status, 200);
  auto drafts = backend->uids("ann@example.test", "Drafts");
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_NE(drafts[0], uid1);
  // Sending the draft removes it.
  auto sent = post(c, l, "/api/send", R"({"from":"ann@example.test","to":["bob@example.test"],"subject":"v2","text":"b","draft_uid":)" +
                                          std::to_string(drafts[0]) + "}");
  ASSERT_EQ(sent.status, 200);
  EXPECT_TRUE(backend->uids("ann@example.test", "Drafts").empty());
}

TEST_F(WebmailServerTest, UploadLimit) {
  Client c(port);
  Login l = login(c);
  std::string big(3 * 1024 * 1024, 'x');
  auto r = c.request("POST", "/api/upload?filename=a", big, {"Cookie: " + l.cookie, "X-CSRF-Token: " + l.csrf});
  EXPECT_EQ(r.status, 413);
}

TEST_F(WebmailServerTest, EventsStream) {
  Client c(port);
  Login l = login(c);
  backend->push_event("ann@example.test", FolderEvent{"INBOX", 3, false, true});
  c.send_raw("GET /api/events HTTP/1.1\r\nHost: x\r\nCookie: " + l.cookie + "\r\n\r\n");
  std::string got = c.read_until("keep-alive");
  EXPECT_NE(got.find("text/event-stream"), std::string::npos) << got;
  EXPECT_NE(got.find("event: folder\ndata: {\"folder\":\"INBOX\",\"exists\":3,\"expunged\":false,\"flags_changed\":true}\n\n"),
            std::string::npos) << got;
  EXPECT_NE(got.find(": keep-alive"), std::string::npos);
  // Logging out elsewhere ends the stream.
  Client other(port);
  EXPECT_EQ(other.request("POST", "/api/logout", "", {"Cookie: " + l.cookie, "X-CSRF-Token: " + l.csrf}).status, 200);
  std::string rest = c.read_until("0\r\n\r\n");
  EXPECT_NE(rest.find("0\r\n\r\n"), std::string::npos);
}

// Bounded wait for a condition the server reaches on its own (a timer), polling every 10 ms.
template <typename Fn>
bool eventually(Fn fn, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (fn()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return fn();
}

TEST_F(WebmailServerTest, IdleSessionExpiresByTimerWithLogoutAndTellsTheStream) {
  configure = [](WebmailOptions& o) {
    o.session_idle = std::chrono::milliseconds(400);
    o.events_keepalive = std::chrono::seconds(30);  // longer than the client's 5 s read limit: no keep-alive help
  };
  restart();
  Client c(port);
  Login l = login(c);
  Client events(port);
  events.send_raw("GET /api/events HTTP/1.1\r\nHost: x\r\nCookie: " + l.cookie + "\r\n\r\n");
  auto start = std::chrono::steady_clock::now();
  std::string got = events.read_until("0\r\n\r\n");
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_NE(got.find("event: logout\ndata: {\"reason\":\"expired\"}\n\n"), std::string::npos) << got;
  EXPECT_LT(took, std::chrono::seconds(3));
  // The IMAP session was logged out by the timer, without any request looking the session up.
  EXPECT_TRUE(eventually([&] { return backend->logouts() == 1; }));
  EXPECT_EQ(web->session_count(), 0u);
  EXPECT_EQ(get(c, l, "/api/session").status, 401);
  EXPECT_EQ(backend->logouts(), 1);
}

TEST_F(WebmailServerTest, LogoutReachesTheEventStreamAtOnce) {
  configure = [](WebmailOptions& o) { o.events_keepalive = std::chrono::seconds(30); };
  restart();
  Client c(port);
  Login l = login(c);
  Client events(port);
  events.send_raw("GET /api/events HTTP/1.1\r\nHost: x\r\nCookie: " + l.cookie + "\r\n\r\n");
  EXPECT_NE(events.read_until(": connected").find(": connected"), std::string::npos);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(post(c, l, "/api/logout", "").status, 200);
  std::string got = events.read_until("0\r\n\r\n");
  EXPECT_NE(got.find("event: logout\ndata: {\"reason\":\"logout\"}\n\n"), std::string::npos) << got;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(backend->logouts(), 1);
}

TEST_F(WebmailServerTest, EveryStreamOfTheSessionGetsAChangeWhicheverIdleSawIt) {
  // After a reload the old stream's IDLE may see the next change while only the new stream has a browser.
  Client c(port);
  Login l = login(c);
  Client a(port), b(port);
  for (Client* s : {&a, &b}) {
    s->send_raw("GET /api/events HTTP/1.1\r\nHost: x\r\nCookie: " + l.cookie + "\r\n\r\n");
    EXPECT_NE(s->read_until(": connected").find(": connected"), std::string::npos);
  }
  backend->push_event("ann@example.test", FolderEvent{"INBOX", 7, false, false});  // one IDLE sees it, once
  for (Client* s : {&a, &b}) {
    std::string got = s->read_until("\"exists\":7");
    EXPECT_NE(got.find("event: folder\ndata: {\"folder\":\"INBOX\",\"exists\":7"), std::string::npos) << got;
  }
}

TEST_F(WebmailServerTest, LogoutEndsTheSession) {
  Client c(port);
  Login l = login(c);
  auto r = post(c, l, "/api/logout", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(backend->logouts(), 1);
  EXPECT_EQ(get(c, l, "/api/folders").status, 401);
  EXPECT_EQ(web->session_count(), 0u);
}

TEST_F(WebmailServerTest, KeepAliveAndPipelining) {
  Client c(port);
  c.send_raw("GET /api/session HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 401);
  auto second = c.read_response();
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(WebmailServerTest, MalformedRequestsGetStatusAndClose) {
  struct Case {
    std::string wire;
    int status;
  };
  for (const auto& k : std::vector<Case>{{"GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(70000, 'a') + "\r\n\r\n", 431},
                                         {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", 414},
                                         {"GET / HTTP/3.0\r\n\r\n", 505},
                                         {"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999\r\n\r\n", 413},
                                         {"garbage\r\n\r\n", 400}}) {
    Client c(port);
    c.send_raw(k.wire);
    auto r = c.read_response();
    EXPECT_EQ(r.status, k.status) << k.wire.substr(0, 40);
    EXPECT_FALSE(r.json().get("error")->string.empty());
    EXPECT_TRUE(c.closed_by_peer());
  }
}

TEST_F(WebmailServerTest, LoginThrottle) {
  Client c(port);
  int last = 0;
  for (int i = 0; i < 25 && last != 429; ++i)
    last = c.request("POST", "/api/login", R"({"username":"ann@example.test","password":"wrong"})").status;
  EXPECT_EQ(last, 429);
}

TEST_F(WebmailServerTest, BackendDownIs502) {
  Client c(port);
  Login l = login(c);
  backend->set_failure(Error{kUnavailable, "mail server unreachable"});
  auto r = get(c, l, "/api/folders");
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.json().get("error")->string, "mail server unreachable");
  EXPECT_EQ(c.request("POST", "/api/login", R"({"username":"ann@example.test","password":"secret"})").status, 502);
}

}  // namespace
}  // namespace claret::webmail
