CREATE TABLE "mailbox_state" (
	"mailbox" text PRIMARY KEY NOT NULL,
	"uid_validity" bigint NOT NULL,
	"last_uid" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quarantine" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"reason" text NOT NULL,
	"error" text,
	"raw_sha256" text,
	"headers" text,
	"size" integer,
	"status" text DEFAULT 'held' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "attention" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "raw_sha256" text;--> statement-breakpoint
ALTER TABLE "quarantine" ADD CONSTRAINT "quarantine_raw_sha256_blobs_sha256_fk" FOREIGN KEY ("raw_sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "quarantine_source_external_id_key" ON "quarantine" USING btree ("source","external_id");--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_raw_sha256_blobs_sha256_fk" FOREIGN KEY ("raw_sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_recipient_email_idx" ON "outbox" USING btree (lower("recipient"->>'email'),"created_at");