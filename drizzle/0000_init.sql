CREATE TABLE `companies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`location_id` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`payload` text NOT NULL,
	`date_updated` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `companies_location_external` ON `companies` (`location_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `contact_companies` (
	`location_id` text NOT NULL,
	`contact_external_id` text NOT NULL,
	`company_external_id` text NOT NULL,
	PRIMARY KEY(`location_id`, `contact_external_id`, `company_external_id`),
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contact_companies_by_company` ON `contact_companies` (`location_id`,`company_external_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`location_id` text NOT NULL,
	`external_id` text NOT NULL,
	`first_name` text,
	`last_name` text,
	`name` text DEFAULT '' NOT NULL,
	`sort_name` text DEFAULT '' NOT NULL,
	`search_text` text DEFAULT '' NOT NULL,
	`email` text,
	`phone` text,
	`company_name` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`date_added` integer NOT NULL,
	`date_updated` integer NOT NULL,
	`payload` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`synced_at` integer NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_location_external` ON `contacts` (`location_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `contacts_by_name` ON `contacts` (`location_id`,`deleted`,`sort_name`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_by_added` ON `contacts` (`location_id`,`deleted`,`date_added`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_by_updated` ON `contacts` (`location_id`,`deleted`,`date_updated`,`id`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`location_id` text NOT NULL,
	`external_id` text NOT NULL,
	`contact_external_id` text,
	`payload` text NOT NULL,
	`date_updated` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_location_external` ON `conversations` (`location_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `conversations_by_contact` ON `conversations` (`location_id`,`contact_external_id`);--> statement-breakpoint
CREATE TABLE `locations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`provider` text NOT NULL,
	`account_id` text NOT NULL,
	`base_url` text,
	`credentials_enc` text,
	`settings` text DEFAULT '{}' NOT NULL,
	`last_synced_at` integer,
	`data_version` integer DEFAULT 0 NOT NULL,
	`contact_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`location_id` text NOT NULL,
	`external_id` text NOT NULL,
	`contact_external_id` text,
	`payload` text NOT NULL,
	`date_updated` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notes_location_external` ON `notes` (`location_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `notes_by_contact` ON `notes` (`location_id`,`contact_external_id`);--> statement-breakpoint
CREATE TABLE `opportunities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`location_id` text NOT NULL,
	`external_id` text NOT NULL,
	`contact_external_id` text,
	`payload` text NOT NULL,
	`date_updated` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `opportunities_location_external` ON `opportunities` (`location_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `opportunities_by_contact` ON `opportunities` (`location_id`,`contact_external_id`);--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`location_id` text NOT NULL,
	`kind` text NOT NULL,
	`mode` text DEFAULT 'full' NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`trigger` text DEFAULT 'api' NOT NULL,
	`cursor` text,
	`pages_done` integer DEFAULT 0 NOT NULL,
	`continuation_sent` integer DEFAULT false NOT NULL,
	`entities_seen` integer DEFAULT 0 NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`error_code` text,
	`error_message` text,
	`metrics` text,
	`queued_at` integer NOT NULL,
	`started_at` integer,
	`heartbeat_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_runs_active` ON `sync_runs` (`location_id`,`kind`) WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX `sync_runs_by_location` ON `sync_runs` (`location_id`,`kind`,`queued_at`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`location_id` text NOT NULL,
	`external_id` text NOT NULL,
	`contact_external_id` text,
	`payload` text NOT NULL,
	`date_updated` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_location_external` ON `tasks` (`location_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `tasks_by_contact` ON `tasks` (`location_id`,`contact_external_id`);