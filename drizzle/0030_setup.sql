-- 0030_setup: first run without the command line (src/auth/setup.ts). While no admin exists,
-- each starting web process makes a one-time setup link and prints it in its log; only the
-- link's SHA-256 is kept, so any process can check it. Creating the first admin removes them all.
CREATE TABLE "setup_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
