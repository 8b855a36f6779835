CREATE TABLE "calls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"caller_number" text,
	"agent" text,
	"state" text DEFAULT 'ringing' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"duration_seconds" integer,
	"message_id" bigint,
	"to_complete" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'ocr' NOT NULL,
	"sender" jsonb NOT NULL,
	"letter_date" date,
	"scans" jsonb NOT NULL,
	"ocr_text" text,
	"ocr_error" text,
	"entered_by" text NOT NULL,
	"message_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calls_call_id_key" ON "calls" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "calls_caller_number_idx" ON "calls" USING btree ("caller_number");--> statement-breakpoint
CREATE INDEX "letters_status_idx" ON "letters" USING btree ("status");