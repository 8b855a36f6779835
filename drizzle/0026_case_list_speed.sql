-- 0026_case_list_speed: whose turn a case is (the case list's "Stand"), kept on the case.
-- The list asked two correlated subqueries per row for it: four of every five buffers it read.
-- Triggers keep the columns in the transaction that writes the message or the answer, on every
-- path that does (intake, routing, case opening, chat, phone, merging cases), and only when it matters.
ALTER TABLE "cases" ADD COLUMN "last_inbound_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "last_answer_at" timestamp with time zone;--> statement-breakpoint
UPDATE "cases" SET "last_inbound_at" = m."at"
  FROM (SELECT "case_id", max("received_at") AS "at" FROM "messages" WHERE "case_id" IS NOT NULL GROUP BY "case_id") m
 WHERE m."case_id" = "cases"."id";--> statement-breakpoint
UPDATE "cases" SET "last_answer_at" = o."at"
  FROM (SELECT "case_id", max("created_at") AS "at" FROM "outbox"
         WHERE "case_id" IS NOT NULL AND "kind" IN ('answer', 'chat-answer') GROUP BY "case_id") o
 WHERE o."case_id" = "cases"."id";--> statement-breakpoint
CREATE FUNCTION "cases_track_last_inbound"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- The message left its case (or went back in time): if it was the newest, ask again.
	IF TG_OP <> 'INSERT' AND OLD."case_id" IS NOT NULL THEN
		UPDATE "cases" SET "last_inbound_at" = (SELECT max("received_at") FROM "messages" WHERE "case_id" = OLD."case_id")
		 WHERE "id" = OLD."case_id" AND "last_inbound_at" <= OLD."received_at";
	END IF;
	IF TG_OP <> 'DELETE' AND NEW."case_id" IS NOT NULL THEN
		UPDATE "cases" SET "last_inbound_at" = NEW."received_at"
		 WHERE "id" = NEW."case_id" AND ("last_inbound_at" IS NULL OR "last_inbound_at" < NEW."received_at");
	END IF;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "messages_last_inbound_insert" AFTER INSERT ON "messages" FOR EACH ROW
  WHEN (NEW."case_id" IS NOT NULL) EXECUTE FUNCTION "cases_track_last_inbound"();--> statement-breakpoint
CREATE TRIGGER "messages_last_inbound_update" AFTER UPDATE OF "case_id", "received_at" ON "messages" FOR EACH ROW
  WHEN (OLD."case_id" IS DISTINCT FROM NEW."case_id" OR OLD."received_at" IS DISTINCT FROM NEW."received_at")
  EXECUTE FUNCTION "cases_track_last_inbound"();--> statement-breakpoint
CREATE TRIGGER "messages_last_inbound_delete" AFTER DELETE ON "messages" FOR EACH ROW
  WHEN (OLD."case_id" IS NOT NULL) EXECUTE FUNCTION "cases_track_last_inbound"();--> statement-breakpoint
CREATE FUNCTION "cases_track_last_answer"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' AND OLD."case_id" IS NOT NULL AND OLD."kind" IN ('answer', 'chat-answer') THEN
		UPDATE "cases" SET "last_answer_at" = (
		         SELECT max("created_at") FROM "outbox" WHERE "case_id" = OLD."case_id" AND "kind" IN ('answer', 'chat-answer'))
		 WHERE "id" = OLD."case_id" AND "last_answer_at" <= OLD."created_at";
	END IF;
	IF TG_OP <> 'DELETE' AND NEW."case_id" IS NOT NULL AND NEW."kind" IN ('answer', 'chat-answer') THEN
		UPDATE "cases" SET "last_answer_at" = NEW."created_at"
		 WHERE "id" = NEW."case_id" AND ("last_answer_at" IS NULL OR "last_answer_at" < NEW."created_at");
	END IF;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "outbox_last_answer_insert" AFTER INSERT ON "outbox" FOR EACH ROW
  WHEN (NEW."case_id" IS NOT NULL AND NEW."kind" IN ('answer', 'chat-answer')) EXECUTE FUNCTION "cases_track_last_answer"();--> statement-breakpoint
CREATE TRIGGER "outbox_last_answer_update" AFTER UPDATE OF "case_id", "kind", "created_at" ON "outbox" FOR EACH ROW
  WHEN (OLD."case_id" IS DISTINCT FROM NEW."case_id" OR OLD."kind" IS DISTINCT FROM NEW."kind" OR OLD."created_at" IS DISTINCT FROM NEW."created_at")
  EXECUTE FUNCTION "cases_track_last_answer"();--> statement-breakpoint
CREATE TRIGGER "outbox_last_answer_delete" AFTER DELETE ON "outbox" FOR EACH ROW
  WHEN (OLD."case_id" IS NOT NULL AND OLD."kind" IN ('answer', 'chat-answer')) EXECUTE FUNCTION "cases_track_last_answer"();
