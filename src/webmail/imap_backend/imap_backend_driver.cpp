// Test driver for the webmail.imap_backend wire test (tests/wire/webmail): runs every MailBackend operation
// against a real `claret serve` prepared by the Python side (users, delivered messages) and prints one line per
// check. Exit status 0 = every check passed. Not installed; built only with the tests.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "webmail/imap_backend/imap_backend.hpp"

namespace wm = claret::webmail;
using wm::Task;

namespace {

template <typename... T>
std::vector<std::string> strings(T... s) {
  return {std::string(s)...};
}

template <typename... T>
std::vector<uint32_t> uids(T... u) {
  return {static_cast<uint32_t>(u)...};
}

int g_failures = 0;
int g_checks = 0;

void check(bool ok, const std::string& what) {
  ++g_checks;
  if (!ok) ++g_failures;
  std::cout << (ok ? "ok   " : "FAIL ") << what << std::endl;
}

template <typename R>
void check_ok(const R& r, const std::string& what) {
  check(r.ok(), what + (r.ok() ? "" : " -> " + std::to_string(r.error().code) + " " + r.error().message));
}

template <typename R>
void check_error(const R& r, int code, const std::string& what) {
  check(!r.ok() && r.error().code == code,
        what + (r.ok() ? " -> unexpectedly succeeded"
                       : " -> " + std::to_string(r.error().code) + " " + r.error().message));
}

struct Args {
  std::map<std::string, std::string> v;
  const std::string& operator[](const std::string& k) const {
    static const std::string empty;
    auto it = v.find(k);
    return it == v.end() ? empty : it->second;
  }
};

wm::ImapBackendOptions options(const Args& a) {
  wm::ImapBackendOptions o;
  o.imap_url = a["imap"];
  o.submission_url = a["submission"];
  o.ca_file = a["ca"];
  o.timeout = std::chrono::seconds(20);
  return o;
}

Task<void> sleep_for(std::chrono::milliseconds d) {
  auto ex = co_await boost::asio::this_coro::executor;
  boost::asio::steady_timer t(ex, d);
  co_await t.async_wait(boost::asio::use_awaitable);
}

const wm::MessageSummary* by_subject(const std::vector<wm::MessageSummary>& v, const std::string& s) {
  for (const auto& m : v)
    if (m.subject == s) return &m;
  return nullptr;
}

Task<std::optional<wm::MessagePage>> page(wm::MailSession& s, wm::ListQuery q, std::string what) {
  auto r = co_await s.list(q);
  check_ok(r, what);
  if (!r) co_return std::nullopt;
  co_return std::move(*r);
}

Task<uint32_t> total(wm::MailSession& s, std::string folder, std::string what) {
  wm::ListQuery q;
  q.folder = folder;
  auto p = co_await page(s, q, what);
  co_return p ? p->total : 9999u;
}

bool has_folder(const std::vector<wm::Folder>& fs, const std::string& name) {
  return std::any_of(fs.begin(), fs.end(), [&](const wm::Folder& f) { return f.name == name; });
}

Task<void> list_into(wm::MailSession* s, wm::ListQuery q, std::optional<claret::Result<wm::MessagePage>>* out) {
  auto r = co_await s->list(q);
  out->emplace(std::move(r));
}

Task<std::string> whole_part(wm::MailSession& s, std::string folder, uint32_t uid, std::string section, bool& ok) {
  std::string all;
  ok = true;
  for (int i = 0; i < 10000; ++i) {
    auto c = co_await s.part(folder, uid, section, all.size(), 100);
    if (!c) {
      check_ok(c, "part chunk");
      ok = false;
      co_return all;
    }
    all += c->bytes;
    if (c->eof) co_return all;
  }
  ok = false;
  co_return all;
}

Task<void> run(Args a) {
  // --- unreachable server and certificate verification ---
  {
    auto o = options(a);
    o.imap_url = "imaps://127.0.0.1:" + a["closed_port"];
    auto b = wm::make_imap_backend(o);
    check_ok(b, "backend for a closed port");
    if (b) {
      auto s = co_await (*b)->login(a["user"], a["password"]);
      check_error(s, wm::kUnavailable, "login to a closed port is 'unavailable'");
    }
    auto o2 = options(a);
    o2.ca_file.clear();  // system trust store: the self-signed test certificate is not trusted
    auto b2 = wm::make_imap_backend(o2);
    if (b2) {
      auto s = co_await (*b2)->login(a["user"], a["password"]);
      check_error(s, wm::kUnavailable, "untrusted certificate is refused");
    }
    auto bad_options = options(a);
    bad_options.imap_url = "http://x";
    auto bad = wm::make_imap_backend(bad_options);
    check(!bad.ok(), "malformed URL refused");
  }

  auto backend = wm::make_imap_backend(options(a));
  check_ok(backend, "make_imap_backend");
  if (!backend) co_return;
  auto& be = **backend;

  // --- login ---
  auto wrong = co_await be.login(a["user"], "wrong password");
  check_error(wrong, wm::kAuthFailed, "wrong password");
  auto logged = co_await be.login(a["user"], a["password"]);
  check_ok(logged, "login");
  if (!logged) co_return;
  auto& s = **logged;
  check(s.username() == a["user"], "username");
  check(s.identities() == std::vector<std::string>{a["user"]}, "identities");

  // --- folders ---
  auto fs = co_await s.folders();
  check_ok(fs, "folders");
  if (fs) {
    bool inbox_ok = false;
    for (const auto& f : *fs)
      if (f.name == "INBOX") inbox_ok = f.special_use == "inbox" && f.messages == 4 && f.unseen == 4;
    check(inbox_ok, "INBOX listed with 4 messages, 4 unseen");
    for (const auto& f : *fs) std::cout << "     folder " << f.name << " [" << f.special_use << "] " << f.messages << "\n";
  }
  auto aw1 = co_await s.create_folder("Projekte");
  check_ok(aw1, "create Projekte");
  auto aw2 = co_await s.create_folder("Projekte/Büro");
  check_ok(aw2, "create Projekte/Büro (non-ASCII)");
  auto aw3 = co_await s.create_folder("Projekte/Büro");
  check_error(aw3, wm::kRejected, "create an existing folder");
  auto aw4 = co_await s.create_folder("bad*name");
  check_error(aw4, wm::kRejected, "create with a wildcard");
  fs = co_await s.folders();
  if (fs) {
    bool found = false;
    for (const auto& f : *fs) found = found || (f.name == "Projekte/Büro" && f.parent == "Projekte" && f.delimiter == '/');
    check(found, "Projekte/Büro listed under Projekte (mUTF-7 decoded)");
  }
  auto aw5 = co_await s.rename_folder("Projekte/Büro", "Projekte/Küche");
  check_ok(aw5, "rename");
  fs = co_await s.folders();
  check(fs && has_folder(*fs, "Projekte/Küche") && !has_folder(*fs, "Projekte/Büro"), "renamed folder listed");
  auto aw6 = co_await s.delete_folder("Projekte/Küche");
  check_ok(aw6, "delete");
  auto aw7 = co_await s.delete_folder("Projekte/Küche");
  check_error(aw7, wm::kNotFound, "delete a missing folder is 404");
  fs = co_await s.folders();
  check(fs && !has_folder(*fs, "Projekte/Küche"), "deleted folder gone");
  {
    wm::ListQuery q;
    q.folder = "Nope";
    auto aw8 = co_await s.list(q);
    check_error(aw8, wm::kNotFound, "list a missing folder is 404");
  }

  // --- list: sort, paging, search, filters, threads ---
  const auto s17 = std::string("27 plaintext + (HTML + embedded image)");
  const auto smixed = std::string("Corpus mixed");
  const auto sgruss = std::string("Grüße mit Anhang");
  const auto sreply = std::string("Re: Grüße mit Anhang");
  wm::ListQuery q;
  q.folder = "INBOX";
  auto p = co_await page(s, q, "list INBOX");
  std::map<std::string, uint32_t> uid;
  if (p) {
    check(p->total == 4 && p->messages.size() == 4 && p->uidvalidity != 0, "4 messages, uidvalidity");
    std::vector<std::string> order;
    for (const auto& m : p->messages) {
      order.push_back(m.subject);
      uid[m.subject] = m.uid;
    }
    check(order == std::vector<std::string>{sreply, sgruss, smixed, s17}, "date_desc order (Date header)");
    const auto* g = by_subject(p->messages, sgruss);
    check(g && !g->from.empty() && g->from[0].name == "Jörg" && g->from[0].email == "joerg@example.test",
          "RFC 2047 display name decoded");
    check(g && g->has_attachments, "has_attachments from BODYSTRUCTURE");
    check(g && g->message_id == "<thread1@example.test>" && g->date == 1767261600, "message id and date");
    const auto* r = by_subject(p->messages, sreply);
    check(r && r->in_reply_to == "<thread1@example.test>", "in_reply_to");
    check(r && r->size > 0 && r->received > 0, "size and received");
  }
  q.offset = 1;
  q.limit = 2;
  p = co_await page(s, q, "list page 2");
  check(p && p->total == 4 && p->messages.size() == 2 && p->messages[0].subject == sgruss &&
            p->messages[1].subject == smixed,
        "offset/limit paging");
  q.offset = 0;
  q.limit = 50;
  q.sort = wm::SortOrder::date_asc;
  p = co_await page(s, q, "list date_asc");
  check(p && !p->messages.empty() && p->messages[0].subject == s17, "date_asc order");
  q.sort = wm::SortOrder::subject_asc;
  p = co_await page(s, q, "list subject_asc");
  check(p && p->messages.size() == 4 && p->messages[0].subject == s17 && p->messages[1].subject == smixed,
        "subject_asc order");
  q.sort = wm::SortOrder::size_desc;
  p = co_await page(s, q, "list size_desc");
  check(p && p->messages.size() == 4 && p->messages[0].size >= p->messages[3].size, "size_desc order");
  q.sort = wm::SortOrder::from_asc;
  p = co_await page(s, q, "list from_asc");
  check(p && p->messages.size() == 4 && p->messages[0].from.size() == 1 &&
            p->messages[0].from[0].email == a["user"] && p->messages[1].from[0].email == "joerg@example.test",
        "from_asc order");
  q.sort = wm::SortOrder::date_desc;
  q.search = "unique-needle-word";
  p = co_await page(s, q, "search ASCII");
  check(p && p->total == 1 && p->messages.size() == 1 && p->messages[0].subject == sreply, "search finds the reply");
  q.search = "Grüße";
  p = co_await page(s, q, "search UTF-8 (CHARSET UTF-8 literal)");
  check(p && p->total == 2, "UTF-8 search finds both Grüße messages");
  q.search.clear();
  q.threaded = true;
  p = co_await page(s, q, "threaded list");
  if (p) {
    check(p->total == 3, "3 conversations");
    const auto* r = by_subject(p->messages, sreply);
    check(r && r->thread_size == 2 && r->thread_root == uid[sgruss], "conversation row: newest, size 2, root");
  }
  q.threaded = false;
  auto th = co_await s.thread("INBOX", uid[sreply]);
  check_ok(th, "thread()");
  check(th && th->size() == 2 && (*th)[0].uid == uid[sgruss] && (*th)[1].uid == uid[sreply], "thread oldest first");

  // --- message views ---
  auto m17 = co_await s.message("INBOX", uid[s17]);
  check_ok(m17, "message (plain + html + inline image)");
  if (m17) {
    check(m17->text.find("Search for hähä") != std::string::npos, "text/plain decoded (QP, UTF-8)");
    check(m17->html.find("höhö") != std::string::npos && m17->html.find("cid:part1.") != std::string::npos,
          "text/html decoded");
    check(m17->attachments.size() == 1 && m17->attachments[0].content_id == "part1.8C5E6A81.D0C1B91A@example.com" &&
              m17->attachments[0].filename == "kigaaldcbanejcbi.png" &&
              m17->attachments[0].content_type == "image/png" && m17->attachments[0].disposition == "inline",
          "inline image listed as a part");
    if (!m17->attachments.empty()) {
      bool ok = false;
      auto png = co_await whole_part(s, "INBOX", uid[s17], m17->attachments[0].section, ok);
      check(ok && png.size() > 100 && png.compare(0, 4, "\x89PNG") == 0, "part() streams the decoded PNG in chunks");
    }
  }
  auto mg = co_await s.message("INBOX", uid[sgruss]);
  check_ok(mg, "message with attachment");
  if (mg) {
    check(mg->summary.subject == sgruss, "subject decoded");
    check(mg->text.find("Hallo Alice") != std::string::npos, "latin-1 body converted to UTF-8");
    check(mg->attachments.size() == 1 && mg->attachments[0].filename == "Bericht-ü.pdf" &&
              mg->attachments[0].disposition == "attachment",
          "RFC 2231 filename decoded");
    check(!mg->reply_to.empty() && mg->reply_to[0].email == "replies@example.test", "reply_to");
    if (!mg->attachments.empty()) {
      bool ok = false;
      auto pdf = co_await whole_part(s, "INBOX", uid[sgruss], mg->attachments[0].section, ok);
      check(ok && pdf == a["pdf"], "attachment bytes round-trip");
    }
  }
  auto mr = co_await s.message("INBOX", uid[sreply]);
  check(mr && mr->references == "<thread1@example.test>", "references header");
  auto mm = co_await s.message("INBOX", uid[smixed]);
  check(mm && mm->html.find("scanned for Viruses") != std::string::npos && mm->text.find("scanned") != std::string::npos,
        "corpus multipart/mixed: text and html picked");
  auto raw = co_await s.raw("INBOX", uid[smixed]);
  check(raw && raw->find("Subject: Corpus mixed") != std::string::npos, "raw()");
  auto aw9 = co_await s.message("INBOX", 99999);
  check_error(aw9, wm::kNotFound, "missing message is 404");
  auto aw10 = co_await s.raw("INBOX", 99999);
  check_error(aw10, wm::kNotFound, "missing raw is 404");
  auto aw11 = co_await s.part("INBOX", uid[s17], "9", 0, 100);
  check_error(aw11, wm::kNotFound, "missing part is 404");

  // --- flags ---
  auto aw12 = co_await s.set_flags("INBOX", uids(uid[sgruss]), wm::FlagChange::add, strings("\\Flagged", "$Label1"));
  check_ok(aw12, "add flags");
  q.flagged_only = true;
  p = co_await page(s, q, "flagged filter");
  check(p && p->total == 1 && p->messages.size() == 1 && p->messages[0].uid == uid[sgruss], "flagged_only");
  if (p && !p->messages.empty()) {
    auto& f = p->messages[0].flags;
    check(std::find(f.begin(), f.end(), "$Label1") != f.end(), "keyword flag stored");
  }
  q.flagged_only = false;
  auto aw13 = co_await s.set_flags("INBOX", uids(uid[sgruss]), wm::FlagChange::remove, strings("\\Flagged"));
  check_ok(aw13, "remove flag");
  auto aw14 = co_await s.set_flags("INBOX", uids(uid[s17], uid[smixed]), wm::FlagChange::add, strings("\\Seen"));
  check_ok(aw14, "mark seen");
  q.unseen_only = true;
  p = co_await page(s, q, "unseen filter");
  check(p && p->total == 2, "unseen_only");
  q.unseen_only = false;
  auto aw15 = co_await s.set_flags("INBOX", uids(uid[s17]), wm::FlagChange::add, strings("bad flag"));
  check_error(aw15, wm::kRejected,
              "invalid flag refused");

  // --- copy / move / expunge ---
  auto aw16 = co_await s.create_folder("Archiv");
  check_ok(aw16, "create Archiv");
  auto aw17 = co_await s.copy("INBOX", uids(uid[sgruss]), "Archiv");
  check_ok(aw17, "copy");
  auto aw18 = co_await total(s, "Archiv", "list Archiv");
  check((aw18) == 1, "copy arrived");
  auto aw19 = co_await s.move("INBOX", uids(uid[smixed]), "Archiv");
  check_ok(aw19, "move");
  auto aw20 = co_await total(s, "INBOX", "list INBOX");
  check((aw20) == 3, "moved out of INBOX");
  auto aw21 = co_await total(s, "Archiv", "list Archiv");
  check((aw21) == 2, "moved into Archiv");
  auto aw22 = co_await s.copy("INBOX", uids(uid[s17]), "Nowhere");
  check_error(aw22, wm::kNotFound, "copy to a missing folder is 404");
  {
    wm::ListQuery aq;
    aq.folder = "Archiv";
    auto ap = co_await page(s, aq, "list Archiv");
    const wm::MessageSummary* copy = ap ? by_subject(ap->messages, sgruss) : nullptr;
    check(copy != nullptr, "copy listed in Archiv");
    if (copy) {
      auto aw23 = co_await s.expunge("Archiv", uids(copy->uid));
      check_ok(aw23, "expunge");
    }
  }
  auto aw24 = co_await total(s, "Archiv", "list Archiv");
  check((aw24) == 1, "expunged exactly one");

  // --- drafts ---
  std::string draft = "From: " + a["user"] + "\r\nTo: " + a["bob"] + "\r\nSubject: Entwurf\r\n\r\nDraft body\r\n";
  auto d1 = co_await s.append("Drafts", draft, strings("\\Draft", "\\Seen"));
  check_ok(d1, "append draft");
  check(d1 && *d1 > 0, "APPENDUID reported");
  auto d2 = co_await s.append("Drafts", draft + "more\r\n", strings("\\Draft", "\\Seen"));
  check(d2 && d1 && *d2 > *d1, "second draft");
  if (d1) {
    auto aw25 = co_await s.expunge("Drafts", uids(*d1));
    check_ok(aw25, "replace draft: expunge the old one");
  }
  {
    wm::ListQuery dq;
    dq.folder = "Drafts";
    auto dp = co_await page(s, dq, "list Drafts");
    check(dp && dp->total == 1 && d2 && dp->messages[0].uid == *d2 &&
              std::find(dp->messages[0].flags.begin(), dp->messages[0].flags.end(), "\\Draft") !=
                  dp->messages[0].flags.end(),
          "one draft left, flagged \\Draft");
  }
  auto aw26 = co_await s.append("Missing folder", draft, std::vector<std::string>());
  check_error(aw26, wm::kNotFound, "append to a missing folder is 404");

  // --- concurrent requests on one session ---
  {
    std::optional<claret::Result<wm::MessagePage>> r1, r2;
    wm::ListQuery cq;
    cq.folder = "INBOX";
    wm::ListQuery cq2;
    cq2.folder = "Archiv";
    auto ex = co_await boost::asio::this_coro::executor;
    boost::asio::co_spawn(ex, list_into(&s, cq, &r1), boost::asio::detached);
    boost::asio::co_spawn(ex, list_into(&s, cq2, &r2), boost::asio::detached);
    for (int i = 0; i < 2000 && (!r1 || !r2); ++i) co_await sleep_for(std::chrono::milliseconds(5));
    check(r1 && r2 && r1->ok() && r2->ok() && (*r1)->total == 3 && (*r2)->total == 1,
          "two concurrent list() calls on one session");
  }

  // --- list cache: what another client changes shows up at once (INBOX stays selected on its own connection,
  // the other folders share one; both remember pages while the server reports no change) ---
  {
    auto other_login = co_await be.login(a["user"], a["password"]);
    check_ok(other_login, "second session of the same user (another client)");
    if (other_login) {
      auto& o = **other_login;
      wm::ListQuery iq;
      iq.folder = "INBOX";
      wm::ListQuery aq;
      aq.folder = "Archiv";
      auto before = co_await page(s, iq, "cache: list INBOX");
      auto again = co_await page(s, iq, "cache: list INBOX again (unchanged)");
      check(before && again && before->total == again->total && before->messages.size() == again->messages.size() &&
                !before->messages.empty() && before->messages[0].uid == again->messages[0].uid &&
                before->messages[0].flags == again->messages[0].flags,
            "cache: an unchanged INBOX lists the same");
      auto flagged = [](const wm::MessageSummary& m) {
        return std::find(m.flags.begin(), m.flags.end(), "\\Flagged") != m.flags.end();
      };
      if (before && !before->messages.empty()) {
        auto target = before->messages[0];
        auto fl = co_await o.set_flags("INBOX", uids(target.uid), flagged(target) ? wm::FlagChange::remove : wm::FlagChange::add,
                                       strings("\\Flagged"));
        check_ok(fl, "cache: the other client flips \\Flagged");
        auto after = co_await page(s, iq, "cache: list INBOX after the flag change");
        check(after && !after->messages.empty() && after->messages[0].uid == target.uid &&
                  flagged(after->messages[0]) != flagged(target),
              "cache: another client's flag change is listed");
        auto back = co_await o.set_flags("INBOX", uids(target.uid), flagged(target) ? wm::FlagChange::add : wm::FlagChange::remove,
                                         strings("\\Flagged"));
        check_ok(back, "cache: the other client flips it back");
      }
      // New mail and an expunge while this session looks at another folder, then back to INBOX.
      auto arch = co_await page(s, aq, "cache: list Archiv");
      std::string fresh = "From: Zed <zed@example.test>\r\nTo: <" + a["user"] +
                          ">\r\nSubject: Cache buster\r\nDate: Sat, 01 Jan 2030 10:00:00 +0000\r\n"
                          "Message-ID: <cache1@example.test>\r\n\r\nNew while away.\r\n";
      auto added = co_await o.append("INBOX", fresh, std::vector<std::string>());
      check_ok(added, "cache: the other client adds a message to INBOX");
      auto with_new = co_await page(s, iq, "cache: back to INBOX");
      check(with_new && before && with_new->total == before->total + 1 && !with_new->messages.empty() &&
                with_new->messages[0].subject == "Cache buster",
            "cache: mail added meanwhile is listed first");
      auto archived = co_await o.append("Archiv", fresh, std::vector<std::string>());
      check_ok(archived, "cache: the other client adds a message to Archiv");
      auto arch2 = co_await page(s, aq, "cache: list Archiv again");
      check(arch && arch2 && arch2->total == arch->total + 1, "cache: mail added to another folder is listed");
      if (added && *added != 0) {
        auto gone = co_await o.expunge("INBOX", uids(*added));
        check_ok(gone, "cache: the other client expunges it");
        auto without = co_await page(s, iq, "cache: list INBOX after the expunge");
        check(without && before && without->total == before->total && !without->messages.empty() &&
                  without->messages[0].subject != "Cache buster",
              "cache: a message expunged by another client is gone");
      }
      if (archived && *archived != 0) {
        auto gone = co_await o.expunge("Archiv", uids(*archived));
        check_ok(gone, "cache: clean up Archiv");
      }
      co_await o.logout();
    }
  }

  // --- send + events ---
  auto bob_login = co_await be.login(a["bob"], a["bob_password"]);
  check_ok(bob_login, "login bob");
  if (bob_login) {
    auto& bob = **bob_login;
    auto first = co_await bob.wait_for_change("INBOX", std::chrono::milliseconds(50));
    check(first && !first->has_value(), "no change: wait_for_change times out with nullopt");
    std::string msg = "From: Alice <" + a["user"] + ">\r\nTo: <" + a["bob"] +
                      ">\r\nSubject: Hallo Bob\r\nMessage-ID: <sent1@example.test>\r\n\r\nSent through the backend.\r\n";
    wm::Submission submission;
    submission.mail_from = a["user"];
    submission.recipients = strings(a["bob"]);
    submission.message = msg;
    auto sent = co_await s.send(std::move(submission));
    check_ok(sent, "send over submission");
    std::optional<wm::FolderEvent> event;
    for (int i = 0; i < 10 && !event; ++i) {
      auto ev = co_await bob.wait_for_change("INBOX", std::chrono::seconds(3));
      if (!ev) {
        check_ok(ev, "wait_for_change");
        break;
      }
      if (ev->has_value()) event = **ev;
    }
    check(event && event->folder == "INBOX" && event->exists == 1, "event: new message in bob's INBOX");
    wm::ListQuery bq;
    bq.folder = "INBOX";
    auto bp = co_await page(bob, bq, "list bob INBOX");
    check(bp && bp->total == 1 && bp->messages[0].subject == "Hallo Bob", "sent message arrived at the recipient");
    auto sa = co_await s.append("Sent", msg, strings("\\Seen"));
    check_ok(sa, "copy in Sent");
    auto aw27 = co_await total(s, "Sent", "list Sent");
    check((aw27) == 1, "Sent holds the copy");
    // Flag change made on another connection shows up as an event.
    if (bp && !bp->messages.empty()) {
      auto aw28 = co_await bob.set_flags("INBOX", uids(bp->messages[0].uid), wm::FlagChange::add, strings("\\Seen"));
      check_ok(aw28, "bob marks seen");
      std::optional<wm::FolderEvent> fev;
      for (int i = 0; i < 5 && !fev; ++i) {
        auto ev = co_await bob.wait_for_change("INBOX", std::chrono::seconds(3));
        if (!ev) break;
        if (ev->has_value()) fev = **ev;
      }
      check(fev && fev->flags_changed, "event: flags changed");
    }
    wm::Submission unknown;
    unknown.mail_from = a["user"];
    unknown.recipients = strings("nobody-here@example.test");
    unknown.message = msg;
    auto refused = co_await s.send(std::move(unknown));
    check_error(refused, wm::kRejected, "unknown recipient refused");
    co_await bob.logout();
  }
  co_await s.logout();
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) == 0) a.v[k.substr(2)] = argv[i + 1];
  }
  // The expected attachment bytes come hex-encoded (they hold NULs).
  std::string hex = a["pdf_hex"], pdf;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) pdf += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  a.v["pdf"] = pdf;
  boost::asio::io_context io;
  bool finished = false;
  boost::asio::co_spawn(io, run(a), [&](std::exception_ptr e) {
    finished = true;
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        std::cout << "FAIL exception: " << ex.what() << std::endl;
        ++g_failures;
      }
    }
  });
  io.run();
  if (!finished) {
    std::cout << "FAIL driver did not finish" << std::endl;
    ++g_failures;
  }
  std::cout << g_checks << " checks, " << g_failures << " failed" << std::endl;
  return g_failures == 0 ? 0 : 1;
}
