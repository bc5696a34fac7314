-- Substring search over contacts (name, email, phone, company) through an FTS5 trigram index, so a
-- search reads the index instead of every row of the location. drizzle-kit cannot express virtual
-- tables, hence this hand-written migration. The triggers keep the index in step with contacts.
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(`search_text`, content='contacts', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
INSERT INTO `contacts_fts`(`rowid`, `search_text`) SELECT `id`, `search_text` FROM `contacts`;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(`rowid`, `search_text`) VALUES (new.`id`, new.`search_text`);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_delete` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(`contacts_fts`, `rowid`, `search_text`) VALUES ('delete', old.`id`, old.`search_text`);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_update` AFTER UPDATE OF `search_text` ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(`contacts_fts`, `rowid`, `search_text`) VALUES ('delete', old.`id`, old.`search_text`);
  INSERT INTO `contacts_fts`(`rowid`, `search_text`) VALUES (new.`id`, new.`search_text`);
END;
