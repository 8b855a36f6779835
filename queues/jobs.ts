import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { DELIVER_QUEUE, deliverJobId, deliverJobSchema } from './deliver.queue.js';
import { OCR_QUEUE, ocrJobId, ocrJobSchema } from './ocr.queue.js';
import { ROUTE_QUEUE, routeJobId, routeJobSchema } from './route.queue.js';

/** Every queue Loket has: its payload schema and how a payload names its job. */
export const QUEUES = {
  [ROUTE_QUEUE]: { schema: routeJobSchema, jobId: routeJobId },
  [DELIVER_QUEUE]: { schema: deliverJobSchema, jobId: deliverJobId },
  [OCR_QUEUE]: { schema: ocrJobSchema, jobId: ocrJobId },
} as const;

export type QueueName = keyof typeof QUEUES;
/** The payload type of a queue: `JobOf<'route'>`. */
export type JobOf<N extends QueueName> = z.infer<(typeof QUEUES)[N]['schema']>;

export interface QueueSettings {
  connection: ConnectionOptions;
  prefix: string;
  /**
   * The database's installation id, in front of every job id: a Redis that served another
   * database holds jobs named like ours (`msg-1`), and an add under such an id is a no-op.
   */
  jobIdScope: string;
  attempts: number;
  /** Connection trouble; BullMQ reconnects by itself. */
  onError: (err: unknown) => void;
  /** Told when the sweep replaces a finished job that kept unfinished work from being scheduled. */
  onStaleJob?: (queue: QueueName, jobId: string, state: 'completed' | 'failed') => void;
  /**
   * A job that failed for good is tried again by the sweep only this long after it failed
   * (default an hour): work that fails every time (a bug, data no code expects) costs one
   * round of attempts an hour, not one every sweep, and still heals after a long outage.
   * Not deliver jobs: an outbox row keeps its own retry state and is given up there.
   */
  failedRetryAfterMs?: number;
}

/** See QueueSettings.failedRetryAfterMs. */
export const FAILED_RETRY_AFTER_MS = 3_600_000;

function jobOptions(attempts: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3_600, count: 10_000 },
    // Failed jobs stay for inspection and retry from the admin console.
    removeOnFail: false,
  };
}

/** The producer side of all queues, typed by queue name. */
export class Queues {
  private readonly queues: { [N in QueueName]: Queue<JobOf<N>> };

  constructor(private readonly settings: QueueSettings) {
    const open = <N extends QueueName>(name: N) => {
      const queue = new Queue<JobOf<N>>(name, {
        connection: settings.connection,
        prefix: settings.prefix,
        defaultJobOptions: jobOptions(settings.attempts),
      });
      queue.on('error', settings.onError);
      return queue;
    };
    this.queues = { route: open('route'), deliver: open('deliver'), ocr: open('ocr') };
  }

  /** The job id of a payload: deterministic, and this database's own. */
  jobIdOf<N extends QueueName>(name: N, payload: JobOf<N>): string {
    return `${this.settings.jobIdScope}-${(QUEUES[name].jobId as (p: JobOf<N>) => string)(payload)}`;
  }

  /** Validates the payload and adds it under its deterministic job id. */
  async add<N extends QueueName>(name: N, payload: JobOf<N>): Promise<void> {
    const data = QUEUES[name].schema.parse(payload) as JobOf<N>;
    const queue = this.queues[name] as unknown as Queue<JobOf<N>>;
    await queue.add(name as never, data as never, { jobId: this.jobIdOf(name, data) });
  }

  /** Adds many payloads of one queue in one round trip, each under its deterministic job id. */
  async addMany<N extends QueueName>(name: N, payloads: JobOf<N>[]): Promise<void> {
    if (payloads.length === 0) return;
    // One payload (a form message, an acknowledgement) as a plain add: ioredis sets up a
    // pipeline by copying every loaded script onto it, which cost more than the add itself.
    if (payloads.length === 1) return this.add(name, payloads[0]!);
    const queue = this.queues[name] as unknown as Queue<JobOf<N>>;
    const jobs = payloads.map((payload) => {
      const data = QUEUES[name].schema.parse(payload) as JobOf<N>;
      return { name, data, opts: { jobId: this.jobIdOf(name, data) } };
    });
    await queue.addBulk(jobs as never);
  }

  /**
   * Adds again work that PostgreSQL says is unfinished (the sweep). A finished job under the
   * same id is stale and would turn the add into a no-op: a completed one (a stalled delivery
   * that came back while its row was still leased completes without sending), or a failed
   * one (kept for inspection, it would hold the work back for ever) once it failed longer
   * ago than failedRetryAfterMs; a fresh failure stays as it is. Remove it first.
   * Returns whether the work was added: not when a job of it is still on its way, nor when a
   * fresh failure was left alone (the worker logged it, the queue metrics count it).
   */
  async reschedule<N extends QueueName>(name: N, payload: JobOf<N>): Promise<boolean> {
    const id = this.jobIdOf(name, QUEUES[name].schema.parse(payload) as JobOf<N>);
    const queue = this.queues[name] as unknown as Queue<JobOf<N>>;
    const state = await queue.getJobState(id);
    // A deliver job's row keeps its own retry state (next_attempt_at, failed for good): its job is replaced at once.
    if (state === 'failed' && name !== 'deliver') {
      const job = await queue.getJob(id);
      const failedAgo = Date.now() - (job?.finishedOn ?? 0);
      if (failedAgo < (this.settings.failedRetryAfterMs ?? FAILED_RETRY_AFTER_MS)) return false;
    }
    if (state === 'completed' || state === 'failed') {
      await queue.remove(id);
      this.settings.onStaleJob?.(name, id, state);
    } else if (state !== 'unknown') {
      // Waiting, delayed, active: the job is there and will run.
      return false;
    }
    await this.add(name, payload);
    return true;
  }

  queue<N extends QueueName>(name: N): Queue<JobOf<N>> {
    return this.queues[name];
  }

  all(): Queue[] {
    return Object.values(this.queues) as Queue[];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
  }
}
