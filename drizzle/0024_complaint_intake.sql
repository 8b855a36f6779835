ALTER TABLE "complaints" ADD COLUMN "earlier_reference" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "last_contact_on" date;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "employee_name" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "registered_by" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "acknowledged_at" timestamp with time zone;--> statement-breakpoint
-- Complaints registered before Loket wrote acknowledgements of its own are not acknowledged after the fact.
UPDATE "complaints" SET "acknowledged_at" = "created_at";--> statement-breakpoint
CREATE TABLE "compliments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" bigint NOT NULL REFERENCES "cases"("id") ON DELETE CASCADE,
	"account_id" bigint REFERENCES "users"("id") ON DELETE SET NULL,
	"team" text,
	"note" text,
	"by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "compliments_to_someone" CHECK ("account_id" IS NOT NULL OR "team" IS NOT NULL)
);--> statement-breakpoint
CREATE INDEX "compliments_case_idx" ON "compliments" ("case_id");--> statement-breakpoint
CREATE INDEX "compliments_created_idx" ON "compliments" ("created_at");
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sla_first_breached_at" timestamp with time zone;--> statement-breakpoint
-- Open cases already past their first reply's deadline when this came are not told after the fact, all at once.
UPDATE "cases" SET "sla_first_breached_at" = now() WHERE "status" = 'open' AND "first_response_due" < now();--> statement-breakpoint
CREATE INDEX "cases_first_response_open_idx" ON "cases" ("first_response_due") WHERE "status" = 'open' AND "sla_first_breached_at" IS NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" text DEFAULT 'nl' NOT NULL;
