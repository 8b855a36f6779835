CREATE TABLE "conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"state" text DEFAULT 'new' NOT NULL,
	"closed_reason" text,
	"topic" text,
	"locale" text DEFAULT 'nl' NOT NULL,
	"visitor" jsonb NOT NULL,
	"transcript" boolean DEFAULT false NOT NULL,
	"agent" text,
	"case_id" bigint,
	"waiting_since" timestamp with time zone,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "meta" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_token_hash_key" ON "conversations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "conversations_waiting_idx" ON "conversations" USING btree ("waiting_since") WHERE "conversations"."state" = 'waiting';--> statement-breakpoint
CREATE INDEX "conversations_open_activity_idx" ON "conversations" USING btree ("last_activity_at") WHERE "conversations"."state" <> 'closed';--> statement-breakpoint
CREATE INDEX "messages_conversation_idx" ON "messages" USING btree (("thread"->>'conversationId')) WHERE "messages"."channel" = 'chat';--> statement-breakpoint
CREATE INDEX "outbox_conversation_idx" ON "outbox" USING btree (("meta"->>'conversationId')) WHERE "outbox"."channel" = 'chat';--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_client_id_key" ON "outbox" USING btree (("meta"->>'clientId')) WHERE "outbox"."meta" ? 'clientId';--> statement-breakpoint
-- Chat is only for these topics (admins change the list); any other chat question is redirected.
INSERT INTO "settings" ("key", "value") VALUES ('chat.topics', '["inloggen", "personeelsgesprekken"]') ON CONFLICT DO NOTHING;
