CREATE TABLE "installation" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- One row, made once: a new database gets a new id, a restored one keeps the id it had.
INSERT INTO "installation" ("id") VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 12));
