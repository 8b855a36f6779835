CREATE TABLE "topic_corrections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" bigint,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"locale" text NOT NULL,
	"from_topic" text,
	"to_topic" text NOT NULL,
	"account_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	"undone_by" bigint
);
--> statement-breakpoint
ALTER TABLE "topic_corrections" ADD CONSTRAINT "topic_corrections_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topic_corrections" ADD CONSTRAINT "topic_corrections_account_id_users_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topic_corrections" ADD CONSTRAINT "topic_corrections_undone_by_users_id_fk" FOREIGN KEY ("undone_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "topic_corrections_case_idx" ON "topic_corrections" USING btree ("case_id","id");
