-- A notification is once per account, kind, case and cause: two cases with the same deadline
-- (every case received on one day is due at the same closing time) are two warnings, not one.
CREATE UNIQUE INDEX "notifications_account_case_source_key" ON "notifications" USING btree ("account_id","kind","case_id","source");
--> statement-breakpoint
DROP INDEX "notifications_account_source_key";
