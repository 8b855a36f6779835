import { UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Channel, OutboundMessage } from '../src/channel.js';
import type { Db } from '../src/db/database.js';
import { errorMessage, PermanentError } from '../src/errors.js';
import type { Metrics } from '../src/metrics.js';
import { claimOutbox, failOutbox, postponeOutbox, releaseOutbox, type SentMarker, type ClaimedOutbox, type ClaimedRow } from '../src/outbox.js';
import { DELIVER_QUEUE, deliverJobSchema, type DeliverJob } from './deliver.queue.js';
import { isLastAttempt, workerOptions, type WorkerSettings } from './worker.options.js';

export interface DeliverWorkerDeps {
  db: Db;
  channels: ReadonlyMap<string, Channel>;
  leaseSeconds: number;
  /** Marks rows sent (shared by every sender in the process, so marks go together). */
  sent: SentMarker;
  /** How long a row that fails for temporary reasons is tried again (the admin setting 'delivery.retry'). */
  keepTryingMs: () => Promise<number>;
  metrics: Metrics;
  log: Logger;
}

/** Once a row's job has no retries left, it is tried again at most this long after the previous attempt. */
const MAX_RETRY_INTERVAL_MS = 15 * 60_000;

/** The wait before the next attempt of a row tried `attempts` times: doubling, at most a quarter of an hour. */
export const retryIntervalMs = (attempts: number) => Math.min(MAX_RETRY_INTERVAL_MS, 1_000 * 2 ** Math.min(attempts, 20));

/**
 * Sends outbox rows. The row is the truth: only a claimed row is sent, and a row
 * marked sent is never sent again, whatever BullMQ redelivers.
 */
export function startDeliverWorker(deps: DeliverWorkerDeps, settings: WorkerSettings): Worker<DeliverJob> {
  const worker = new Worker<DeliverJob>(
    DELIVER_QUEUE,
    async (job) => {
      const payload = deliverJobSchema.safeParse(job.data);
      if (!payload.success) throw new UnrecoverableError(`invalid deliver payload: ${payload.error.message}`);
      // The job's result names the case (for the workspace's live updates).
      return deliverOutboxRow(deps, payload.data.outboxId, {
        lastAttempt: isLastAttempt(job),
        jobAttempts: job.opts.attempts ?? 1,
        log: deps.log.child({ jobId: job.id }),
      });
    },
    workerOptions(settings),
  );
  worker.on('error', (err) => deps.log.error({ err }, 'deliver worker error'));
  return worker;
}

/**
 * Claims one outbox row, sends it over its channel and marks it sent. A transient failure
 * gives the row back and throws (to be retried); once the job has no retries left, the row
 * waits (postponed, for the sweep) and the job ends. A permanent failure, or a temporary one
 * that lasted longer than the admin allows, keeps the error on the row, flags the case and
 * throws UnrecoverableError. Nothing happens to a row that is sent already, failed, or being
 * sent by someone else.
 */
export async function deliverOutboxRow(deps: DeliverWorkerDeps, outboxId: number, attempt: DeliveryAttempt): Promise<CaseNamed | undefined> {
  const claimed = await claimOutbox(deps.db, outboxId, deps.leaseSeconds);
  if (!claimed) return undefined;
  await sendClaimed(deps, claimed, attempt);
  return { caseId: claimed.case.id, reference: claimed.case.reference };
}

/** The case a job worked on, as its result. */
export interface CaseNamed {
  caseId: number;
  reference: string;
}

export interface DeliveryAttempt {
  /** This is the job's last try: a temporary failure postpones the row instead of retrying the job. */
  lastAttempt: boolean;
  /** The tries a job has: a row tried more often than that (rescheduled by the sweep) gets one try per job. */
  jobAttempts?: number;
  log: Logger;
}

/** Sends a row this process has claimed (deliverOutboxRow, or routing that wrote it claimed) and marks it sent. */
export async function sendClaimed(deps: DeliverWorkerDeps, claimed: ClaimedOutbox, attempt: DeliveryAttempt): Promise<void> {
  const { row } = claimed;
  const log = attempt.log.child({ outboxId: row.id, caseId: row.caseId, channel: row.channel });
  const channel = deps.channels.get(row.channel);
  if (!channel) return giveUp(deps, row, new PermanentError(`no channel ${row.channel} in this process`, 'NO_CHANNEL'), log);

  let receipt: Record<string, unknown>;
  try {
    receipt = { ...(await channel.send(toOutbound(claimed))) };
  } catch (err) {
    if (err instanceof PermanentError) return giveUp(deps, row, err, log);
    const keepTryingMs = await deps.keepTryingMs();
    if (Date.now() - row.createdAt.getTime() >= keepTryingMs) {
      const hours = Math.round(keepTryingMs / 3_600_000);
      return giveUp(deps, row, new PermanentError(`na ${hours} uur nog steeds niet verstuurd: ${errorMessage(err)}`, 'GAVE_UP', { cause: err }), log);
    }
    deps.metrics.deliveryFailures.inc({ channel: row.channel, failure: 'transient' });
    if (attempt.lastAttempt || row.attempts > (attempt.jobAttempts ?? Number.POSITIVE_INFINITY)) {
      const waitMs = retryIntervalMs(row.attempts);
      await postponeOutbox(deps.db, row.id, errorMessage(err), waitMs);
      log.warn({ err, attempts: row.attempts, waitMs }, 'delivery postponed; the sweep tries again');
      throw new UnrecoverableError(errorMessage(err));
    }
    await releaseOutbox(deps.db, row.id, errorMessage(err));
    throw err;
  }
  await deps.sent.mark(row.id, receipt);
  deps.metrics.deliveryLatency.observe({ channel: row.channel, kind: row.kind }, (Date.now() - row.createdAt.getTime()) / 1_000);
  log.info({ kind: row.kind }, 'outbox row sent');
}

async function giveUp(deps: DeliverWorkerDeps, row: ClaimedRow, err: unknown, log: Logger): Promise<never> {
  deps.metrics.deliveryFailures.inc({ channel: row.channel, failure: 'permanent' });
  await failOutbox(deps.db, row.id, errorMessage(err));
  log.error({ err }, 'delivery given up; kept on the case');
  throw new UnrecoverableError(errorMessage(err));
}

function toOutbound({ row, case: owner, thread }: ClaimedOutbox): OutboundMessage {
  const inReplyTo = thread?.messageId;
  return {
    outboxId: row.id,
    kind: row.kind,
    locale: row.locale === 'en' ? 'en' : 'nl',
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    createdAt: row.createdAt,
    case: owner,
    inReplyTo,
    references: [...(thread?.references ?? []), ...(inReplyTo ? [inReplyTo] : [])],
    meta: row.meta,
    attachments: row.attachments,
  };
}
