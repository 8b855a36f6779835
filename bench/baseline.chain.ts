import { Queue, Worker, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type pg from 'pg';
import { workerOptions } from '../queues/worker.options.js';

/**
 * The baseline: the least a three-step durable pipeline on the same Redis and
 * PostgreSQL can do. Each stage is one BullMQ queue whose worker writes one row
 * and hands on to the next; the row in the last table is the "acknowledgement sent".
 */
export const STAGES = ['bench-a', 'bench-b', 'bench-c'] as const;
export type Stage = (typeof STAGES)[number];
export interface BaselineJob {
  key: string;
}

const table = (stage: Stage) => stage.replace('-', '_');
export const DONE_TABLE = table('bench-c');

/** The same job options Loket's queues use (queues/jobs.ts), so both pay the same bookkeeping. */
export function baselineJobOptions(attempts: number, key: string): JobsOptions {
  return {
    jobId: key,
    attempts,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: false,
  };
}

export async function createBaselineTables(pool: pg.Pool): Promise<void> {
  for (const stage of STAGES) {
    await pool.query(`create table if not exists ${table(stage)} (key text primary key, at timestamptz not null default now())`);
  }
}

export function openStage(stage: Stage, connection: ConnectionOptions, prefix: string): Queue<BaselineJob> {
  return new Queue<BaselineJob>(stage, { connection, prefix });
}

export interface BaselineSettings {
  connection: ConnectionOptions;
  prefix: string;
  pool: pg.Pool;
  concurrencies: Record<Stage, number>;
  lockSeconds: number;
  attempts: number;
}

/** One worker per stage, with Loket's worker options; returns a function that closes them all. */
export function startBaselineWorkers(settings: BaselineSettings): () => Promise<void> {
  const { connection, prefix, pool } = settings;
  const closers: Array<() => Promise<void>> = [];
  STAGES.forEach((stage, index) => {
    const nextStage = STAGES[index + 1];
    const next = nextStage ? openStage(nextStage, connection, prefix) : undefined;
    const worker = new Worker<BaselineJob>(
      stage,
      async (job) => {
        await pool.query(`insert into ${table(stage)} (key) values ($1) on conflict do nothing`, [job.data.key]);
        if (next) await next.add(nextStage!, job.data, baselineJobOptions(settings.attempts, job.data.key));
      },
      workerOptions({ connection, prefix, concurrency: settings.concurrencies[stage], lockSeconds: settings.lockSeconds }),
    );
    worker.on('error', (err) => process.stderr.write(`baseline worker ${stage}: ${String(err)}\n`));
    closers.push(
      () => worker.close(),
      async () => next?.close(),
    );
  });
  return async () => {
    for (const close of closers) await close();
  };
}
