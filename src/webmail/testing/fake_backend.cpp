// The in-memory backend.
#include "webmail/testing/fake_backend.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <ctime>

#include "base/strings.hpp"
#include "mime/address.hpp"
#include "mime/body.hpp"
#include "mime/content_type.hpp"
#include "mime/message.hpp"
#include "mime/summary.hpp"

namespace claret::webmail::testing {
namespace {

std::vector<Address> addresses(const mime::ParsedMessage& m, std::string_view field) {
  std::vector<Address> out;
  auto v = m.header(field);
  if (!v) return out;
  for (const auto& a : mime::parse_mailboxes(*v)) out.push_back({a.name, a.addr_spec()});
  return out;
}

// IMAP section numbers (RFC 9051 §6.4.5) of the leaf parts, not descending into message/rfc822.
void sections(const mime::ParsedMessage& m, uint32_t index, const std::string& number,
              std::vector<std::pair<std::string, uint32_t>>& out) {
  const mime::Part& p = m.part(index);
  if (p.kind == mime::PartKind::kMultipart) {
    int n = 1;
    for (uint32_t child : m.children(p)) {
      sections(m, child, number.empty() ? std::to_string(n) : number + "." + std::to_string(n), out);
      ++n;
    }
    return;
  }
  out.emplace_back(number.empty() ? "1" : number, index);
}

std::string param(const mime::ParsedMessage& m, const mime::Part& p, std::string_view header, std::string_view name) {
  auto v = m.header(p, header);
  if (!v) return {};
  auto semi = v->find(';');
  if (semi == std::string_view::npos) return {};
  auto params = mime::parse_parameters(v->substr(semi + 1));
  const auto* found = mime::find_param(params, name);
  return found ? found->value : std::string();
}

MessageSummary summarize(uint32_t uid, const FakeMessage& fm) {
  mime::ParsedMessage m = mime::parse(fm.raw);
  mime::MessageSummary s = mime::summarize(m);
  MessageSummary out;
  out.uid = uid;
  out.flags = fm.flags;
  out.received = fm.received;
  out.date = s.date.value_or(fm.received);
  out.size = fm.raw.size();
  out.subject = s.subject;
  out.from = addresses(m, "From");
  out.to = addresses(m, "To");
  out.cc = addresses(m, "Cc");
  out.message_id = s.message_id;
  out.in_reply_to = s.in_reply_to;
  out.preview = mime::preview(m, fm.raw, 200);
  out.has_attachments = s.has_attachments;
  out.thread_root = uid;
  return out;
}

class FakeSession : public MailSession {
 public:
  FakeSession(std::shared_ptr<FakeBackend::State> state, std::string username)
      : state_(std::move(state)), username_(std::move(username)) {}

  const std::string& username() const override { return username_; }
  std::vector<std::string> identities() const override {
    std::lock_guard lock(state_->mu);
    return account().identities;
  }

  Task<Result<std::vector<Folder>>> folders() override {
    std::lock_guard lock(state_->mu);
    ++state_->folder_listings;
    if (state_->failure) co_return *state_->failure;
    std::vector<Folder> out;
    for (const auto& [name, f] : account().folders) {
      Folder folder;
      folder.name = name;
      folder.special_use = name == "INBOX" ? "inbox" : f.special_use;
      folder.messages = static_cast<uint32_t>(f.messages.size());
      for (const auto& [uid, m] : f.messages)
        if (std::find(m.flags.begin(), m.flags.end(), "\\Seen") == m.flags.end()) ++folder.unseen;
      auto slash = name.rfind('/');
      if (slash != std::string::npos) folder.parent = name.substr(0, slash);
      out.push_back(std::move(folder));
    }
    co_return out;
  }

  Task<Status> create_folder(std::string name) override {
    std::lock_guard lock(state_->mu);
    if (state_->failure) co_return *state_->failure;
    if (account().folders.count(name)) co_return make_error("folder " + name + " already exists", 400);
    account().folders[name];
    co_return Status{};
  }

  Task<Status> rename_folder(std::string from, std::string to) override {
    std::lock_guard lock(state_->mu);
    auto& folders = account().folders;
    if (!folders.count(from)) co_return make_error("no folder " + from, kNotFound);
    if (folders.count(to)) co_return make_error("folder " + to + " already exists", 400);
    folders[to] = std::move(folders[from]);
    folders.erase(from);
    co_return Status{};
  }

  Task<Status> delete_folder(std::string name) override {
    std::lock_guard lock(state_->mu);
    if (!account().folders.erase(name)) co_return make_error("no folder " + name, kNotFound);
    co_return Status{};
  }

  Task<Result<MessagePage>> list(ListQuery q) override {
    std::lock_guard lock(state_->mu);
    if (state_->failure) co_return *state_->failure;
    FakeFolder* f = folder(q.folder);
    if (!f) co_return make_error("no folder " + q.folder, kNotFound);
    std::vector<MessageSummary> all;
    for (const auto& entry : f->messages) {
      uint32_t uid = entry.first;
      const FakeMessage& m = entry.second;
      auto has = [&m](const char* flag) { return std::find(m.flags.begin(), m.flags.end(), flag) != m.flags.end(); };
      if (q.unseen_only && has("\\Seen")) continue;
      if (q.flagged_only && !has("\\Flagged")) continue;
      if (!q.search.empty() && to_lower(m.raw).find(to_lower(q.search)) == std::string::npos) continue;
      all.push_back(summarize(uid, m));
    }
    auto by = [&q](const MessageSummary& a, const MessageSummary& b) {
      switch (q.sort) {
        case SortOrder::date_asc: return a.date < b.date;
        case SortOrder::from_asc:
          return (a.from.empty() ? "" : a.from[0].email) < (b.from.empty() ? "" : b.from[0].email);
        case SortOrder::subject_asc: return a.subject < b.subject;
        case SortOrder::size_desc: return a.size > b.size;
        case SortOrder::date_desc: break;
      }
      return a.date > b.date;
    };
    std::stable_sort(all.begin(), all.end(), by);
    MessagePage page;
    page.total = static_cast<uint32_t>(all.size());
    page.uidvalidity = f->uidvalidity;
    for (size_t i = q.offset; i < all.size() && page.messages.size() < q.limit; ++i) page.messages.push_back(all[i]);
    co_return page;
  }

  Task<Result<MessageView>> message(std::string folder_name, uint32_t uid) override {
    std::lock_guard lock(state_->mu);
    if (state_->failure) co_return *state_->failure;
    const FakeMessage* fm = find(folder_name, uid);
    if (!fm) co_return make_error("no such message", kNotFound);
    mime::ParsedMessage m = mime::parse(fm->raw);
    MessageView view;
    view.summary = summarize(uid, *fm);
    view.reply_to = addresses(m, "Reply-To");
    view.bcc = addresses(m, "Bcc");
    view.references = std::string(m.header("References").value_or(""));
    std::vector<std::pair<std::string, uint32_t>> leaves;
    sections(m, 0, "", leaves);
    for (const auto& [section, index] : leaves) {
      const mime::Part& p = m.part(index);
      bool attachment = mime::is_attachment(m, p);
      if (!attachment && p.is_type("text", "plain") && view.text.empty()) {
        view.text = mime::decode_text(m, p);
        continue;
      }
      if (!attachment && p.is_type("text", "html") && view.html.empty()) {
        view.html = mime::decode_text(m, p);
        continue;
      }
      Part part;
      part.section = section;
      auto type = m.header(p, "Content-Type");
      std::string t = to_lower(type ? trim(type->substr(0, type->find(';'))) : "text/plain");
      part.content_type = t;
      part.charset = param(m, p, "Content-Type", "charset");
      part.filename = mime::attachment_filename(m, p);
      part.disposition = attachment ? "attachment" : "inline";
      auto cid = m.header(p, "Content-ID");
      if (cid) {
        std::string id(trim(*cid));
        if (id.size() >= 2 && id.front() == '<') id = id.substr(1, id.size() - 2);
        part.content_id = id;
      }
      part.size = p.body_size;
      view.attachments.push_back(std::move(part));
    }
    co_return view;
  }

  Task<Result<std::vector<MessageSummary>>> thread(std::string folder_name, uint32_t uid) override {
    std::lock_guard lock(state_->mu);
    const FakeMessage* fm = find(folder_name, uid);
    if (!fm) co_return make_error("no such message", kNotFound);
    std::string base = to_lower(mime::summarize(mime::parse(fm->raw)).base_subject);
    std::vector<MessageSummary> out;
    for (const auto& [u, m] : folder(folder_name)->messages)
      if (to_lower(mime::summarize(mime::parse(m.raw)).base_subject) == base) out.push_back(summarize(u, m));
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
    co_return out;
  }

  Task<Result<std::string>> raw(std::string folder_name, uint32_t uid) override {
    std::lock_guard lock(state_->mu);
    if (state_->failure) co_return *state_->failure;
    const FakeMessage* fm = find(folder_name, uid);
    if (!fm) co_return make_error("no such message", kNotFound);
    co_return fm->raw;
  }

  Task<Result<PartChunk>> part(std::string folder_name, uint32_t uid, std::string section, uint64_t offset,
                               uint64_t max_bytes) override {
    std::lock_guard lock(state_->mu);
    const FakeMessage* fm = find(folder_name, uid);
    if (!fm) co_return make_error("no such message", kNotFound);
    mime::ParsedMessage m = mime::parse(fm->raw);
    std::vector<std::pair<std::string, uint32_t>> leaves;
    sections(m, 0, "", leaves);
    for (const auto& [s, index] : leaves) {
      if (s != section) continue;
      std::string body = mime::decode_body(m, m.part(index));
      PartChunk chunk;
      if (offset < body.size()) chunk.bytes = body.substr(offset, max_bytes);
      chunk.eof = offset + chunk.bytes.size() >= body.size();
      co_return chunk;
    }
    co_return make_error("no such part", kNotFound);
  }

  Task<Status> set_flags(std::string folder_name, std::vector<uint32_t> uids, FlagChange change,
                         std::vector<std::string> flags) override {
    std::lock_guard lock(state_->mu);
    FakeFolder* f = folder(folder_name);
    if (!f) co_return make_error("no folder " + folder_name, kNotFound);
    for (uint32_t uid : uids) {
      auto it = f->messages.find(uid);
      if (it == f->messages.end()) continue;
      auto& have = it->second.flags;
      for (const auto& flag : flags) {
        auto pos = std::find(have.begin(), have.end(), flag);
        if (change == FlagChange::add && pos == have.end()) have.push_back(flag);
        if (change == FlagChange::remove && pos != have.end()) have.erase(pos);
      }
    }
    co_return Status{};
  }

  Task<Status> copy(std::string from, std::vector<uint32_t> uids, std::string to) override {
    std::lock_guard lock(state_->mu);
    co_return transfer(from, uids, to, false);
  }

  Task<Status> move(std::string from, std::vector<uint32_t> uids, std::string to) override {
    std::lock_guard lock(state_->mu);
    co_return transfer(from, uids, to, true);
  }

  Task<Status> expunge(std::string folder_name, std::vector<uint32_t> uids) override {
    std::lock_guard lock(state_->mu);
    FakeFolder* f = folder(folder_name);
    if (!f) co_return make_error("no folder " + folder_name, kNotFound);
    for (uint32_t uid : uids) f->messages.erase(uid);
    co_return Status{};
  }

  Task<Result<uint32_t>> append(std::string folder_name, std::string message, std::vector<std::string> flags) override {
    std::lock_guard lock(state_->mu);
    ++state_->appends;
    if (state_->failure) co_return *state_->failure;
    FakeFolder* f = folder(folder_name);
    if (!f) co_return make_error("no folder " + folder_name, kNotFound);
    uint32_t uid = f->uidnext++;
    f->messages[uid] = FakeMessage{std::move(message), std::move(flags), static_cast<int64_t>(std::time(nullptr))};
    co_return uid;
  }

  Task<Status> send(Submission submission) override {
    std::lock_guard lock(state_->mu);
    if (state_->failure) co_return *state_->failure;
    // Local recipients get it in their INBOX, as machine A would deliver it.
    for (const auto& rcpt : submission.recipients) {
      auto it = state_->accounts.find(rcpt);
      if (it == state_->accounts.end()) continue;
      FakeFolder& inbox = it->second.folders["INBOX"];
      inbox.messages[inbox.uidnext++] = FakeMessage{submission.message, {}, static_cast<int64_t>(std::time(nullptr))};
    }
    state_->submissions.push_back(std::move(submission));
    co_return Status{};
  }

  Task<Result<std::optional<FolderEvent>>> wait_for_change(std::string folder_name,
                                                           std::chrono::milliseconds timeout) override {
    {
      std::lock_guard lock(state_->mu);
      if (state_->failure) co_return *state_->failure;
      auto& queue = state_->events[username_];
      if (!queue.empty()) {
        FolderEvent e = queue.front();
        queue.pop_front();
        co_return std::optional<FolderEvent>(e);
      }
    }
    auto executor = co_await boost::asio::this_coro::executor;
    boost::asio::steady_timer timer(executor, timeout);
    co_await timer.async_wait(boost::asio::use_awaitable);
    co_return std::optional<FolderEvent>();
  }

  Task<void> logout() override {
    std::lock_guard lock(state_->mu);
    ++state_->logouts;
    co_return;
  }

 private:
  FakeAccount& account() const { return state_->accounts.at(username_); }
  FakeFolder* folder(const std::string& name) {
    auto& folders = account().folders;
    auto it = folders.find(name);
    return it == folders.end() ? nullptr : &it->second;
  }
  const FakeMessage* find(const std::string& folder_name, uint32_t uid) {
    FakeFolder* f = folder(folder_name);
    if (!f) return nullptr;
    auto it = f->messages.find(uid);
    return it == f->messages.end() ? nullptr : &it->second;
  }
  Status transfer(const std::string& from, const std::vector<uint32_t>& uids, const std::string& to, bool remove) {
    FakeFolder* src = folder(from);
    FakeFolder* dst = folder(to);
    if (!src || !dst) return make_error("no such folder", kNotFound);
    for (uint32_t uid : uids) {
      auto it = src->messages.find(uid);
      if (it == src->messages.end()) continue;
      dst->messages[dst->uidnext++] = it->second;
      if (remove) src->messages.erase(it);
    }
    return Status{};
  }

  std::shared_ptr<FakeBackend::State> state_;
  std::string username_;
};

}  // namespace

void FakeBackend::add_user(const std::string& username, const std::string& password) {
  std::lock_guard lock(state_->mu);
  FakeAccount& a = state_->accounts[username];
  a.password = password;
  a.identities = {username};
  a.folders["INBOX"];
  a.folders["Sent"].special_use = "\\Sent";
  a.folders["Drafts"].special_use = "\\Drafts";
  a.folders["Trash"].special_use = "\\Trash";
}

uint32_t FakeBackend::add_message(const std::string& username, const std::string& folder, std::string raw,
                                  std::vector<std::string> flags) {
  std::lock_guard lock(state_->mu);
  FakeFolder& f = state_->accounts.at(username).folders[folder];
  uint32_t uid = f.uidnext++;
  f.messages[uid] = FakeMessage{std::move(raw), std::move(flags), 1700000000 + uid};
  return uid;
}

void FakeBackend::push_event(const std::string& username, FolderEvent event) {
  std::lock_guard lock(state_->mu);
  state_->events[username].push_back(std::move(event));
}

void FakeBackend::set_failure(std::optional<Error> failure) {
  std::lock_guard lock(state_->mu);
  state_->failure = std::move(failure);
}

std::vector<Submission> FakeBackend::submissions() const {
  std::lock_guard lock(state_->mu);
  return state_->submissions;
}

std::optional<FakeMessage> FakeBackend::message(const std::string& username, const std::string& folder,
                                                uint32_t uid) const {
  std::lock_guard lock(state_->mu);
  const auto& folders = state_->accounts.at(username).folders;
  auto f = folders.find(folder);
  if (f == folders.end()) return std::nullopt;
  auto m = f->second.messages.find(uid);
  if (m == f->second.messages.end()) return std::nullopt;
  return m->second;
}

std::vector<uint32_t> FakeBackend::uids(const std::string& username, const std::string& folder) const {
  std::lock_guard lock(state_->mu);
  std::vector<uint32_t> out;
  const auto& folders = state_->accounts.at(username).folders;
  auto f = folders.find(folder);
  if (f == folders.end()) return out;
  for (const auto& [uid, m] : f->second.messages) out.push_back(uid);
  return out;
}

int FakeBackend::logouts() const {
  std::lock_guard lock(state_->mu);
  return state_->logouts;
}

int FakeBackend::logins() const {
  std::lock_guard lock(state_->mu);
  return state_->logins;
}

int FakeBackend::folder_listings() const {
  std::lock_guard lock(state_->mu);
  return state_->folder_listings;
}

int FakeBackend::appends() const {
  std::lock_guard lock(state_->mu);
  return state_->appends;
}

bool FakeBackend::rename_elsewhere(const std::string& username, const std::string& from, const std::string& to) {
  std::lock_guard lock(state_->mu);
  auto& folders = state_->accounts.at(username).folders;
  auto it = folders.find(from);
  if (it == folders.end() || folders.count(to)) return false;
  folders[to] = std::move(it->second);
  folders.erase(from);
  return true;
}

Task<Result<std::unique_ptr<MailSession>>> FakeBackend::login(std::string username, std::string password) {
  std::shared_ptr<State> state = state_;
  {
    std::lock_guard lock(state->mu);
    if (state->failure) co_return *state->failure;
    auto it = state->accounts.find(username);
    if (it == state->accounts.end() || it->second.password != password)
      co_return make_error("wrong username or password", kAuthFailed);
    ++state->logins;
  }
  co_return std::unique_ptr<MailSession>(std::make_unique<FakeSession>(state, username));
}

}  // namespace claret::webmail::testing
