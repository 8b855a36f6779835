import { UnrecoverableError, Worker } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../src/db/database.js';
import { outbox } from '../src/db/schema.js';
import type { Metrics } from '../src/metrics.js';
import type { ClaimedOutbox } from '../src/outbox.js';
import type { RoutedMessage } from '../src/channel.js';
import type { RuleSet, TopicGuesser } from '../src/policy/routing.decision.js';
import type { SlaSetting } from '../src/policy/sla.setting.js';
import { routeMessage, type RoutingParts } from '../src/routing/route.js';
import type { ConversationPolicy, RoutingSettings } from '../src/routing/settings.js';
import type { TopicCache } from '../src/topic.store.js';
import type { Queues } from './jobs.js';
import { ROUTE_QUEUE, routeJobSchema, type RouteJob } from './route.queue.js';
import { workerOptions, type WorkerSettings } from './worker.options.js';

/**
 * A message's route has committed: what its channel does next (Channel.afterRoute). Returns
 * outbox rows to send right away, in this job, rather than after another queue hop.
 */
export type AfterRoute = (routed: RoutedMessage) => Promise<(number | ClaimedOutbox)[]>;

export interface RouteWorkerDeps {
  db: Db;
  afterRoute?: AfterRoute;
  /**
   * Sends one outbox row now, in the routing job: a row id (claimed first, as deliverOutboxRow)
   * or a row routing wrote claimed (sendClaimed). What fails here goes to the deliver queue.
   */
  deliverNow?: (row: number | ClaimedOutbox) => Promise<unknown>;
  queues: Queues;
  topics: TopicCache;
  /** The installation's routing settings; topics, rules and the conversation policy are read per job. */
  settings: Pick<RoutingSettings, 'referencePrefix' | 'mailDomain' | 'autoReplyLimit'>;
  /** The admin's rules as they stand, read once per job. */
  rules?: () => Promise<RuleSet>;
  /** The topic classifier as it stands, asked once per job (none: the topics' keywords). */
  guess?: () => Promise<TopicGuesser>;
  /** The contact center's promises as they stand (admin setting `sla.targets`), read once per job. */
  sla?: () => Promise<SlaSetting>;
  parts?: RoutingParts;
  /** The conversation policy as it stands (Channel.conversationPolicy), asked once per job. */
  conversationPolicy?: () => Promise<ConversationPolicy>;
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
      // Automatic replies are sent in this job, not after a hop through the deliver queue.
      const settings: RoutingSettings = {
        ...deps.settings,
        topics: await deps.topics.get(),
        ruleSet: await deps.rules?.(),
        claimReplies: deps.deliverNow !== undefined,
        conversationPolicy: await deps.conversationPolicy?.(),
        guess: await deps.guess?.(),
        sla: await deps.sla?.(),
      };
      const outcome = await routeMessage(deps.db, settings, messageId, deps.parts);
      const log = deps.log.child({ jobId: job.id, messageId });
      switch (outcome.kind) {
        case 'missing':
          throw new UnrecoverableError(`message ${messageId} does not exist`);
        case 'already-routed': {
          // A crash after routing committed may have left its next steps undone.
          const now = (await deps.afterRoute?.({ messageId, caseId: outcome.caseId, channel: outcome.channel })) ?? [];
          await sendNow(deps, now);
          const sent = new Set(now.map((row) => (typeof row === 'number' ? row : row.row.id)));
          await scheduleDelivery(
            deps,
            (await pendingOutboxOf(deps.db, messageId)).filter((id) => !sent.has(id)),
          );
          return;
        }
        case 'routed': {
          deps.metrics.routingLatency.observe({ channel: outcome.channel }, (Date.now() - outcome.storedAt.getTime()) / 1_000);
          log.info({ caseRef: outcome.reference, topic: outcome.topic, newCase: outcome.newCase }, 'message routed');
          const { caseId, channel, topic, conversationId, decided } = outcome;
          // Rows written claimed first: a retry after a failure below would not find them pending.
          await sendNow(deps, outcome.claimed);
          await scheduleDelivery(deps, outcome.outboxIds);
          await sendNow(deps, (await deps.afterRoute?.({ messageId, caseId, channel, topic, conversationId, decided })) ?? []);
          // The job's result names the case (for the workspace's live updates).
          return { caseId, reference: outcome.reference };
        }
      }
    },
    workerOptions(settings),
  );
  worker.on('failed', (job, err) => deps.log.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'route job failed'));
  worker.on('error', (err) => deps.log.error({ err }, 'route worker error'));
  return worker;
}

/** Sends rows in this job; a row that cannot be sent now is left to the deliver queue. */
async function sendNow(deps: RouteWorkerDeps, rows: (number | ClaimedOutbox)[]): Promise<void> {
  for (const row of rows) {
    try {
      if (!deps.deliverNow) throw new Error('no inline delivery in this process');
      await deps.deliverNow(row);
    } catch {
      // deliverNow gave a claimed row back (or failed it for good, which the deliver job then finds).
      await scheduleDelivery(deps, [typeof row === 'number' ? row : row.row.id]);
    }
  }
}

async function scheduleDelivery(deps: RouteWorkerDeps, outboxIds: number[]): Promise<void> {
  await deps.queues.addMany(
    'deliver',
    outboxIds.map((outboxId) => ({ outboxId })),
  );
}

async function pendingOutboxOf(db: Db, messageId: number): Promise<number[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.messageId, messageId), eq(outbox.status, 'pending')));
  return rows.map((row) => row.id);
}
