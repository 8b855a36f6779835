import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../../src/db/database.js';
import type { Intake } from '../../src/intake.js';
import { applyCallEvent, earlierCases, findCall } from './call.store.js';
import { callIdSchema, telephonyEventSchema } from './phone.schema.js';
import { T } from './phone.texts.js';
import { checkTelephonySignature, firstSighting, forgetSighting } from './telephony.signature.js';
import { logUnloggedCall } from './unlogged-call.js';

export interface TelephonyRouteOptions {
  db: Db;
  intake: Intake;
  /** Where seen signatures are remembered (replay protection across web processes). */
  redis: Redis;
  namespace: string;
  /** Unset: events are refused with 503, saying what to configure. */
  secret: string | undefined;
  log: Logger;
}

/** The largest event body we read: events are a few hundred bytes. */
const EVENT_BODY_LIMIT = 16 * 1024;

/**
 * POST /api/v1/telephony/events (signed by the platform, so 'public' to the session check)
 * and GET /api/v1/calls/:callId for agents. The events route sits in a plugin of its own
 * whose only body parser keeps the raw bytes: the signature is over exactly those.
 */
export async function registerTelephonyRoutes(app: FastifyInstance, options: TelephonyRouteOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: EVENT_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.post('/api/v1/telephony/events', { config: { access: 'public' }, bodyLimit: EVENT_BODY_LIMIT }, (request, reply) =>
      receiveEvent(options, request, reply),
    );
  });

  app.get('/api/v1/calls/:callId', { config: { access: 'agent' } }, async (request, reply) => {
    const callId = callIdSchema.safeParse((request.params as { callId?: string }).callId);
    const call = callId.success ? await findCall(options.db, callId.data) : undefined;
    if (!call) return reply.code(404).send({ error: 'not_found', message: T.callNotFound });
    const cases = call.callerNumber ? await earlierCases(options.db, call.callerNumber, call.startedAt) : [];
    return reply.send({ call, earlierCases: cases });
  });
}

async function receiveEvent(options: TelephonyRouteOptions, request: FastifyRequest, reply: FastifyReply) {
  if (!options.secret) return reply.code(503).send({ error: 'telephony_unconfigured', message: T.telephonyUnconfigured });
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const signature = header(request, 'x-loket-signature');
  const check = checkTelephonySignature(options.secret, { timestamp: header(request, 'x-loket-timestamp'), signature }, raw);
  if (check !== 'ok') return refuse(request, reply, check);

  let first: boolean;
  try {
    first = await firstSighting(options.redis, options.namespace, signature!);
  } catch (err) {
    // Fail closed: without the replay check we cannot tell a replay from a first sighting.
    request.log.error({ err }, 'telephony replay check failed');
    return reply.code(503).send({ error: 'unavailable', message: T.telephonyUnavailable });
  }
  if (!first) return refuse(request, reply, 'replay');

  const event = telephonyEventSchema.safeParse(parseJson(raw));
  if (!event.success) {
    const fields = Object.fromEntries(event.error.issues.map((issue) => [String(issue.path[0] ?? 'body'), issue.message]));
    return reply.code(400).send({ error: 'invalid_input', message: T.telephonyInvalid, fields });
  }
  try {
    const call = await applyCallEvent(options.db, event.data);
    const logged = event.data.type === 'hangup' && call.messageId === null ? await logUnloggedCall(options, call) : undefined;
    request.log.info({ channel: 'phone', callId: call.callId, event: event.data.type }, 'telephony event recorded');
    return reply.send({ callId: call.callId, state: call.state, ...(logged ? { messageId: logged, toComplete: true } : {}) });
  } catch (err) {
    // Not recorded: let the platform's retry of this very request through.
    await forgetSighting(options.redis, options.namespace, signature!).catch((forgetErr: unknown) =>
      request.log.warn({ err: forgetErr }, 'seen telephony signature not forgotten; a retry needs a fresh signature'),
    );
    throw err;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function refuse(request: FastifyRequest, reply: FastifyReply, reason: string) {
  request.log.warn({ channel: 'phone', reason }, 'telephony event refused');
  return reply.code(401).send({ error: 'unauthorized', message: T.telephonyUnauthorized });
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined; // reported as an invalid event by the schema
  }
}
