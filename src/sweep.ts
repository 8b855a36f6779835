import { and, isNull, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from './db/database.js';
import { messages } from './db/schema.js';
import { unsentOutboxIds } from './outbox.js';

export interface SweepTargets {
  /** Whether the message's route job was added (again): not when one is on its way, or failed lately. */
  scheduleRoute(messageId: number): Promise<boolean>;
  scheduleDelivery(outboxId: number): Promise<boolean>;
}

export interface SweepSettings {
  /** Work younger than this is still on its way through the queues. */
  olderThanSeconds: number;
  leaseSeconds: number;
  batch: number;
}

/**
 * Schedules again what PostgreSQL holds but Redis may have lost: messages never routed,
 * outbox rows never sent (a channel's own unfinished work is its Channel.sweep). Scheduling is idempotent (one job
 * id per item; a job still running is left alone). Counts what it scheduled: work whose job is
 * still queued, or failed lately and is left for an operator, is not reported at every round.
 */
export async function sweep(db: Db, targets: SweepTargets, settings: SweepSettings): Promise<{ messages: number; outbox: number }> {
  const unrouted = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(isNull(messages.routedAt), lt(messages.createdAt, sql`now() - ${settings.olderThanSeconds}::integer * interval '1 second'`)))
    .orderBy(messages.id)
    .limit(settings.batch);
  let messagesScheduled = 0;
  for (const { id } of unrouted) if (await targets.scheduleRoute(id)) messagesScheduled += 1;
  const unsent = await unsentOutboxIds(db, settings.olderThanSeconds, settings.leaseSeconds, settings.batch);
  let outboxScheduled = 0;
  for (const id of unsent) if (await targets.scheduleDelivery(id)) outboxScheduled += 1;
  return { messages: messagesScheduled, outbox: outboxScheduled };
}

/** Runs the sweep every interval in a worker process, never two at once. */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    /** One sweep; returns how many things of each kind it found unfinished. */
    private readonly run: () => Promise<Record<string, number>>,
    private readonly intervalMs: number,
    private readonly log: Logger,
    /** Named in the logs: the sweep, or another periodic task run the same way. */
    private readonly task = 'sweep',
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .then((found) => {
          if (Object.values(found).some((n) => n > 0)) this.log.info({ ...found, task: this.task }, 'sweep found unfinished work');
        })
        .catch((err: unknown) => this.log.error({ err, task: this.task }, 'sweep failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
