CREATE TABLE "complaints" (
	"case_id" bigint PRIMARY KEY NOT NULL,
	"stage" text NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"involved_ids" bigint[] DEFAULT '{}' NOT NULL,
	"handler_id" bigint,
	"first_contact_due" timestamp with time zone NOT NULL,
	"resolve_due" timestamp with time zone NOT NULL,
	"first_contact_at" timestamp with time zone,
	"first_contact_how" text,
	"resolution" text,
	"resolved_at" timestamp with time zone,
	"satisfaction_due" timestamp with time zone,
	"satisfaction_token_hash" text,
	"satisfied" boolean,
	"satisfaction_comment" text,
	"satisfaction_at" timestamp with time zone,
	"extra_due" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_handler_id_users_id_fk" FOREIGN KEY ("handler_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_satisfaction_token_key" ON "complaints" USING btree ("satisfaction_token_hash") WHERE "complaints"."satisfaction_token_hash" is not null;--> statement-breakpoint
CREATE INDEX "complaints_stage_idx" ON "complaints" USING btree ("stage","resolve_due");
