import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { closeCaseAutomatically } from '../../src/case.store.js';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../../src/db/database.js';
import type { Intake } from '../../src/intake.js';
import type { TopicCache } from '../../src/topic.store.js';
import type { CallbackRequest, Channel, OutboundMessage, Receipt, RoutedMessage } from '../../src/channel.js';
import { insertCallbackRequest, openCallbackRequest } from './callback.store.js';
import { registerCallLogRoutes } from './call-log.routes.js';
import { registerCallbackPage } from './callback.page.js';
import { registerTelephonyRoutes } from './telephony.routes.js';

export interface PhoneChannelOptions {
  /** Present in processes that receive (web, all); the routes are registered on start. */
  app?: FastifyInstance;
  db: Db;
  topics: TopicCache;
  /** For the telephony replay check; needed where the routes are registered. */
  redis?: Redis;
  /** The app's QUEUE_PREFIX: seen signatures live under it. */
  namespace: string;
  telephonySecret: string | undefined;
  log: Logger;
}

/**
 * The phone channel. Calls come in as agents log them (form, API) and as telephony
 * events; an answer on this channel is a call-back task: sending it records nothing
 * outside Loket, and the outbox row marked sent is the open task an agent picks up.
 */
export class PhoneChannel implements Channel {
  readonly name = 'phone' as const;

  constructor(private readonly options: PhoneChannelOptions) {}

  async start(intake: Intake): Promise<void> {
    const { app, db, topics, redis, namespace, telephonySecret, log } = this.options;
    if (!app || !redis) throw new Error('the phone channel needs the HTTP app and Redis to receive');
    registerCallLogRoutes(app, { db, intake, topics });
    registerCallbackPage(app, db);
    await registerTelephonyRoutes(app, { db, intake, redis, namespace, secret: telephonySecret, log: log.child({ channel: 'phone' }) });
    if (!telephonySecret) log.warn({ channel: 'phone' }, 'TELEPHONY_SECRET unset; telephony events are refused');
  }

  /**
   * A call logged with "terugbellen" is on the call-back list as soon as it has its case. A
   * call answered or referred on the phone, with no call-back asked, that opened a case of its
   * own, is settled: its case closes (a follow-up call on a case leaves that case to the agent).
   */
  async afterRoute(routed: RoutedMessage): Promise<number[]> {
    await openCallbackRequest(this.options.db, routed.messageId);
    await closeCaseAutomatically(
      this.options.db,
      routed.caseId,
      'call-settled',
      sql`exists (select 1 from messages m where m.id = ${routed.messageId} and m.case_id = cases.id
                    and m.meta->>'outcome' in ('beantwoord', 'doorverwezen') and not coalesce((m.meta->>'callback')::boolean, false))
          and not exists (select 1 from messages o where o.case_id = cases.id and o.id <> ${routed.messageId})
          and not exists (select 1 from audit a where a.entity = 'case' and a.entity_id = cases.reference and a.action = 'case.reopen')`,
    );
    return [];
  }

  requestCallback(request: CallbackRequest): Promise<number | undefined> {
    return insertCallbackRequest(this.options.db, request);
  }

  async send(out: OutboundMessage): Promise<Receipt> {
    return { channel: 'phone', at: new Date().toISOString(), callbackTask: true, number: out.recipient.phone ?? null };
  }

  async stop(): Promise<void> {}
}
