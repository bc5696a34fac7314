ALTER TABLE `companies` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `contacts` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `locations` ADD `failure_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `locations` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `locations` ADD `parked_reason` text;--> statement-breakpoint
ALTER TABLE `locations` ADD `parked_until` integer;--> statement-breakpoint
ALTER TABLE `locations` ADD `parked_detail` text;--> statement-breakpoint
ALTER TABLE `notes` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `expected_total` integer;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `reconcile` text;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `reconcile_reason` text;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `progress_at` integer;--> statement-breakpoint
ALTER TABLE `tasks` ADD `deleted_at` integer;