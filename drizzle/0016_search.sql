CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_search_idx" ON "messages" USING gin (to_tsvector('dutch'::regconfig, left(("subject" || ' ' || "text"), 20000)));--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_sender_name_trgm_idx" ON "cases" USING gist (lower(("sender"->>'name')) gist_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_sender_email_idx" ON "cases" USING btree (lower(("sender"->>'email')));--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_sender_reply_to_idx" ON "cases" USING btree (lower(("sender"->>'replyTo'))) WHERE ("sender"->>'replyTo') is not null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_sender_employee_idx" ON "cases" USING btree (upper(regexp_replace(("sender"->>'employeeNumber'), '\s', '', 'g'))) WHERE ("sender"->>'employeeNumber') is not null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_sender_phone_idx" ON "cases" USING btree (regexp_replace(regexp_replace(regexp_replace(replace(("sender"->>'phone'), '(0)', ''), '[[:space:]./()-]', '', 'g'), '^00', '+'), '^\+31', '0')) WHERE ("sender"->>'phone') is not null;
