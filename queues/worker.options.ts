import type { ConnectionOptions, Job, WorkerOptions } from 'bullmq';

export interface WorkerSettings {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  lockSeconds: number;
}

/** The BullMQ options every Loket worker shares. */
export function workerOptions(settings: WorkerSettings): WorkerOptions {
  return {
    connection: settings.connection,
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockSeconds * 1_000,
    stalledInterval: Math.max(1_000, Math.floor((settings.lockSeconds * 1_000) / 2)),
    maxStalledCount: 3,
  };
}

/** Whether the run of this job now is its last try: a failure now is not retried by BullMQ. */
export function isLastAttempt(job: Pick<Job, 'attemptsMade' | 'opts'>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
