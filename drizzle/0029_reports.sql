-- 0029_reports: the figures reports count (src/reports), kept by PostgreSQL.
-- A year of traffic is ~350,000 contacts: counting it from the wide case and message rows, with
-- their answers, conversations and corrections joined, takes seconds. Materialised views hold
-- what reports need: one narrow row per case, the same added up per day, channel, topic and
-- team, and the contacts per day; they are refreshed concurrently (readers never wait) every
-- few minutes and on request. Erased cases keep channel, topic, team, dates,
-- answers' kinds and times, and complaint stages, so the views still count them.
-- (0025_reports was a placeholder that installations have applied: this file is new so they run it.)

-- One row per case: when it came in (the Amsterdam day), where from, what about, which team, its
-- promise (an open case's deadline; a closed one's outcome), minutes to the first agent answer and
-- to closing, answers by kind, the chat's outcome and how often its topic was corrected.
CREATE MATERIALIZED VIEW "report_cases" AS
SELECT c."id",
       (c."created_at" AT TIME ZONE 'Europe/Amsterdam')::date AS "opened_on",
       c."channel",
       c."topic",
       coalesce(c."team", '') AS "team",
       c."status" = 'open' AS "open",
       c."answer_due",
       CASE WHEN c."status" = 'closed' AND c."answer_due" IS NOT NULL THEN c."closed_at" <= c."answer_due" END AS "closed_in_time",
       (extract(epoch FROM (a."first_answer_at" - c."created_at")) / 60)::int AS "first_minutes",
       CASE WHEN c."status" = 'closed' AND v."redirected" IS NOT TRUE THEN (extract(epoch FROM (c."closed_at" - c."created_at")) / 60)::int END AS "close_minutes",
       coalesce(a."agent_answers", 0)::int AS "agent_answers",
       coalesce(a."automatic_answers", 0)::int AS "automatic_answers",
       coalesce(v."redirected", false) AS "redirected",
       coalesce(t."corrections", 0)::int AS "corrections"
  FROM "cases" c
  LEFT JOIN (
        SELECT "case_id",
               min("created_at") FILTER (WHERE "kind" IN ('answer', 'chat-answer')) AS "first_answer_at",
               count(*) FILTER (WHERE "kind" IN ('answer', 'chat-answer')) AS "agent_answers",
               count(*) FILTER (WHERE "kind" IN ('acknowledgement', 'refused-too-large', 'chat-redirect')) AS "automatic_answers"
          FROM "outbox" GROUP BY "case_id") a ON a."case_id" = c."id"
  LEFT JOIN (
        SELECT "case_id", bool_or("closed_reason" = 'redirected') AS "redirected"
          FROM "conversations" WHERE "case_id" IS NOT NULL GROUP BY "case_id") v ON v."case_id" = c."id"
  LEFT JOIN (
        SELECT "case_id", count(*) AS "corrections"
          FROM "topic_corrections" WHERE "case_id" IS NOT NULL AND "undone_at" IS NULL GROUP BY "case_id") t ON t."case_id" = c."id";--> statement-breakpoint
CREATE UNIQUE INDEX "report_cases_id_key" ON "report_cases" ("id");--> statement-breakpoint
CREATE INDEX "report_cases_opened_on_idx" ON "report_cases" ("opened_on");--> statement-breakpoint
-- The open cases, whose promise depends on the moment a report is asked for.
CREATE INDEX "report_cases_open_idx" ON "report_cases" ("opened_on") WHERE "open";--> statement-breakpoint

-- The same per Amsterdam day, channel, topic and team, added up: what most figures count.
CREATE MATERIALIZED VIEW "report_days" AS
SELECT "opened_on", "channel", "topic", "team",
       count(*)::int AS "cases",
       count(*) FILTER (WHERE "channel" = 'chat')::int AS "chats",
       count(*) FILTER (WHERE "redirected")::int AS "redirected",
       sum("agent_answers")::int AS "agent_answers",
       sum("automatic_answers")::int AS "automatic_answers",
       count(*) FILTER (WHERE "corrections" > 0)::int AS "corrected",
       count(*) FILTER (WHERE "closed_in_time" IS NOT NULL AND NOT "redirected")::int AS "closed_due",
       count(*) FILTER (WHERE "closed_in_time" AND NOT "redirected")::int AS "closed_on_time"
  FROM "report_cases"
 GROUP BY 1, 2, 3, 4;--> statement-breakpoint
CREATE UNIQUE INDEX "report_days_key" ON "report_days" ("opened_on", "channel", "topic", "team");--> statement-breakpoint

-- Contacts per Amsterdam day, channel, topic and team: every message that came in, a chat
-- counted once per conversation (not per line the visitor typed).
CREATE MATERIALIZED VIEW "report_contacts" AS
SELECT (m."received_at" AT TIME ZONE 'Europe/Amsterdam')::date AS "day",
       m."channel",
       coalesce(c."topic", m."topic", '') AS "topic",
       coalesce(c."team", '') AS "team",
       (count(*) FILTER (WHERE m."channel" <> 'chat')
         + count(DISTINCT coalesce(m."thread"->>'conversationId', m."id"::text)) FILTER (WHERE m."channel" = 'chat'))::int AS "contacts"
  FROM "messages" m
  LEFT JOIN "cases" c ON c."id" = m."case_id"
 GROUP BY 1, 2, 3, 4;--> statement-breakpoint
CREATE UNIQUE INDEX "report_contacts_key" ON "report_contacts" ("day", "channel", "topic", "team");--> statement-breakpoint

-- The dashboard counts today's and this week's messages per channel from the messages themselves.
CREATE INDEX "messages_received_at_idx" ON "messages" ("received_at");--> statement-breakpoint
-- ... and the cases closed today and this week, for the share answered on time, and whether a chat was sent on.
CREATE INDEX "conversations_case_idx" ON "conversations" ("case_id") WHERE "case_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_closed_at_idx" ON "cases" ("closed_at") WHERE "closed_at" IS NOT NULL;--> statement-breakpoint
-- The quarterly complaint report takes the complaints registered in a quarter.
CREATE INDEX "complaints_created_idx" ON "complaints" ("created_at");--> statement-breakpoint

-- When the views were last refreshed, for the reports to say how fresh their figures are.
CREATE TABLE "report_refreshes" (
	"view" text PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"milliseconds" integer NOT NULL
);
