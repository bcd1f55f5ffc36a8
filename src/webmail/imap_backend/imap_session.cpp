// ImapSession: every MailSession operation as IMAP commands (RFC 9051, with SORT/THREAD RFC 5256, MOVE RFC 6851,
// UIDPLUS RFC 4315, BINARY RFC 3516, PREVIEW RFC 8970 when offered, client-side fallbacks otherwise) and SMTP
// submission (RFC 6409) with the user's credentials.
#include "webmail/imap_backend/imap_session.hpp"

#include "webmail/imap_backend/imap_backend.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "base/strings.hpp"
#include "imap/proto/mailbox_name.hpp"
#include "mime/base_subject.hpp"
#include "mime/encoded_word.hpp"
#include "mime/header.hpp"
#include "smtp/client/reply_parser.hpp"
#include "smtp/client/smtp_client.hpp"
#include "webmail/imap_backend/message_mapping.hpp"
#include "webmail/imap_backend/threading.hpp"

namespace claret::webmail {

namespace ic = imap::client;

namespace {

constexpr const char* kSummaryItems = "UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE";
constexpr const char* kSpecialUses[] = {"\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive", "\\All", "\\Flagged"};
constexpr const char* kReferencesSection = "BODY[HEADER.FIELDS (REFERENCES)]";

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "References: <a> <b>\r\n\r\n" → "<a> <b>".
std::string header_value(std::string_view block) {
  auto colon = block.find(':');
  if (colon == std::string_view::npos) return {};
  auto v = mime::unfold(block.substr(colon + 1));
  auto b = v.find_first_not_of(" \t\r\n");
  auto e = v.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string{} : v.substr(b, e - b + 1);
}

Status not_found_folder(const std::string& folder) { return Error{kNotFound, "No such folder: " + folder}; }

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

ic::Command criteria_of(const ListQuery& q) {
  ic::Command c;
  if (q.unseen_only) c.atom("UNSEEN");
  if (q.flagged_only) c.atom("FLAGGED");
  if (!q.search.empty()) {
    // "subject:…", "from:…", "to:…" search that header only (as Gmail's operators; Roundcube's default is
    // subject + from); anything else is IMAP TEXT, headers and body.
    static const std::pair<std::string_view, const char*> fields[] = {{"subject:", "SUBJECT"}, {"from:", "FROM"}, {"to:", "TO"}};
    const char* key = "TEXT";
    std::string value = q.search;
    for (const auto& [prefix, imap_key] : fields) {
      if (q.search.size() > prefix.size() && iequals(std::string_view(q.search).substr(0, prefix.size()), prefix)) {
        key = imap_key;
        value = std::string(trim(std::string_view(q.search).substr(prefix.size())));
        break;
      }
    }
    c.atom(key).string(value.empty() ? q.search : value);
  }
  if (c.describe().empty()) c.atom("ALL");
  return c;
}

std::string sort_keys(SortOrder o) {
  switch (o) {
    case SortOrder::date_asc: return "(DATE)";
    case SortOrder::from_asc: return "(FROM)";
    case SortOrder::subject_asc: return "(SUBJECT)";
    case SortOrder::size_desc: return "(REVERSE SIZE)";
    case SortOrder::date_desc: break;
  }
  return "(REVERSE DATE)";
}

std::string sort_from(const MessageSummary& s) {
  if (s.from.empty()) return {};
  return lower(s.from[0].email);  // RFC 5256 §3: FROM sorts on the addr-mailbox
}

// Client-side sort with the RFC 5256 keys; ties broken by uid so pages are stable.
void sort_summaries(std::vector<MessageSummary>& v, SortOrder o) {
  auto by = [&](auto key, bool reverse) {
    std::stable_sort(v.begin(), v.end(), [&](const MessageSummary& a, const MessageSummary& b) {
      auto ka = key(a), kb = key(b);
      if (ka == kb) return reverse ? a.uid > b.uid : a.uid < b.uid;
      return reverse ? kb < ka : ka < kb;
    });
  };
  switch (o) {
    case SortOrder::date_desc: by([](const MessageSummary& s) { return s.date; }, true); break;
    case SortOrder::date_asc: by([](const MessageSummary& s) { return s.date; }, false); break;
    case SortOrder::from_asc: by(sort_from, false); break;
    case SortOrder::subject_asc: by([](const MessageSummary& s) { return lower(mime::base_subject(s.subject)); }, false); break;
    case SortOrder::size_desc: by([](const MessageSummary& s) { return s.size; }, true); break;
  }
}

// Cache key of a list query: every field that changes the answer (the page only when `with_page`).
std::string list_key(const ListQuery& q, bool with_page) {
  std::string k = q.folder;
  k += '\0';
  k += std::to_string(static_cast<int>(q.sort)) + (q.unseen_only ? "u" : "-") + (q.flagged_only ? "f" : "-") +
       (q.threaded ? "t" : "-");
  k += '\0';
  k += q.search;
  if (with_page) k += '\0' + std::to_string(q.offset) + ':' + std::to_string(q.limit);
  return k;
}

// A few per connection: the pages of the folders and filters the user goes back and forth between.
constexpr std::size_t kCachedResults = 8;

template <typename T>
const T* find_cached(const std::deque<T>& cache, const std::string& key, std::uint64_t version) {
  for (const auto& e : cache)
    if (e.key == key && e.version == version) return &e;
  return nullptr;
}

template <typename T>
void remember(std::deque<T>& cache, T entry) {
  std::erase_if(cache, [&](const T& e) { return e.key == entry.key; });
  cache.push_front(std::move(entry));
  if (cache.size() > kCachedResults) cache.pop_back();
}

template <typename T>
std::vector<T> page_of(const std::vector<T>& all, std::uint32_t offset, std::uint32_t limit) {
  if (offset >= all.size()) return {};
  auto end = std::min<std::size_t>(all.size(), std::size_t{offset} + limit);
  return std::vector<T>(all.begin() + offset, all.begin() + end);
}

}  // namespace

Error to_backend_error(const Error& e) {
  switch (e.code) {
    case ic::kAuthenticationFailed: return Error{kAuthFailed, "Login failed: " + e.message};
    case ic::kNonexistent: return Error{kNotFound, e.message};
    case ic::kTooLarge: return Error{kRejected, e.message};  // "message too large (limit N bytes)"
    case ic::kRefused:
    case ic::kBadCommand: return Error{kRejected, "The mail server refused: " + e.message};
    default: return Error{kUnavailable, "The mail server is unavailable: " + e.message};
  }
}

ImapSession::ImapSession(std::shared_ptr<const ImapEndpoints> endpoints, std::string username, std::string password)
    : endpoints_(std::move(endpoints)), username_(std::move(username)), password_(std::move(password)) {}

ImapSession::~ImapSession() = default;

std::vector<std::string> ImapSession::identities() const {
  if (username_.find('@') != std::string::npos) return {username_};
  return {};
}

Task<Status> ImapSession::open() {
  auto guard = co_await main_.mutex.lock();
  auto c = co_await ready(main_);
  if (!c) co_return c.error();
  co_return Status{};
}

Task<Result<ic::ImapClient*>> ImapSession::ready(Connection& c) {
  if (logged_out_) co_return Error{kAuthFailed, "You have been signed out"};
  if (c.client && c.client->usable()) co_return c.client.get();
  c.client.reset();
  c.forget();  // versions are per client
  ic::ClientOptions o;
  o.host = endpoints_->imap.host;
  o.port = endpoints_->imap.port;
  o.security = endpoints_->imap.implicit_tls ? ic::Security::implicit_tls : ic::Security::starttls;
  o.tls = endpoints_->tls;
  o.connect_timeout = endpoints_->timeout;
  o.command_timeout = endpoints_->timeout;
  auto client = co_await ic::ImapClient::connect(o);
  if (!client) co_return to_backend_error(client.error());
  auto st = co_await (*client)->login(username_, password_);
  if (!st) {
    co_await (*client)->logout();
    co_return to_backend_error(st.error());
  }
  c.client = std::move(*client);
  co_return c.client.get();
}

Task<Result<ic::ImapClient*>> ImapSession::ready_in(Connection& c, const std::string& folder, bool read_only) {
  auto client = co_await ready(c);
  if (!client) co_return client.error();
  if ((*client)->selected() == folder) co_return *client;
  // CONDSTORE on the command connections: their MailboxView then tracks every change (the list cache).
  auto info = co_await (*client)->select(folder, read_only, &c != &idle_);
  if (!info) {
    if (info.error().code == ic::kRefused || info.error().code == ic::kNonexistent) co_return not_found_folder(folder).error();
    co_return to_backend_error(info.error());
  }
  c.uidvalidity = info->uidvalidity;
  c.exists = info->exists;
  co_return *client;
}

ImapSession::Connection& ImapSession::for_folder(const std::string& folder) {
  return iequals(folder, "INBOX") ? main_ : other_;
}

Task<Result<std::vector<Folder>>> ImapSession::folders() {
  auto guard = co_await main_.mutex.lock();
  auto client = co_await ready(main_);
  if (!client) co_return client.error();
  auto listed = co_await (*client)->list();
  if (!listed) co_return to_backend_error(listed.error());
  std::vector<Folder> out;
  for (const auto& m : *listed) {
    Folder f;
    auto name = imap::proto::decode_mailbox(m.entry.name, (*client)->utf8_accept());
    f.name = name ? std::move(*name) : m.entry.name;
    f.name = imap::proto::normalize_inbox(f.name);
    f.delimiter = m.entry.delimiter ? m.entry.delimiter : '/';
    if (m.entry.delimiter) {
      auto cut = f.name.rfind(m.entry.delimiter);
      if (cut != std::string::npos) f.parent = f.name.substr(0, cut);
    }
    if (f.name == "INBOX") {
      f.special_use = "inbox";
    } else {
      for (const char* use : kSpecialUses)
        if (m.entry.has_attribute(use)) f.special_use = use;
    }
    f.selectable = !m.entry.has_attribute("\\Noselect") && !m.entry.has_attribute("\\NonExistent");
    f.subscribed = m.subscribed;
    if (m.status) {
      f.messages = m.status->messages.value_or(0);
      f.unseen = m.status->unseen.value_or(0);
    }
    out.push_back(std::move(f));
  }
  // INBOX first, then by name: the order the folder pane shows.
  std::stable_sort(out.begin(), out.end(), [](const Folder& a, const Folder& b) {
    if ((a.name == "INBOX") != (b.name == "INBOX")) return a.name == "INBOX";
    return a.name < b.name;
  });
  co_return out;
}

Task<Status> ImapSession::create_folder(std::string name) {
  auto valid = imap::proto::validate_mailbox_name(name);
  if (!valid) co_return Error{kRejected, valid.error().message};
  auto guard = co_await main_.mutex.lock();
  auto client = co_await ready(main_);
  if (!client) co_return client.error();
  auto st = co_await (*client)->create(name);
  if (!st) co_return to_backend_error(st.error());
  auto sub = co_await (*client)->subscribe(name);  // best effort: some clients only show subscribed folders
  (void)sub;
  co_return Status{};
}

Task<Status> ImapSession::rename_folder(std::string from, std::string to) {
  auto valid = imap::proto::validate_mailbox_name(to);
  if (!valid) co_return Error{kRejected, valid.error().message};
  // On the connection that may have `from` selected.
  auto& c = for_folder(from);
  auto guard = co_await c.mutex.lock();
  c.forget();
  auto client = co_await ready(c);
  if (!client) co_return client.error();
  if ((*client)->selected() == from) {
    // Keep nothing selected under the old name.
    auto left = co_await (*client)->unselect();
    if (!left) co_return to_backend_error(left.error());
  }
  auto st = co_await (*client)->rename(from, to);
  if (!st) co_return to_backend_error(st.error());
  auto unsub = co_await (*client)->subscribe(from, false);
  (void)unsub;
  auto sub = co_await (*client)->subscribe(to);
  (void)sub;
  co_return Status{};
}

Task<Status> ImapSession::delete_folder(std::string name) {
  auto& c = for_folder(name);  // remove() leaves the mailbox first when this connection has it selected
  auto guard = co_await c.mutex.lock();
  c.forget();
  auto client = co_await ready(c);
  if (!client) co_return client.error();
  auto st = co_await (*client)->remove(name);
  if (!st) co_return to_backend_error(st.error());
  auto unsub = co_await (*client)->subscribe(name, false);
  (void)unsub;
  co_return Status{};
}

Task<Result<std::vector<MessageSummary>>> ImapSession::summaries(ic::ImapClient& client,
                                                                const std::vector<std::uint32_t>& uids) {
  std::vector<MessageSummary> out;
  if (uids.empty()) co_return out;
  std::string items = std::string("(") + kSummaryItems + (client.has_capability("PREVIEW") ? " PREVIEW" : "") + ")";
  auto fetched = co_await client.uid_fetch(ic::format_number_set(uids), items);
  if (!fetched) co_return to_backend_error(fetched.error());
  std::map<std::uint32_t, MessageSummary> by_uid;
  for (const auto& f : *fetched) by_uid[*f.uid] = to_summary(f);
  for (auto uid : uids) {
    auto it = by_uid.find(uid);
    if (it != by_uid.end()) out.push_back(it->second);  // expunged meanwhile: skipped
  }
  co_return out;
}

Task<Result<std::vector<std::uint32_t>>> ImapSession::sorted_uids(ic::ImapClient& client, const ListQuery& query) {
  auto criteria = criteria_of(query);
  if (client.has_capability("SORT")) {
    auto sorted = co_await client.uid_sort(sort_keys(query.sort), criteria);
    if (!sorted) co_return to_backend_error(sorted.error());
    co_return std::move(*sorted);
  }
  auto found = co_await client.uid_search(criteria);
  if (!found) co_return to_backend_error(found.error());
  if (found->empty()) co_return std::move(*found);
  // No SORT: fetch the sort keys of every match and sort here.
  auto fetched = co_await client.uid_fetch(ic::format_number_set(*found), "(UID INTERNALDATE RFC822.SIZE ENVELOPE)");
  if (!fetched) co_return to_backend_error(fetched.error());
  std::vector<MessageSummary> keys;
  for (const auto& f : *fetched) keys.push_back(to_summary(f));
  sort_summaries(keys, query.sort);
  std::vector<std::uint32_t> out;
  for (const auto& k : keys) out.push_back(k.uid);
  co_return out;
}

Task<Result<std::vector<std::vector<std::uint32_t>>>> ImapSession::conversations(ic::ImapClient& client,
                                                                                 ic::Command criteria) {
  std::vector<std::vector<std::uint32_t>> out;
  if (client.has_capability("THREAD=REFERENCES")) {
    auto threads = co_await client.uid_thread("REFERENCES", criteria);
    if (!threads) co_return to_backend_error(threads.error());
    for (const auto& t : *threads) {
      auto members = thread_members(t);
      if (!members.empty()) out.push_back(std::move(members));
    }
    co_return out;
  }
  auto found = co_await client.uid_search(criteria);
  if (!found) co_return to_backend_error(found.error());
  if (found->empty()) co_return out;
  auto fetched = co_await client.uid_fetch(ic::format_number_set(*found),
                                           "(UID ENVELOPE BODY.PEEK[HEADER.FIELDS (REFERENCES)])");
  if (!fetched) co_return to_backend_error(fetched.error());
  std::vector<ThreadInput> input;
  for (const auto& f : *fetched) {
    ThreadInput t;
    t.uid = *f.uid;
    if (f.envelope) {
      t.message_id = f.envelope->message_id;
      t.in_reply_to = f.envelope->in_reply_to;
      t.subject = mime::decode_encoded_words(f.envelope->subject);
    }
    auto refs = f.sections.find(kReferencesSection);
    if (refs != f.sections.end()) t.references = header_value(refs->second);
    input.push_back(std::move(t));
  }
  co_return group_threads(input);
}

Task<Result<std::vector<std::uint32_t>>> ImapSession::cached_sorted_uids(Connection& c, const ListQuery& query) {
  auto& client = *c.client;
  auto key = list_key(query, false);
  if (client.view().condstore) {
    if (const auto* hit = find_cached(c.sorts, key, client.view().version)) co_return hit->value;
  }
  auto version = client.view().version;
  auto uids = co_await sorted_uids(client, query);
  if (!uids) co_return uids.error();
  // Only what no change reported during the commands can have made inconsistent.
  if (client.view().condstore && client.view().version == version)
    remember(c.sorts, Cached<std::vector<std::uint32_t>>{key, version, *uids});
  co_return std::move(*uids);
}

Task<Result<MessagePage>> ImapSession::list(ListQuery query) {
  auto& c = for_folder(query.folder);
  auto guard = co_await c.mutex.lock();
  bool was_selected = c.client && c.client->usable() && c.client->selected() == query.folder;
  auto client = co_await ready_in(c, query.folder);
  if (!client) co_return client.error();
  if (was_selected) {
    // Mail that arrived since this connection's last command is only in the server's view once reported
    // (claret's UID SORT/SEARCH answer over the view this client was told about, EXISTS after): a NOOP first, so
    // the list the browser refetches after an events-stream notice includes the new message, and the view's
    // version (the cache) accounts for every change. A SELECT just now reported the current state already.
    auto synced = co_await (*client)->noop();
    if (!synced) co_return to_backend_error(synced.error());
  }
  auto key = list_key(query, true);
  if ((*client)->view().condstore) {
    if (const auto* hit = find_cached(c.pages, key, (*client)->view().version)) co_return hit->value;
  }
  auto version = (*client)->view().version;
  MessagePage page;
  page.uidvalidity = c.uidvalidity;
  if (!query.threaded) {
    auto uids = co_await cached_sorted_uids(c, query);
    if (!uids) co_return uids.error();
    page.total = static_cast<std::uint32_t>(uids->size());
    auto rows = co_await summaries(**client, page_of(*uids, query.offset, query.limit));
    if (!rows) co_return rows.error();
    page.messages = std::move(*rows);
    if ((*client)->view().condstore && (*client)->view().version == version)
      remember(c.pages, Cached<MessagePage>{key, version, page});
    co_return page;
  }
  auto threads = co_await conversations(**client, criteria_of(query));
  if (!threads) co_return threads.error();
  // One row per conversation: its newest message, conversations ordered by that message.
  std::vector<std::uint32_t> newest;
  std::map<std::uint32_t, const std::vector<std::uint32_t>*> thread_of;
  for (const auto& t : *threads) {
    newest.push_back(t.back());
    thread_of[t.back()] = &t;
  }
  auto rows = co_await summaries(**client, newest);
  if (!rows) co_return rows.error();
  sort_summaries(*rows, query.sort);
  page.total = static_cast<std::uint32_t>(rows->size());
  page.messages = page_of(*rows, query.offset, query.limit);
  for (auto& m : page.messages) {
    const auto& t = *thread_of[m.uid];
    m.thread_size = static_cast<std::uint32_t>(t.size());
    m.thread_root = t.front();
  }
  if ((*client)->view().condstore && (*client)->view().version == version)
    remember(c.pages, Cached<MessagePage>{key, version, page});
  co_return page;
}

Task<Result<MessageView>> ImapSession::message(std::string folder, uint32_t uid) {
  auto& c = for_folder(folder);
  auto guard = co_await c.mutex.lock();
  auto client = co_await ready_in(c, folder);
  if (!client) co_return client.error();
  auto fetched = co_await (*client)->uid_fetch(
      std::to_string(uid), std::string("(") + kSummaryItems + " BODY.PEEK[HEADER.FIELDS (REFERENCES)])");
  if (!fetched) co_return to_backend_error(fetched.error());
  if (fetched->empty()) co_return Error{kNotFound, "No such message"};
  const auto& f = fetched->front();
  MessageView view;
  view.summary = to_summary(f);
  if (f.envelope) {
    view.reply_to = to_addresses(f.envelope->reply_to);
    view.bcc = to_addresses(f.envelope->bcc);
  }
  auto refs = f.sections.find(kReferencesSection);
  if (refs != f.sections.end()) view.references = header_value(refs->second);
  if (!f.bodystructure) co_return view;
  auto choice = choose_body(*f.bodystructure);
  view.attachments = std::move(choice.attachments);
  std::string items;
  for (const auto* p : {choice.text, choice.html})
    if (p) items += (items.empty() ? "" : " ") + std::string("BODY.PEEK[") + p->section + "]";
  if (items.empty()) co_return view;
  auto bodies = co_await (*client)->uid_fetch(std::to_string(uid), "(UID " + items + ")");
  if (!bodies) co_return to_backend_error(bodies.error());
  if (bodies->empty()) co_return Error{kNotFound, "No such message"};
  const auto& sections = bodies->front().sections;
  if (choice.text) {
    auto it = sections.find("BODY[" + choice.text->section + "]");
    if (it != sections.end()) view.text = decode_text(it->second, choice.text->encoding, choice.text->param("charset"));
  }
  if (choice.html) {
    auto it = sections.find("BODY[" + choice.html->section + "]");
    if (it != sections.end()) view.html = decode_text(it->second, choice.html->encoding, choice.html->param("charset"));
  }
  co_return view;
}

Task<Result<std::vector<MessageSummary>>> ImapSession::thread(std::string folder, uint32_t uid) {
  auto& c = for_folder(folder);
  auto guard = co_await c.mutex.lock();
  auto client = co_await ready_in(c, folder);
  if (!client) co_return client.error();
  ic::Command all;
  all.atom("ALL");
  auto threads = co_await conversations(**client, all);
  if (!threads) co_return threads.error();
  for (const auto& t : *threads) {
    if (std::find(t.begin(), t.end(), uid) == t.end()) continue;
    auto rows = co_await summaries(**client, t);
    if (!rows) co_return rows.error();
    sort_summaries(*rows, SortOrder::date_asc);
    co_return std::move(*rows);
  }
  co_return Error{kNotFound, "No such message"};
}

Task<Result<std::string>> ImapSession::raw(std::string folder, uint32_t uid) {
  auto& c = for_folder(folder);
  auto guard = co_await c.mutex.lock();
  auto client = co_await ready_in(c, folder);
  if (!client) co_return client.error();
  auto fetched = co_await (*client)->uid_fetch(std::to_string(uid), "(UID BODY.PEEK[])");
  if (!fetched) co_return to_backend_error(fetched.error());
  if (fetched->empty()) co_return Error{kNotFound, "No such message"};
  auto it = fetched->front().sections.find("BODY[]");
  if (it == fetched->front().sections.end()) co_return Error{kUnavailable, "The mail server sent no message data"};
  co_return std::move(it->second);
}

Task<Result<PartChunk>> ImapSession::part(std::string folder, uint32_t uid, std::string section, uint64_t offset,
                                          uint64_t max_bytes) {
  for (char c : section)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') co_return Error{kNotFound, "No such part"};
  if (section.empty() || max_bytes == 0) co_return Error{kNotFound, "No such part"};
  auto& c = for_folder(folder);
  auto guard = co_await c.mutex.lock();
  auto client = co_await ready_in(c, folder);
  if (!client) co_return client.error();
  auto structure = co_await (*client)->uid_fetch(std::to_string(uid), "(UID BODYSTRUCTURE)");
  if (!structure) co_return to_backend_error(structure.error());
  if (structure->empty() || !structure->front().bodystructure) co_return Error{kNotFound, "No such message"};
  const auto* p = find_section(*structure->front().bodystructure, section);
  if (!p || p->multipart()) co_return Error{kNotFound, "No such part"};
  PartChunk chunk;
  if ((*client)->has_capability("BINARY")) {
    auto items = "(UID BINARY.PEEK[" + section + "]<" + std::to_string(offset) + "." + std::to_string(max_bytes) + ">)";
    auto fetched = co_await (*client)->uid_fetch(std::to_string(uid), items);
    if (!fetched) co_return to_backend_error(fetched.error());
    if (fetched->empty()) co_return Error{kNotFound, "No such message"};
    auto it = fetched->front().sections.find("BINARY[" + section + "]");
    if (it != fetched->front().sections.end()) chunk.bytes = std::move(it->second);
    chunk.eof = chunk.bytes.size() < max_bytes;
    co_return chunk;
  }
  // No BINARY: fetch the encoded part and decode it here.
  auto fetched = co_await (*client)->uid_fetch(std::to_string(uid), "(UID BODY.PEEK[" + section + "])");
  if (!fetched) co_return to_backend_error(fetched.error());
  if (fetched->empty()) co_return Error{kNotFound, "No such message"};
  auto it = fetched->front().sections.find("BODY[" + section + "]");
  if (it == fetched->front().sections.end()) co_return Error{kNotFound, "No such part"};
  auto decoded = decode_transfer(it->second, p->encoding);
  if (offset < decoded.size()) chunk.bytes = decoded.substr(offset, max_bytes);
  chunk.eof = offset + chunk.bytes.size() >= decoded.size();
  co_return chunk;
}

Task<Status> ImapSession::set_flags(std::string folder, std::vector<uint32_t> uids, FlagChange change,
                                    std::vector<std::string> flags) {
  if (uids.empty() || flags.empty()) co_return Status{};
  auto& c = for_folder(folder);
  auto guard = co_await c.mutex.lock();
  c.forget();  // the view's version moves too; this does not depend on the server saying so
  auto client = co_await ready_in(c, folder);
  if (!client) co_return client.error();
  auto st = co_await (*client)->uid_store(ic::format_number_set(uids),
                                          change == FlagChange::add ? "+FLAGS.SILENT" : "-FLAGS.SILENT", flags);
  if (!st) co_return to_backend_error(st.error());
  co_return Status{};
}

Task<Status> ImapSession::copy(std::string folder, std::vector<uint32_t> uids, std::string to) {
  if (uids.empty()) co_return Status{};
  auto& c = for_folder(folder);
  auto guard = co_await c.mutex.lock();
  c.forget();  // the view's version moves too; this does not depend on the server saying so
  auto client = co_await ready_in(c, folder);
  if (!client) co_return client.error();
  for_folder(to).forget();
  auto r = co_await (*client)->uid_copy(ic::format_number_set(uids), to);
  if (!r) co_return to_backend_error(r.error());
  co_return Status{};
}

Task<Status> ImapSession::move(std::string folder, std::vector<uint32_t> uids, std::string to) {
  if (uids.empty()) co_return Status{};
  auto& c = for_folder(folder);
  auto guard = co_await c.mutex.lock();
  c.forget();  // the view's version moves too; this does not depend on the server saying so
  auto client = co_await ready_in(c, folder);
  if (!client) co_return client.error();
  for_folder(to).forget();
  auto st = co_await (*client)->uid_move(ic::format_number_set(uids), to);
  if (!st) co_return to_backend_error(st.error());
  co_return Status{};
}

Task<Status> ImapSession::expunge(std::string folder, std::vector<uint32_t> uids) {
  if (uids.empty()) co_return Status{};
  auto& c = for_folder(folder);
  auto guard = co_await c.mutex.lock();
  c.forget();  // the view's version moves too; this does not depend on the server saying so
  auto client = co_await ready_in(c, folder);
  if (!client) co_return client.error();
  auto set = ic::format_number_set(uids);
  std::vector<std::string> deleted{std::string("\\Deleted")};
  auto st = co_await (*client)->uid_store(set, "+FLAGS.SILENT", deleted);
  if (!st) co_return to_backend_error(st.error());
  auto ex = co_await (*client)->uid_expunge(set);
  if (!ex) co_return to_backend_error(ex.error());
  co_return Status{};
}

Task<Result<uint32_t>> ImapSession::append(std::string folder, std::string message, std::vector<std::string> flags) {
  auto guard = co_await main_.mutex.lock();
  auto client = co_await ready(main_);
  if (!client) co_return client.error();
  for_folder(folder).forget();
  auto r = co_await (*client)->append(folder, flags, std::move(message));
  if (!r) co_return to_backend_error(r.error());
  co_return r->has_value() ? (*r)->uid : 0u;
}

Task<Status> ImapSession::send(Submission submission) {
  if (submission.recipients.empty()) co_return Error{kRejected, "No recipients"};
  smtp::client::ClientOptions o;
  o.helo_name = endpoints_->helo_name;
  o.tls = endpoints_->tls;
  o.require_tls = true;
  o.implicit_tls = endpoints_->submission.implicit_tls;
  o.auth_user = username_;
  o.auth_password = password_;
  auto t = endpoints_->timeout;
  o.timeouts = {t, t, t, t, t, t, t, t};
  auto opened = co_await smtp::client::SmtpClient::open(endpoints_->submission.host, endpoints_->submission.port, o);
  if (!opened) {
    const auto& e = opened.error();
    if (e.code == 535) co_return Error{kRejected, "The submission server refused the login: " + e.message};
    co_return Error{kUnavailable, "The submission server is unavailable: " + e.message};
  }
  auto& smtp = **opened;
  smtp::client::Envelope env;
  env.sender = submission.mail_from;
  env.smtputf8 = !is_ascii(submission.mail_from);
  for (const auto& r : submission.recipients) {
    env.recipients.push_back({r, 0, {}});
    if (!is_ascii(r)) env.smtputf8 = true;
  }
  auto sent = co_await smtp.send(env, submission.message);
  co_await smtp.quit();
  if (!sent) co_return Error{kUnavailable, "Sending failed: " + sent.error().message};
  auto positive = [](const smtp::proto::Reply& r) { return r.code >= 200 && r.code < 300; };
  for (std::size_t i = 0; i < sent->recipients.size() && i < env.recipients.size(); ++i)
    if (!positive(sent->recipients[i]))
      co_return Error{kRejected, "Recipient " + env.recipients[i].address + " refused: " +
                                     smtp::client::reply_summary(sent->recipients[i])};
  if (!positive(sent->message))
    co_return Error{kRejected, "Message refused: " + smtp::client::reply_summary(sent->message)};
  co_return Status{};
}

Task<Result<std::optional<FolderEvent>>> ImapSession::wait_for_change(std::string folder,
                                                                      std::chrono::milliseconds timeout) {
  auto guard = co_await idle_.mutex.lock();
  auto client = co_await ready_in(idle_, folder, true);
  if (!client) co_return client.error();
  auto seen = co_await (*client)->idle(timeout);
  if (logged_out_) {
    // logout() came while this IDLE was running (a pending read cannot be cancelled): say LOGOUT now.
    co_await idle_.client->logout();
    idle_.client.reset();
    co_return Error{kUnavailable, "logged out"};
  }
  if (!seen) co_return to_backend_error(seen.error());
  FolderEvent ev;
  ev.folder = folder;
  bool changed = false;
  for (const auto& r : *seen) {
    if (r.name == "EXISTS" && r.number) {
      changed = changed || *r.number != idle_.exists;
      idle_.exists = *r.number;
    } else if (r.name == "EXPUNGE" || r.name == "VANISHED") {
      if (r.name == "EXPUNGE" && idle_.exists > 0) --idle_.exists;
      ev.expunged = true;
      changed = true;
    } else if (r.name == "FETCH") {
      ev.flags_changed = true;
      changed = true;
    }
  }
  if (!changed) co_return std::optional<FolderEvent>{};
  ev.exists = idle_.exists;
  co_return std::optional<FolderEvent>{ev};
}

Task<void> ImapSession::logout() {
  logged_out_ = true;
  Connection* const commands[] = {&main_, &other_};
  for (Connection* c : commands) {
    auto guard = co_await c->mutex.lock();
    if (c->client) co_await c->client->logout();
    c->client.reset();
    c->forget();
  }
  // The IDLE connection is normally busy in an events stream's wait_for_change for up to the keep-alive interval
  // (25 s): logging out must not wait for that. That wait sends the LOGOUT itself when its IDLE ends.
  if (idle_.mutex.locked()) co_return;
  auto guard = co_await idle_.mutex.lock();
  if (idle_.client) co_await idle_.client->logout();
  idle_.client.reset();
}

}  // namespace claret::webmail
