CREATE TABLE `oauth_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`company_id` text NOT NULL,
	`credentials_enc` text,
	`state` text DEFAULT 'connected' NOT NULL,
	`token_expires_at` integer,
	`token_refreshed_at` integer,
	`token_error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `locations` ADD `token_expires_at` integer;--> statement-breakpoint
ALTER TABLE `locations` ADD `token_refreshed_at` integer;--> statement-breakpoint
ALTER TABLE `locations` ADD `token_error` text;--> statement-breakpoint
ALTER TABLE `locations` ADD `grant_id` text;--> statement-breakpoint
ALTER TABLE `locations` ADD `disabled_at` integer;