// Store conformance fixture and directory/mailbox tests (DESIGN.md §3, §8; RFC 9051 §6.3 mailbox commands).
#include "store/testing/store_conformance.hpp"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "store/errc.hpp"

namespace claret::store::testing {

std::string backend_name(const ::testing::TestParamInfo<BackendFactory>& info) { return info.param.name; }

void StoreConformance::SetUp() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "claret-store-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  dir_ = tmpl;
  auto s = GetParam().open(dir_);
  ASSERT_TRUE(s.ok()) << s.error().message;
  store_ = std::move(*s);
  ASSERT_TRUE(store_->directory().add_domain("example.com").ok());
}

void StoreConformance::TearDown() {
  store_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

AccountId StoreConformance::make_account(const std::string& local, uint64_t quota) {
  auto a = store_->directory().create_account(NewAccount{local + "@example.com", "{ARGON2ID}x", "scram-x", quota});
  EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
  return a.ok() ? a->id : 0;
}

std::unique_ptr<MailStore> StoreConformance::mail(AccountId account) {
  auto m = store_->mail(account);
  EXPECT_TRUE(m.ok());
  return m.ok() ? std::move(*m) : nullptr;
}

MailboxInfo StoreConformance::mailbox(MailStore& m, const std::string& name) {
  auto b = m.get_mailbox(name);
  EXPECT_TRUE(b.ok()) << name;
  return b.ok() ? *b : MailboxInfo{};
}

AppendResult StoreConformance::append_text(MailStore& m, MailboxId box, const std::string& body, Flags flags,
                                           int64_t internaldate, MessageMeta meta) {
  auto blob = store_->blobs().put(body);
  EXPECT_TRUE(blob.ok());
  if (meta.search_text.empty()) meta.search_text = body;
  auto r = m.append(box, *blob, flags, internaldate, meta);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : AppendResult{};
}

TEST_P(StoreConformance, NewAccountHasDefaultMailboxes) {
  auto m = mail(make_account("alice"));
  auto list = m->list_mailboxes();
  ASSERT_TRUE(list.ok());
  std::map<std::string, MailboxInfo> by_name;
  for (const auto& b : *list) by_name[b.name] = b;
  ASSERT_EQ(by_name.size(), 6u);
  EXPECT_EQ(by_name["INBOX"].special_use, "");
  EXPECT_EQ(by_name["Drafts"].special_use, "\\Drafts");
  EXPECT_EQ(by_name["Sent"].special_use, "\\Sent");
  EXPECT_EQ(by_name["Trash"].special_use, "\\Trash");
  EXPECT_EQ(by_name["Junk"].special_use, "\\Junk");
  EXPECT_EQ(by_name["Archive"].special_use, "\\Archive");
  std::set<uint32_t> validities;
  for (const auto& [name, b] : by_name) {
    EXPECT_TRUE(b.subscribed) << name;
    EXPECT_EQ(b.uidnext, 1u);
    EXPECT_NE(b.uidvalidity, 0u);
    validities.insert(b.uidvalidity);
  }
  EXPECT_EQ(validities.size(), 6u);
  EXPECT_EQ(mailbox(*m, "inbox").name, "INBOX");
}

TEST_P(StoreConformance, DomainsAndAccounts) {
  Directory& d = store_->directory();
  auto dup = d.add_domain("EXAMPLE.com");
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(has(dup.error(), Errc::exists));
  EXPECT_TRUE(has(d.add_domain("bad_domain").error(), Errc::invalid));
  ASSERT_TRUE(d.add_domain("other.org").ok());
  EXPECT_EQ(*d.list_domains(), (std::vector<std::string>{"example.com", "other.org"}));

  auto missing = d.create_account(NewAccount{"x@nowhere.net", "h", "s", 0});
  EXPECT_TRUE(has(missing.error(), Errc::not_found));
  EXPECT_TRUE(has(d.create_account(NewAccount{"bad address", "h", "s", 0}).error(), Errc::invalid));

  auto bob = d.create_account(NewAccount{"Bob@Example.com", "hash1", "scram1", 1000});
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->address, "Bob@example.com");
  EXPECT_TRUE(has(d.create_account(NewAccount{"bob@example.com", "h", "s", 0}).error(), Errc::exists));

  auto got = d.get_account("BOB@EXAMPLE.COM");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, bob->id);
  EXPECT_EQ(got->password_hash, "hash1");
  EXPECT_EQ(got->scram, "scram1");
  EXPECT_EQ(got->quota, 1000u);
  EXPECT_EQ(d.get_account(bob->id)->address, "Bob@example.com");

  ASSERT_TRUE(d.set_password("bob@example.com", "hash2", "scram2").ok());
  ASSERT_TRUE(d.set_quota("bob@example.com", 5000).ok());
  got = d.get_account("bob@example.com");
  EXPECT_EQ(got->password_hash, "hash2");
  EXPECT_EQ(got->scram, "scram2");
  EXPECT_EQ(got->quota, 5000u);
  EXPECT_EQ(*d.usage("bob@example.com"), 0u);
  EXPECT_TRUE(has(d.set_quota("nobody@example.com", 1).error(), Errc::not_found));

  ASSERT_TRUE(d.create_account(NewAccount{"carol@other.org", "h", "s", 0}).ok());
  EXPECT_EQ(d.list_accounts(std::nullopt)->size(), 2u);
  auto in_other = d.list_accounts(std::string_view("other.org"));
  ASSERT_EQ(in_other->size(), 1u);
  EXPECT_EQ((*in_other)[0].address, "carol@other.org");

  auto refused = d.remove_domain("other.org");
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(has(refused.error(), Errc::conflict));
  ASSERT_TRUE(d.remove_account("carol@other.org").ok());
  EXPECT_TRUE(has(d.get_account("carol@other.org").error(), Errc::not_found));
  ASSERT_TRUE(d.remove_domain("other.org").ok());
  EXPECT_TRUE(has(d.remove_domain("other.org").error(), Errc::not_found));
}

TEST_P(StoreConformance, ResolveRecipient) {
  Directory& d = store_->directory();
  AccountId alice = make_account("alice");
  AccountId bob = make_account("bob");
  AccountId bplus = make_account("bob+special");
  ASSERT_TRUE(d.set_alias(Alias{"team@example.com", {"alice@example.com", "bob@example.com"}}).ok());
  ASSERT_TRUE(d.set_alias(Alias{"postmaster@Example.com", {"alice+admin@example.com"}}).ok());
  ASSERT_TRUE(d.set_alias(Alias{"loop@example.com", {"team@example.com"}}).ok());
  ASSERT_TRUE(d.add_domain("catch.net").ok());
  ASSERT_TRUE(d.set_alias(Alias{"@catch.net", {"bob@example.com"}}).ok());
  EXPECT_TRUE(has(d.set_alias(Alias{"x@example.com", {}}).error(), Errc::invalid));
  EXPECT_TRUE(has(d.set_alias(Alias{"x@unknown.net", {"bob@example.com"}}).error(), Errc::not_found));

  using Ids = std::vector<AccountId>;
  EXPECT_EQ(*d.resolve_recipient("alice@example.com"), Ids{alice});
  EXPECT_EQ(*d.resolve_recipient("ALICE@EXAMPLE.COM"), Ids{alice});
  auto team = *d.resolve_recipient("Team@example.com");
  std::sort(team.begin(), team.end());
  EXPECT_EQ(team, (Ids{alice, bob}));
  EXPECT_EQ(*d.resolve_recipient("postmaster@example.com"), Ids{alice});  // target's +tag stripped
  EXPECT_EQ(*d.resolve_recipient("alice+news@example.com"), Ids{alice});
  EXPECT_EQ(*d.resolve_recipient("bob+special@example.com"), Ids{bplus});  // exact account wins over stripping
  auto tagged = *d.resolve_recipient("team+x@example.com");  // alias found after stripping the tag
  std::sort(tagged.begin(), tagged.end());
  EXPECT_EQ(tagged, team);
  EXPECT_EQ(*d.resolve_recipient("anyone@catch.net"), Ids{bob});
  // Aliases never chain: loop@ points at an alias, which is not an account.
  EXPECT_TRUE(has(d.resolve_recipient("loop@example.com").error(), Errc::not_found));
  EXPECT_TRUE(has(d.resolve_recipient("nobody@example.com").error(), Errc::not_found));
  EXPECT_TRUE(has(d.resolve_recipient("alice@unknown.org").error(), Errc::not_found));
  EXPECT_TRUE(has(d.resolve_recipient("not an address").error(), Errc::invalid));

  // The catch-all comes last: an exact account in the same domain still wins.
  ASSERT_TRUE(d.set_alias(Alias{"@example.com", {"bob@example.com"}}).ok());
  EXPECT_EQ(*d.resolve_recipient("alice@example.com"), Ids{alice});
  EXPECT_EQ(*d.resolve_recipient("nobody@example.com"), Ids{bob});

  auto aliases = d.list_aliases(std::string_view("example.com"));
  ASSERT_TRUE(aliases.ok());
  EXPECT_EQ(aliases->size(), 4u);
  ASSERT_TRUE(d.remove_alias("@example.com").ok());
  EXPECT_TRUE(has(d.remove_alias("@example.com").error(), Errc::not_found));
  EXPECT_TRUE(has(d.resolve_recipient("nobody@example.com").error(), Errc::not_found));
}

// RCPT's one-snapshot lookup answers as list_domains + resolve_recipient + get_account would.
TEST_P(StoreConformance, LookupRecipient) {
  Directory& d = store_->directory();
  AccountId alice = make_account("alice");
  AccountId bob = make_account("bob");
  ASSERT_TRUE(d.set_alias(Alias{"team@example.com", {"alice@example.com", "bob@example.com"}}).ok());
  ASSERT_TRUE(d.set_quota("bob@example.com", 1234).ok());

  auto remote = d.lookup_recipient("elsewhere.org", "alice@elsewhere.org");
  ASSERT_TRUE(remote.ok());
  EXPECT_FALSE(remote->local_domain);
  EXPECT_FALSE(remote->unresolved);
  EXPECT_TRUE(remote->accounts.empty());

  auto one = d.lookup_recipient("example.com", "Alice+tag@example.com");
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(one->local_domain);
  ASSERT_FALSE(one->unresolved);
  ASSERT_EQ(one->accounts.size(), 1u);
  EXPECT_EQ(one->accounts[0].id, alice);
  EXPECT_EQ(one->accounts[0].address, "alice@example.com");

  auto team = d.lookup_recipient("example.com", "team@example.com");
  ASSERT_TRUE(team.ok());
  ASSERT_EQ(team->accounts.size(), 2u);
  for (const Account& a : team->accounts) {
    if (a.id == bob) EXPECT_EQ(a.quota, 1234u);
    else EXPECT_EQ(a.id, alice);
  }

  auto nobody = d.lookup_recipient("example.com", "nobody@example.com");
  ASSERT_TRUE(nobody.ok());
  EXPECT_TRUE(nobody->local_domain);
  ASSERT_TRUE(nobody->unresolved.has_value());
  EXPECT_EQ(nobody->unresolved->code, static_cast<int>(Errc::not_found));
  EXPECT_TRUE(nobody->accounts.empty());
}

TEST_P(StoreConformance, MailboxCreateRenameDelete) {
  auto m = mail(make_account("alice"));
  auto created = m->create_mailbox("Projects/2024/Q1", "");
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(m->get_mailbox("Projects").ok());  // parents created
  EXPECT_TRUE(m->get_mailbox("Projects/2024").ok());
  EXPECT_TRUE(has(m->create_mailbox("Projects/2024/Q1", "").error(), Errc::exists));
  EXPECT_TRUE(has(m->create_mailbox("Bad//Name", "").error(), Errc::invalid));
  EXPECT_TRUE(has(m->create_mailbox("X", "\\Bogus").error(), Errc::invalid));
  ASSERT_TRUE(m->create_mailbox("Projects2", "").ok());
  ASSERT_TRUE(m->create_mailbox("Everything", "\\All").ok());
  EXPECT_EQ(mailbox(*m, "Everything").special_use, "\\All");
  append_text(*m, created->id, "in Q1");

  auto renamed = m->rename_mailbox("Projects", "Work/Old");
  ASSERT_TRUE(renamed.ok()) << renamed.error().message;
  EXPECT_TRUE(has(m->get_mailbox("Projects").error(), Errc::not_found));
  EXPECT_TRUE(m->get_mailbox("Projects2").ok());  // a sibling with a common prefix is not a child
  MailboxInfo q1 = mailbox(*m, "Work/Old/2024/Q1");
  EXPECT_EQ(q1.id, created->id);
  EXPECT_EQ(q1.uidvalidity, created->uidvalidity);
  EXPECT_EQ(m->status(q1.id)->messages, 1u);
  EXPECT_TRUE(m->get_mailbox("Work").ok());
  EXPECT_TRUE(has(m->rename_mailbox("Work/Old", "Projects2").error(), Errc::exists));
  EXPECT_TRUE(has(m->rename_mailbox("Work", "Work/Sub").error(), Errc::invalid));
  EXPECT_TRUE(has(m->rename_mailbox("Nope", "Other").error(), Errc::not_found));

  EXPECT_TRUE(has(m->delete_mailbox("INBOX").error(), Errc::invalid));
  // Deleting a mailbox with children empties it and keeps the name as \Noselect.
  MailboxInfo old_box = mailbox(*m, "Work/Old");
  append_text(*m, old_box.id, "doomed");
  ASSERT_TRUE(m->delete_mailbox("Work/Old").ok());
  MailboxInfo noselect = mailbox(*m, "Work/Old");
  EXPECT_TRUE(noselect.noselect);
  EXPECT_EQ(m->status(noselect.id)->messages, 0u);
  EXPECT_EQ(*m->list_uids(noselect.id), std::vector<uint32_t>{});
  auto blob = store_->blobs().put("into noselect");
  EXPECT_TRUE(has(m->append(noselect.id, *blob, {}, 0, {}).error(), Errc::invalid));
  EXPECT_TRUE(has(m->copy(q1.id, UidSet::all(), noselect.id).error(), Errc::invalid));
  EXPECT_TRUE(has(m->delete_mailbox("Work/Old").error(), Errc::conflict));
  auto reselectable = m->create_mailbox("Work/Old", "");
  ASSERT_TRUE(reselectable.ok());
  EXPECT_FALSE(reselectable->noselect);
  EXPECT_NE(reselectable->uidvalidity, noselect.uidvalidity);
  ASSERT_TRUE(m->delete_mailbox("Work/Old/2024/Q1").ok());
  EXPECT_TRUE(has(m->delete_mailbox("Work/Old/2024/Q1").error(), Errc::not_found));
  // A re-created mailbox gets a new UIDVALIDITY (RFC 9051 §2.3.1.1).
  auto again = m->create_mailbox("Work/Old/2024/Q1", "");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->uidvalidity, created->uidvalidity);
  EXPECT_EQ(m->status(again->id)->messages, 0u);

  // Renaming INBOX moves its messages to the new mailbox; INBOX stays, empty, with its UIDVALIDITY.
  MailboxInfo inbox = mailbox(*m, "INBOX");
  append_text(*m, inbox.id, "first");
  append_text(*m, inbox.id, "second");
  auto inbox_renamed = m->rename_mailbox("inbox", "INBOX/Old");
  ASSERT_TRUE(inbox_renamed.ok()) << inbox_renamed.error().message;
  MailboxInfo old = mailbox(*m, "INBOX/Old");
  EXPECT_EQ(m->status(old.id)->messages, 2u);
  EXPECT_EQ(m->status(inbox.id)->messages, 0u);
  EXPECT_EQ(mailbox(*m, "INBOX").uidvalidity, inbox.uidvalidity);
  EXPECT_EQ(append_text(*m, inbox.id, "third").uid, 3u);

  ASSERT_TRUE(m->set_subscribed("Work", true).ok());
  EXPECT_TRUE(mailbox(*m, "Work").subscribed);
  ASSERT_TRUE(m->set_subscribed("Work", false).ok());
  EXPECT_FALSE(mailbox(*m, "Work").subscribed);
  EXPECT_TRUE(has(m->set_subscribed("Nope", true).error(), Errc::not_found));
}

}  // namespace claret::store::testing
