CREATE TABLE `webhook_receipts` (
	`provider` text NOT NULL,
	`webhook_id` text NOT NULL,
	`location_id` text,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `webhook_id`)
);
--> statement-breakpoint
CREATE INDEX `webhook_receipts_by_time` ON `webhook_receipts` (`received_at`);--> statement-breakpoint
CREATE TABLE `webhook_unmatched` (
	`provider` text NOT NULL,
	`account_id` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `account_id`)
);
--> statement-breakpoint
ALTER TABLE `locations` ADD `webhooks_at` integer;--> statement-breakpoint
ALTER TABLE `locations` ADD `webhook_secret_hash` text;