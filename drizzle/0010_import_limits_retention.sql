CREATE TABLE `import_dedupe_keys` (
	`task_id` text NOT NULL,
	`key` text NOT NULL,
	`first_row` integer NOT NULL,
	PRIMARY KEY(`task_id`, `key`)
);
--> statement-breakpoint
ALTER TABLE `contact_lists` ADD `deleted_at` integer;--> statement-breakpoint
CREATE INDEX `contact_lists_deleted` ON `contact_lists` (`deleted_at`) WHERE "contact_lists"."deleted_at" is not null;--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `split_offset` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `split_record` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `split_rows` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `split_blank` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `split_lease_owner` text;--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `split_lease_until` integer;--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `dedupe_keys_pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `watchdog_resumes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `original_deleted_at` integer;--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `rejects_deleted_at` integer;--> statement-breakpoint
CREATE INDEX `import_tasks_by_finished` ON `import_tasks` (`finished_at`);--> statement-breakpoint
CREATE INDEX `import_tasks_by_status` ON `import_tasks` (`status`,`updated_at`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `email_key` text;--> statement-breakpoint
CREATE INDEX `contacts_by_email_key` ON `contacts` (`location_id`,`email_key`);--> statement-breakpoint
CREATE INDEX `contacts_deleted_at` ON `contacts` (`deleted_at`) WHERE "contacts"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX `mx_cache_by_expiry` ON `mx_cache` (`expires_at`);--> statement-breakpoint
-- Hand-written from here on.
-- email_key of the contacts already stored: an imported contact's key is its external id after
-- `import:`; for synced contacts lower(trim(email)) is the key of every well-formed ASCII address.
-- (An address with a non-ASCII domain gets its exact, punycode key when a sync next writes it:
-- every full pass rewrites each contact it reads.)
UPDATE `contacts` SET `email_key` = CASE
  WHEN `external_id` LIKE 'import:%' THEN substr(`external_id`, 8)
  ELSE lower(trim(`email`))
END
WHERE `email` IS NOT NULL AND `email` LIKE '_%@_%._%';
--> statement-breakpoint
-- deleted_at follows `deleted` whoever writes it (the reconcile, upserts that revive a contact,
-- imports, tests): a writer that names the time (a tombstone's upstream or event time) keeps it;
-- one that only sets `deleted` gets now; turning `deleted` off clears it.
CREATE TRIGGER `contacts_deleted_at_insert` AFTER INSERT ON `contacts`
WHEN new.`deleted` = 1 AND new.`deleted_at` IS NULL BEGIN
  UPDATE `contacts` SET `deleted_at` = cast(unixepoch('subsec') * 1000 as integer) WHERE `id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_deleted_at_update` AFTER UPDATE OF `deleted` ON `contacts`
WHEN old.`deleted` IS NOT new.`deleted` BEGIN
  UPDATE `contacts` SET `deleted_at` = CASE WHEN new.`deleted` = 1 THEN coalesce(new.`deleted_at`, cast(unixepoch('subsec') * 1000 as integer)) END
  WHERE `id` = new.`id`;
END;
--> statement-breakpoint
-- Contacts soft-deleted before this migration count as deleted now (their TTL starts here).
UPDATE `contacts` SET `deleted_at` = cast(unixepoch('subsec') * 1000 as integer) WHERE `deleted` = 1 AND `deleted_at` IS NULL;
