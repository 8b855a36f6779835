import type { Worker } from 'bullmq';
import { inArray, or, type SQL } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { cases, messages, outbox } from '../db/schema.js';
import type { Logger } from '../logger.js';

/** One case that changed: opened, a message or note added, its outbox, topic, assignee or status. */
export const caseChangeSchema = z.object({ caseId: z.number().int().positive(), reference: z.string().min(1) });
export type CaseChange = z.infer<typeof caseChangeSchema>;

/** What one Redis publish carries: the changes of a short window, folded together. */
export const caseChangesSchema = z.object({ changes: z.array(caseChangeSchema) });

/** The Redis channel every process publishes case changes on and every web node listens to. */
export const caseChangesChannel = (prefix: string) => `${prefix}:workspace:case-changed`;

/** The ids a route or deliver job carries (queues/route.queue.ts, queues/deliver.queue.ts). */
const jobIdsSchema = z.object({ messageId: z.number().int().positive().optional(), outboxId: z.number().int().positive().optional() });

export interface CaseChangeFeedOptions {
  redis: Pick<Redis, 'publish'>;
  channel: string;
  db: Db;
  log: Logger;
  /** How long changes are gathered before one publish; a burst costs one query and one publish. */
  windowMs?: number;
}

/**
 * Tells the workspace (every web node, through Redis pub/sub) which cases changed, from any
 * process. Callers never wait for it: a lost live update costs an agent a reload, never data,
 * so the jobs that cause changes do not pay for telling about them.
 */
export class CaseChangeFeed {
  private readonly known = new Map<number, string>();
  private readonly messageIds = new Set<number>();
  private readonly outboxIds = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: CaseChangeFeedOptions) {}

  /** A case whose reference the caller knows changed (a workspace action). */
  caseChanged(caseId: number, reference: string): void {
    this.known.set(caseId, reference);
    this.schedule();
  }

  /** The case of this message changed (it was routed into it). */
  messageChanged(messageId: number): void {
    this.messageIds.add(messageId);
    this.schedule();
  }

  /** The case of this outbox row changed (the row was sent, or failed). */
  outboxChanged(outboxId: number): void {
    this.outboxIds.add(outboxId);
    this.schedule();
  }

  /**
   * Publishes the case of every job a route or deliver worker finishes (or fails): by then
   * everything the job changed has committed, automatic replies sent in the job included.
   */
  follow(worker: Worker): void {
    const fromJob = (data: unknown) => {
      const ids = jobIdsSchema.safeParse(data);
      if (!ids.success) return;
      if (ids.data.messageId !== undefined) this.messageChanged(ids.data.messageId);
      if (ids.data.outboxId !== undefined) this.outboxChanged(ids.data.outboxId);
    };
    // A job that names its case in its result (route and deliver do) costs no query.
    worker.on('completed', (job, result: unknown) => {
      const named = caseChangeSchema.safeParse(result);
      if (named.success) this.caseChanged(named.data.caseId, named.data.reference);
      else fromJob(job.data);
    });
    worker.on('failed', (job) => fromJob(job?.data));
  }

  /** Publishes what is gathered now; waits at most `timeoutMs` (Redis may be away at shutdown). */
  async close(timeoutMs = 2_000): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.publishGathered();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(this.running), late]);
    clearTimeout(timer);
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.publishGathered();
    }, this.options.windowMs ?? 50);
  }

  private publishGathered(): Promise<void> {
    const known = new Map(this.known);
    const messageIds = [...this.messageIds];
    const outboxIds = [...this.outboxIds];
    this.known.clear();
    this.messageIds.clear();
    this.outboxIds.clear();
    if (known.size + messageIds.length + outboxIds.length === 0) return Promise.resolve();
    const run = this.publish(known, messageIds, outboxIds).catch((err: unknown) =>
      this.options.log.warn({ err, cases: known.size, messageIds: messageIds.length, outboxIds: outboxIds.length }, 'case changes not published'),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }

  private async publish(known: Map<number, string>, messageIds: number[], outboxIds: number[]): Promise<void> {
    const { db } = this.options;
    const via: SQL[] = [];
    if (messageIds.length > 0) via.push(inArray(cases.id, db.select({ id: messages.caseId }).from(messages).where(inArray(messages.id, messageIds))));
    if (outboxIds.length > 0) via.push(inArray(cases.id, db.select({ id: outbox.caseId }).from(outbox).where(inArray(outbox.id, outboxIds))));
    if (via.length > 0) {
      const rows = await db
        .select({ caseId: cases.id, reference: cases.reference })
        .from(cases)
        .where(or(...via));
      for (const row of rows) known.set(row.caseId, row.reference);
    }
    if (known.size === 0) return;
    const changes: CaseChange[] = [...known].map(([caseId, reference]) => ({ caseId, reference }));
    await this.options.redis.publish(this.options.channel, JSON.stringify({ changes }));
  }
}
