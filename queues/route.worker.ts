import { UnrecoverableError, Worker } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../src/db/database.js';
import { outbox } from '../src/db/schema.js';
import type { Metrics } from '../src/metrics.js';
import { routeMessage, type RoutingContext } from '../src/routing.js';
import type { TopicCache } from '../src/topic.store.js';
import type { Queues } from './jobs.js';
import { ROUTE_QUEUE, routeJobSchema, type RouteJob } from './route.queue.js';
import { workerOptions, type WorkerSettings } from './worker.options.js';

/** A message's route has committed: what its channel does next (the chat policy), returning outbox rows to deliver. */
export type AfterRoute = (routed: { messageId: number; caseId: number; channel: string }) => Promise<number[]>;

export interface RouteWorkerDeps {
  db: Db;
  afterRoute?: AfterRoute;
  queues: Queues;
  topics: TopicCache;
  context: Omit<RoutingContext, 'topics'>;
  metrics: Metrics;
  log: Logger;
}

/** Routes stored messages; then schedules delivery of what routing wrote to the outbox. */
export function startRouteWorker(deps: RouteWorkerDeps, settings: WorkerSettings): Worker<RouteJob> {
  const worker = new Worker<RouteJob>(
    ROUTE_QUEUE,
    async (job) => {
      const payload = routeJobSchema.safeParse(job.data);
      if (!payload.success) throw new UnrecoverableError(`invalid route payload: ${payload.error.message}`);
      const { messageId } = payload.data;
      const outcome = await routeMessage(deps.db, { ...deps.context, topics: await deps.topics.get() }, messageId);
      const log = deps.log.child({ jobId: job.id, messageId });
      switch (outcome.kind) {
        case 'missing':
          throw new UnrecoverableError(`message ${messageId} does not exist`);
        case 'already-routed': {
          // A crash after routing committed may have left its next steps undone.
          const next = (await deps.afterRoute?.({ messageId, caseId: outcome.caseId, channel: outcome.channel })) ?? [];
          await scheduleDelivery(deps, [...new Set([...(await pendingOutboxOf(deps.db, messageId)), ...next])]);
          return;
        }
        case 'routed': {
          deps.metrics.routingLatency.observe({ channel: outcome.channel }, (Date.now() - outcome.storedAt.getTime()) / 1_000);
          log.info({ caseRef: outcome.reference, topic: outcome.topic, newCase: outcome.newCase }, 'message routed');
          const next = (await deps.afterRoute?.({ messageId, caseId: outcome.caseId, channel: outcome.channel })) ?? [];
          await scheduleDelivery(deps, [...outcome.outboxIds, ...next]);
        }
      }
    },
    workerOptions(settings),
  );
  worker.on('failed', (job, err) => deps.log.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'route job failed'));
  worker.on('error', (err) => deps.log.error({ err }, 'route worker error'));
  return worker;
}

async function scheduleDelivery(deps: RouteWorkerDeps, outboxIds: number[]): Promise<void> {
  await deps.queues.addMany('deliver', outboxIds.map((outboxId) => ({ outboxId })));
}

async function pendingOutboxOf(db: Db, messageId: number): Promise<number[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.messageId, messageId), eq(outbox.status, 'pending')));
  return rows.map((row) => row.id);
}
