CREATE TABLE "access_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"account_id" bigint,
	"account_name" text NOT NULL,
	"role" text NOT NULL,
	"action" text NOT NULL,
	"reference" text,
	"detail" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);--> statement-breakpoint
CREATE INDEX "access_log_reference_idx" ON "access_log" ("reference", "id");--> statement-breakpoint
CREATE INDEX "access_log_account_at_idx" ON "access_log" ("account_id", "at");--> statement-breakpoint
CREATE INDEX "access_log_at_idx" ON "access_log" ("at");--> statement-breakpoint
CREATE FUNCTION "access_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'access_log is append-only: % refused', TG_OP;
END
$$;--> statement-breakpoint
CREATE TRIGGER "access_log_no_rewrite" BEFORE UPDATE OR DELETE ON "access_log" FOR EACH ROW EXECUTE FUNCTION "access_log_append_only"();--> statement-breakpoint
CREATE TRIGGER "access_log_no_truncate" BEFORE TRUNCATE ON "access_log" FOR EACH STATEMENT EXECUTE FUNCTION "access_log_append_only"();
