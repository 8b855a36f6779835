CREATE INDEX "outbox_open_callbacks_idx" ON "outbox" USING btree ("id") WHERE "outbox"."channel" = 'phone' AND "outbox"."status" = 'sent' AND NOT ("outbox"."meta" ? 'callbackDoneAt');
--> statement-breakpoint
CREATE INDEX "outbox_to_print_idx" ON "outbox" USING btree ("id") WHERE "outbox"."channel" = 'post' AND "outbox"."status" = 'sent' AND NOT ("outbox"."meta" ? 'postedAt');
