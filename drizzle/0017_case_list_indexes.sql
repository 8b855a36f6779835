CREATE INDEX IF NOT EXISTS "cases_status_due_id_idx" ON "cases" USING btree ("status","answer_by","id");--> statement-breakpoint
DROP INDEX IF EXISTS "cases_status_answer_by_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_status_created_id_idx" ON "cases" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_assignee_status_due_idx" ON "cases" USING btree ("assignee_id","status","answer_by","id") WHERE "cases"."assignee_id" is not null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_unassigned_due_idx" ON "cases" USING btree ("status","answer_by","id") WHERE "cases"."assignee_id" is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_team_status_due_idx" ON "cases" USING btree ("team","status","answer_by","id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_created_id_idx" ON "cases" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_due_id_idx" ON "cases" USING btree ("answer_by","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_team_due_idx" ON "cases" USING btree ("team","answer_by","id");
