// Tests of schema upgrades build an older database from a current one: this SQL turns a current (schema 9) store
// back into schema 8's layout for the search text (in messages.search_text, FTS5 content='messages', the old
// delete trigger), so migration 9 has something to move. The column lands last instead of before `subject`: no
// query names columns by position.
#pragma once

namespace claret::store::sqlite::testing {

inline constexpr const char* kSchema9To8 = R"sql(
DROP TRIGGER messages_ad;
ALTER TABLE messages ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE messages SET search_text = coalesce((SELECT t.search_text FROM message_texts t WHERE t.id = messages.id), '');
DROP TABLE message_text;
CREATE VIRTUAL TABLE message_text USING fts5(
  search_text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
INSERT INTO message_text(message_text) VALUES ('rebuild');
DELETE FROM fts_pending;
DROP TABLE message_texts;
CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
  UPDATE blobs SET refcount = refcount - 1 WHERE id = old.blob_id;
  UPDATE accounts SET usage = usage - old.size WHERE id = old.account_id;
  UPDATE mailboxes SET total = total - 1, total_size = total_size - old.size,
    unseen = unseen - ((old.flags & 1) = 0) WHERE id = old.mailbox_id;
  INSERT INTO message_text(message_text, rowid, search_text)
    SELECT 'delete', old.id, old.search_text WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE id = old.id);
  DELETE FROM fts_pending WHERE id = old.id;
END;
PRAGMA user_version=8;
)sql";

}  // namespace claret::store::sqlite::testing
