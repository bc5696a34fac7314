CREATE TABLE `contact_list_members` (
	`list_id` text NOT NULL,
	`external_id` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`list_id`, `external_id`)
);
--> statement-breakpoint
CREATE TABLE `contact_lists` (
	`id` text PRIMARY KEY NOT NULL,
	`location_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`contact_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contact_lists_by_location` ON `contact_lists` (`location_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `import_batches` (
	`task_id` text NOT NULL,
	`batch_no` integer NOT NULL,
	`rows` integer NOT NULL,
	`task_status` text NOT NULL,
	`applied_at` integer NOT NULL,
	PRIMARY KEY(`task_id`, `batch_no`),
	CONSTRAINT "import_batches_task_running" CHECK("import_batches"."task_status" = 'running')
);
--> statement-breakpoint
CREATE TABLE `import_rejects` (
	`task_id` text NOT NULL,
	`row_no` integer NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`hint` text,
	`email` text,
	`first_name` text,
	`last_name` text,
	`name` text,
	`phone` text,
	`company` text,
	PRIMARY KEY(`task_id`, `row_no`)
);
--> statement-breakpoint
CREATE TABLE `import_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`list_id` text NOT NULL,
	`location_id` text NOT NULL,
	`mode` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`file_name` text,
	`r2_key` text NOT NULL,
	`byte_size` integer NOT NULL,
	`encoding` text NOT NULL,
	`delimiter` text NOT NULL,
	`has_header` integer NOT NULL,
	`columns` text NOT NULL,
	`total_estimate` integer NOT NULL,
	`total` integer,
	`processed` integer DEFAULT 0 NOT NULL,
	`valid` integer DEFAULT 0 NOT NULL,
	`invalid` integer DEFAULT 0 NOT NULL,
	`blacklist` integer DEFAULT 0 NOT NULL,
	`duplicate` integer DEFAULT 0 NOT NULL,
	`error` integer DEFAULT 0 NOT NULL,
	`blank_rows` integer DEFAULT 0 NOT NULL,
	`split_generation` integer DEFAULT 0 NOT NULL,
	`batches_sent` integer DEFAULT 0 NOT NULL,
	`batch_count` integer,
	`error_code` text,
	`error_message` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `import_tasks_by_list` ON `import_tasks` (`list_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `import_tasks_by_location` ON `import_tasks` (`location_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `mx_cache` (
	`domain` text PRIMARY KEY NOT NULL,
	`answer` text NOT NULL,
	`expires_at` integer NOT NULL
);
