// Schema migrations (DESIGN.md §3 tables; SQLite FTS5 external-content index, https://sqlite.org/fts5.html §4.4.3).
#include "store/sqlite/migrations.hpp"

#include <iterator>
#include <string>

namespace claret::store::sqlite {
namespace {

// Migration N+1 is kMigrations[N]. Never edit a released entry: append a new one.
//
// Reference counts, account usage and mailbox counters are maintained by triggers on `messages`, so every path that adds or removes
// a message (append, copy, move, expunge, mailbox or account deletion through ON DELETE CASCADE) keeps them right.
// A blob row whose count reaches 0 is deleted by the writer before commit and its file unlinked after commit.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('last_uidvalidity', 0), ('last_thread_id', 0);

CREATE TABLE domains(
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE accounts(
  id            INTEGER PRIMARY KEY,
  domain_id     INTEGER NOT NULL REFERENCES domains(id),
  local         TEXT NOT NULL,
  local_key     TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  scram         TEXT NOT NULL,
  quota         INTEGER NOT NULL DEFAULT 0,
  usage         INTEGER NOT NULL DEFAULT 0,
  UNIQUE(domain_id, local_key)
);

CREATE TABLE aliases(
  id        INTEGER PRIMARY KEY,
  domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  local     TEXT NOT NULL,
  local_key TEXT NOT NULL,
  UNIQUE(domain_id, local_key)
);

CREATE TABLE alias_targets(
  alias_id INTEGER NOT NULL REFERENCES aliases(id) ON DELETE CASCADE,
  address  TEXT NOT NULL,
  PRIMARY KEY(alias_id, address)
) WITHOUT ROWID;

CREATE TABLE mailboxes(
  id            INTEGER PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  uidvalidity   INTEGER NOT NULL,
  uidnext       INTEGER NOT NULL DEFAULT 1,
  highestmodseq INTEGER NOT NULL DEFAULT 1,
  special_use   TEXT NOT NULL DEFAULT '',
  subscribed    INTEGER NOT NULL DEFAULT 0,
  noselect      INTEGER NOT NULL DEFAULT 0,
  total         INTEGER NOT NULL DEFAULT 0,  -- STATUS MESSAGES, SIZE, UNSEEN without scanning messages
  total_size    INTEGER NOT NULL DEFAULT 0,
  unseen        INTEGER NOT NULL DEFAULT 0,
  UNIQUE(account_id, name)
);

CREATE TABLE blobs(
  id       TEXT PRIMARY KEY,
  size     INTEGER NOT NULL,
  refcount INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE messages(
  id              INTEGER PRIMARY KEY,
  mailbox_id      INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  account_id      INTEGER NOT NULL,
  uid             INTEGER NOT NULL,
  modseq          INTEGER NOT NULL,
  blob_id         TEXT NOT NULL,
  size            INTEGER NOT NULL,
  internaldate    INTEGER NOT NULL,
  flags           INTEGER NOT NULL,
  keywords        TEXT NOT NULL,
  thread_id       INTEGER NOT NULL,
  sent_date       INTEGER NOT NULL,
  has_attachments INTEGER NOT NULL,
  envelope        TEXT NOT NULL,
  body_structure  TEXT NOT NULL,
  body            TEXT NOT NULL,
  part_map        BLOB NOT NULL,
  preview         TEXT NOT NULL,
  search_text     TEXT NOT NULL,
  subject         TEXT NOT NULL,
  from_addr       TEXT NOT NULL,
  from_name       TEXT NOT NULL,
  to_addr         TEXT NOT NULL,
  cc_addr         TEXT NOT NULL,
  message_id      TEXT NOT NULL,
  in_reply_to     TEXT NOT NULL,
  refs            TEXT NOT NULL,
  UNIQUE(mailbox_id, uid)
);
CREATE INDEX messages_by_modseq ON messages(mailbox_id, modseq);
CREATE INDEX messages_by_message_id ON messages(account_id, message_id);
CREATE INDEX messages_by_blob ON messages(blob_id);

CREATE TABLE expunged(
  mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  uid        INTEGER NOT NULL,
  modseq     INTEGER NOT NULL,
  PRIMARY KEY(mailbox_id, uid)
) WITHOUT ROWID;
CREATE INDEX expunged_by_modseq ON expunged(mailbox_id, modseq);

CREATE VIRTUAL TABLE message_text USING fts5(
  search_text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
  INSERT INTO blobs(id, size, refcount) VALUES (new.blob_id, new.size, 1)
    ON CONFLICT(id) DO UPDATE SET refcount = refcount + 1;
  UPDATE accounts SET usage = usage + new.size WHERE id = new.account_id;
  UPDATE mailboxes SET total = total + 1, total_size = total_size + new.size,
    unseen = unseen + ((new.flags & 1) = 0) WHERE id = new.mailbox_id;
  INSERT INTO message_text(rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER messages_au_seen AFTER UPDATE OF flags ON messages WHEN (old.flags & 1) != (new.flags & 1) BEGIN
  UPDATE mailboxes SET unseen = unseen + ((new.flags & 1) = 0) - ((old.flags & 1) = 0) WHERE id = new.mailbox_id;
END;

CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
  UPDATE blobs SET refcount = refcount - 1 WHERE id = old.blob_id;
  UPDATE accounts SET usage = usage - old.size WHERE id = old.account_id;
  UPDATE mailboxes SET total = total - 1, total_size = total_size - old.size,
    unseen = unseen - ((old.flags & 1) = 0) WHERE id = old.mailbox_id;
  INSERT INTO message_text(message_text, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
)sql",
    // 2: the outbound queue. A queue entry holds one reference on its blob, like a message row, so the bytes
    // survive until the last recipient is done; the row count going to 0 is collected by the store's writer.
    R"sql(
CREATE TABLE queue_entries(
  id           INTEGER PRIMARY KEY,
  blob_id      TEXT NOT NULL,
  size         INTEGER NOT NULL,
  sender       TEXT NOT NULL,
  ret          TEXT NOT NULL,
  envid        TEXT NOT NULL,
  eight_bit    INTEGER NOT NULL,
  smtputf8     INTEGER NOT NULL,
  arrival      INTEGER NOT NULL,
  next_attempt INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  hold         INTEGER NOT NULL DEFAULT 0,
  delay_warned INTEGER NOT NULL DEFAULT 0,
  lease_until  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX queue_entries_due ON queue_entries(hold, next_attempt);

CREATE TABLE queue_recipients(
  id         INTEGER PRIMARY KEY,
  entry_id   INTEGER NOT NULL REFERENCES queue_entries(id) ON DELETE CASCADE,
  address    TEXT NOT NULL,
  notify     INTEGER NOT NULL,
  orcpt      TEXT NOT NULL,
  state      INTEGER NOT NULL DEFAULT 0,
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_reply TEXT NOT NULL DEFAULT ''
);
CREATE INDEX queue_recipients_by_entry ON queue_recipients(entry_id);

CREATE TRIGGER queue_entries_ai AFTER INSERT ON queue_entries BEGIN
  INSERT INTO blobs(id, size, refcount) VALUES (new.blob_id, new.size, 1)
    ON CONFLICT(id) DO UPDATE SET refcount = refcount + 1;
END;

CREATE TRIGGER queue_entries_ad AFTER DELETE ON queue_entries BEGIN
  UPDATE blobs SET refcount = refcount - 1 WHERE id = old.blob_id;
END;
)sql",
    // 3: small blobs live in the database, written in the transaction that first references them (one WAL fsync
    // instead of a file, its fsync and its directory's). A rowid table: large values in a WITHOUT ROWID table
    // would bloat its b-tree pages. The bytes go when the blob's last reference does.
    R"sql(
CREATE TABLE blob_data(
  id   TEXT PRIMARY KEY,
  data BLOB NOT NULL
);

CREATE TRIGGER blobs_ad AFTER DELETE ON blobs BEGIN
  DELETE FROM blob_data WHERE id = old.id;
END;
)sql",
    // 4: full-text indexing leaves the delivery transaction. FTS5 costs about 0.6 ms per message when each group
    // commit indexes its own few messages (a new segment and merges per commit) and 0.1-0.2 ms when hundreds are
    // indexed together, and it doubled the single writer's time per delivery. New rows are queued in fts_pending
    // and indexed in bulk by the writer when it is idle (or every few batches under load), and before any text
    // search of their mailbox (as Dovecot's fts indexer does). Deleting a row that is still pending must not send
    // an FTS5 'delete' for it: that would corrupt the index.
    R"sql(
CREATE TABLE fts_pending(id INTEGER PRIMARY KEY);

DROP TRIGGER messages_ai;
CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
  INSERT INTO blobs(id, size, refcount) VALUES (new.blob_id, new.size, 1)
    ON CONFLICT(id) DO UPDATE SET refcount = refcount + 1;
  UPDATE accounts SET usage = usage + new.size WHERE id = new.account_id;
  UPDATE mailboxes SET total = total + 1, total_size = total_size + new.size,
    unseen = unseen + ((new.flags & 1) = 0) WHERE id = new.mailbox_id;
  INSERT INTO fts_pending(id) VALUES (new.id);
END;

DROP TRIGGER messages_ad;
CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
  UPDATE blobs SET refcount = refcount - 1 WHERE id = old.blob_id;
  UPDATE accounts SET usage = usage - old.size WHERE id = old.account_id;
  UPDATE mailboxes SET total = total - 1, total_size = total_size - old.size,
    unseen = unseen - ((old.flags & 1) = 0) WHERE id = old.mailbox_id;
  INSERT INTO message_text(message_text, rowid, search_text)
    SELECT 'delete', old.id, old.search_text WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE id = old.id);
  DELETE FROM fts_pending WHERE id = old.id;
END;
)sql",
    // 5: IMAP SAVEDATE (RFC 8514): when the message was saved in its current mailbox; messages stored before
    // this migration take their internal date (for deliveries, the moment they were saved). IMAP \Recent
    // (RFC 3501 §2.3.2): messages with uid >= recent_uid have not been announced to any session yet; the first
    // session that selects the mailbox read-write claims them (MailStore::claim_recent). 1: after the upgrade
    // every message counts as recent once, as RFC 3501 asks when it cannot be determined.
    R"sql(
ALTER TABLE messages ADD COLUMN savedate INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET savedate = internaldate;
ALTER TABLE mailboxes ADD COLUMN recent_uid INTEGER NOT NULL DEFAULT 1;
)sql",
    // 6: every write batch ends with "DELETE FROM blobs WHERE refcount <= 0" (the blobs whose last reference went
    // in that batch): without an index that scanned the whole blobs table per batch, a cost growing with the store
    // on every delivery. A partial index holds only the released rows, so it is empty between batches.
    R"sql(
CREATE INDEX blobs_released ON blobs(refcount) WHERE refcount <= 0;
)sql",
    // 7: the flag listings read narrow indexes, never the message rows. A row is about 5 KB (envelope, body
    // structure, part map, preview, search text), so FETCH 1:* (UID FLAGS) of 100,000 messages read hundreds of MB
    // of pages through the (mailbox_id, uid) index; messages_flags carries what FETCH UID/FLAGS/MODSEQ, SELECT's
    // UID list and [UNSEEN n] need (MailStore::fetch_flags, list_uids, first_unseen), and messages_by_modseq gains
    // the same columns so CONDSTORE/QRESYNC changes_since is covered too. It costs one more index entry per
    // delivery (at the right end of the mailbox's range: UIDs ascend); the UNIQUE(mailbox_id, uid) index stays, as
    // it enforces UID uniqueness and dropping it would mean rebuilding the messages table.
    R"sql(
CREATE INDEX messages_flags ON messages(mailbox_id, uid, modseq, flags, keywords);
DROP INDEX messages_by_modseq;
CREATE INDEX messages_by_modseq ON messages(mailbox_id, modseq, uid, flags, keywords);
)sql",
    // 8: messages_by_blob goes. No query on the serving path looks messages up by blob (reference counts live in
    // `blobs`, kept by triggers); only `claret fsck --repair` counted references per blob through it, and it now
    // counts them in one grouped pass (fsck_repair.cpp). Keyed by a SHA-256, its entries land on random leaf pages:
    // once the store holds a few thousand messages every delivery dirtied a page of its own there, about 1.2 of the
    // ~11 WAL frames a 6 KB delivery writes (docs/benchmarks.md, SMTP section of 2026-12-07 16:50). IF EXISTS: a
    // database made by hand at an older version number may lack it.
    R"sql(
DROP INDEX IF EXISTS messages_by_blob;
)sql",
    // 9: the search text (≈ 5 KB a message: the decoded text parts) leaves the message row for its own table,
    // message_texts, keyed by the message's id; the FTS5 index reads its content there. With the text inside, a
    // row was ≈ 6 KB on 4 KB pages, so every metadata read (FETCH ENVELOPE, SEARCH SUBJECT, the columns after the
    // text) followed overflow-page chains with a pread per page: at 50 concurrent IMAP clients half the server's
    // CPU was fetch_meta reading pages it did not need (docs/benchmarks.md, IMAP mixed of 2026-12-07 22:10). Now a
    // row is ≈ 1 KB and lives on its leaf page. The FTS5 table is re-created over the new content table and rebuilt
    // (re-tokenizes every message once: the upgrade takes longer on a big store), which indexes every message, so
    // nothing stays pending.
    R"sql(
DROP TRIGGER messages_ad;
CREATE TABLE message_texts(id INTEGER PRIMARY KEY, search_text TEXT NOT NULL);
INSERT INTO message_texts(id, search_text) SELECT id, search_text FROM messages;
DROP TABLE message_text;
CREATE VIRTUAL TABLE message_text USING fts5(
  search_text, content='message_texts', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
INSERT INTO message_text(message_text) VALUES ('rebuild');
DELETE FROM fts_pending;
ALTER TABLE messages DROP COLUMN search_text;
CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
  UPDATE blobs SET refcount = refcount - 1 WHERE id = old.blob_id;
  UPDATE accounts SET usage = usage - old.size WHERE id = old.account_id;
  UPDATE mailboxes SET total = total - 1, total_size = total_size - old.size,
    unseen = unseen - ((old.flags & 1) = 0) WHERE id = old.mailbox_id;
  INSERT INTO message_text(message_text, rowid, search_text)
    SELECT 'delete', old.id, t.search_text FROM message_texts t
    WHERE t.id = old.id AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE id = old.id);
  DELETE FROM message_texts WHERE id = old.id;
  DELETE FROM fts_pending WHERE id = old.id;
END;
)sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(std::size(kMigrations)); }

void migrate(Connection& db) {
  db.exec("BEGIN IMMEDIATE");
  try {
    int current = static_cast<int>(db.scalar(0, "PRAGMA user_version"));
    if (current > latest_schema_version())
      throw SqlError(0, "database schema version " + std::to_string(current) + " is newer than this binary");
    for (int v = current; v < latest_schema_version(); ++v) db.exec(kMigrations[v]);
    if (current != latest_schema_version())
      db.exec("PRAGMA user_version=" + std::to_string(latest_schema_version()));
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
}

}  // namespace claret::store::sqlite
