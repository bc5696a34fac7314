-- HAND-WRITTEN (no schema change: drizzle-kit cannot express virtual tables or triggers).
-- Search scoped to its location. contacts.search_text now holds the lower-cased text in the
-- location's own alphabet (worker/contacts/search-key.ts): character c becomes the code point
-- 0x10000 + (c + shift) % 2^20, where shift = FNV-1a(location id) % 2^20. The trigram index then
-- has separate terms per location, and a search reads only its location's posting lists. The index
-- is rebuilt case-sensitive: the text is lower-cased before it is shifted, and case folding of the
-- shifted characters would merge distinct ones.
--
-- Cost on large tables: the backfill rewrites every contact's search_text (one recursive step per
-- character) and the 'rebuild' re-reads every row. D1 runs each statement under its own time
-- limit. Measured with sqlite3 on the dev machine: 100,000 contacts of about 45 characters took
-- 6.5 s for the two together (~15,000 contacts/s). A database with more than ~200,000 contacts
-- should first run the shift table and the UPDATE below by id ranges (append
-- `AND id BETWEEN a AND b`), one range per statement: the UPDATE converts only text whose first
-- character is below U+10000 (converted text never is), so this file then skips those rows.
-- (Plain text that starts with a supplementary character, an emoji say, is left unconverted and
-- unsearchable until the contact is next synced with a change.)
DROP TRIGGER IF EXISTS `contacts_fts_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `contacts_fts_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `contacts_fts_update`;
--> statement-breakpoint
DROP TABLE IF EXISTS `contacts_fts`;
--> statement-breakpoint
-- FNV-1a over the id's code points (SQLite has no XOR: a ^ b = (a | b) - (a & b)).
CREATE TABLE `_search_shift` AS
WITH RECURSIVE h(id, i, v) AS (
  SELECT `id`, 1, 2166136261 FROM `locations`
  UNION ALL
  SELECT id, i + 1, (((v | unicode(substr(id, i, 1))) - (v & unicode(substr(id, i, 1)))) * 16777619) % 4294967296
  FROM h WHERE i <= length(id)
)
SELECT id AS location_id, v % 1048576 AS shift FROM h WHERE i = length(id) + 1;
--> statement-breakpoint
UPDATE `contacts` SET `search_text` = (
  WITH RECURSIVE s(i, out) AS (
    SELECT 1, ''
    UNION ALL
    SELECT i + 1, out || char(65536 + (unicode(substr(`contacts`.`search_text`, i, 1)) + t.shift) % 1048576)
    FROM s, `_search_shift` t
    WHERE t.location_id = `contacts`.`location_id` AND i <= length(`contacts`.`search_text`)
  )
  SELECT out FROM s WHERE i = length(`contacts`.`search_text`) + 1
)
WHERE `search_text` <> '' AND unicode(`search_text`) < 65536;
--> statement-breakpoint
DROP TABLE `_search_shift`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(`search_text`, content='contacts', content_rowid='id', tokenize='trigram case_sensitive 1');
--> statement-breakpoint
INSERT INTO `contacts_fts`(`contacts_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(`rowid`, `search_text`) VALUES (new.`id`, new.`search_text`);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_delete` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(`contacts_fts`, `rowid`, `search_text`) VALUES ('delete', old.`id`, old.`search_text`);
END;
--> statement-breakpoint
-- Only when the text really changed (migration 0007): upserts rewrite the same text often.
CREATE TRIGGER `contacts_fts_update` AFTER UPDATE OF `search_text` ON `contacts`
WHEN old.`search_text` IS NOT new.`search_text` BEGIN
  INSERT INTO `contacts_fts`(`contacts_fts`, `rowid`, `search_text`) VALUES ('delete', old.`id`, old.`search_text`);
  INSERT INTO `contacts_fts`(`rowid`, `search_text`) VALUES (new.`id`, new.`search_text`);
END;
