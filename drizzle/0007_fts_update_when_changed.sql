-- Upserts rewrite search_text even when it is unchanged (a full reconcile, an incremental page that
-- overlaps the last one, a redelivered page), and `AFTER UPDATE OF search_text` fires for any
-- UPDATE that sets the column. The index then deleted and re-added every trigram of the contact
-- for nothing. The trigger now fires only when the text really changed.
DROP TRIGGER `contacts_fts_update`;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_update` AFTER UPDATE OF `search_text` ON `contacts`
WHEN old.`search_text` IS NOT new.`search_text` BEGIN
  INSERT INTO `contacts_fts`(`contacts_fts`, `rowid`, `search_text`) VALUES ('delete', old.`id`, old.`search_text`);
  INSERT INTO `contacts_fts`(`rowid`, `search_text`) VALUES (new.`id`, new.`search_text`);
END;
