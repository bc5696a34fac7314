CREATE TABLE `sso_confirmations` (
	`location_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`type` text NOT NULL,
	`confirmed_at` integer NOT NULL,
	PRIMARY KEY(`location_id`, `user_id`),
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `token_revocations` (
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`revoked_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`reason` text,
	PRIMARY KEY(`kind`, `value`)
);
--> statement-breakpoint
CREATE INDEX `token_revocations_by_expiry` ON `token_revocations` (`expires_at`);--> statement-breakpoint
ALTER TABLE `import_tasks` ADD `created_by` text;--> statement-breakpoint
ALTER TABLE `locations` ADD `company_id` text;