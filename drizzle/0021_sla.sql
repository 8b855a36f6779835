ALTER TABLE "cases" ADD COLUMN "first_response_due" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "answer_due" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sla_warned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sla_breached_at" timestamp with time zone;--> statement-breakpoint
CREATE TABLE "case_pauses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" bigint NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"working_minutes" integer
);
--> statement-breakpoint
ALTER TABLE "case_pauses" ADD CONSTRAINT "case_pauses_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_pauses_case_idx" ON "case_pauses" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_pauses_unapplied_idx" ON "case_pauses" USING btree ("id") WHERE "case_pauses"."working_minutes" is null;--> statement-breakpoint
CREATE INDEX "cases_open_answer_due_idx" ON "cases" USING btree ("answer_due") WHERE "cases"."status" = 'open' and "cases"."sla_breached_at" is null;
