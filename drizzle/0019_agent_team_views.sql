ALTER TABLE "users" ADD COLUMN "team" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "list_preference" jsonb;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_waiting_due_idx" ON "cases" USING btree ("answer_by","id") WHERE "cases"."status" = 'open' and "cases"."waiting_since" is not null;
