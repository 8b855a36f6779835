ALTER TABLE "cases" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
CREATE TABLE "erasure_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person" text NOT NULL,
	"references" text[] NOT NULL,
	"reason" text NOT NULL,
	"asked_by" bigint NOT NULL REFERENCES "users"("id"),
	"asked_by_name" text NOT NULL,
	"asked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"state" text DEFAULT 'asked' NOT NULL,
	"decided_by_name" text,
	"decided_at" timestamp with time zone,
	"refusal" text
);--> statement-breakpoint
CREATE INDEX "cases_retention_idx" ON "cases" ("closed_at") WHERE "status" = 'closed' AND "erased_at" IS NULL;
