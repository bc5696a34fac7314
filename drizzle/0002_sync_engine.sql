CREATE TABLE `sync_cursors` (
	`location_id` text NOT NULL,
	`kind` text NOT NULL,
	`high_water_mark` integer,
	`last_full_at` integer,
	`last_success_at` integer,
	PRIMARY KEY(`location_id`, `kind`),
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `contacts` ADD `related_synced_at` integer;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `total_estimate` integer;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `throttled` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `since` integer;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `high_water_mark` integer;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `lease_until` integer;