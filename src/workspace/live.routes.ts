import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { SESSION_COOKIE } from '../http/access.js';
import type { Logger } from '../logger.js';
import { caseChangesSchema } from './case-changes.js';
import { notificationEventSchema } from './notifications.js';
import { presenceSchema } from './presence.js';
import { KEYS_SCRIPT } from './keys.client.js';
import { LIVE_SCRIPT } from './live.client.js';

export interface WorkspaceLiveOptions {
  /** A connection to duplicate for the subscriber (a subscribed connection can do nothing else). */
  redis: Redis;
  /** caseChangesChannel(prefix): what CaseChangeFeed publishes on. */
  channel: string;
  /** presenceChannel(prefix): who has which case open (PresenceBoard). */
  presenceChannel?: string;
  /** notificationChannel(prefix): notifications, each for one account (Notifier). */
  notificationChannel?: string;
  log: Logger;
  onRedisError: (err: unknown) => void;
  heartbeatSeconds?: number;
  /**
   * A stream ends after this long and the browser reconnects, which checks the session
   * again: a logged-out or expired session stops hearing about cases within this time.
   */
  lifetimeSeconds?: number;
}

/** A client that lets this much pile up unread is dropped; it reconnects and refreshes. */
const MAX_BUFFERED_BYTES = 64 * 1024;

/**
 * Open streams one session may hold (one per tab). One more is refused with 429 rather than
 * closing the oldest: a closed tab's EventSource would reconnect and close the next oldest,
 * round and round. The refused tab's script stops and says to reload.
 */
export const MAX_STREAMS_PER_SESSION = 10;

/** A stream that ended or was cut takes no more writes (its buffer would only grow). */
const writable = (stream: ServerResponse) => !stream.writableEnded && !stream.destroyed;

/** The session (or token) a request came with: what the per-session cap counts by. */
function sessionOf(request: FastifyRequest): string {
  return request.cookies[SESSION_COOKIE] ?? request.headers.authorization ?? `${request.principal?.kind}:${request.principal?.id}`;
}

/**
 * GET /werkplek/live: Server-Sent Events `case:changed {caseId, reference}` and
 * `case:presence {caseId, viewers}` for signed-in agents, and `notification` to its own account only, fed by Redis pub/sub so a change made in any process (web or worker) reaches
 * the agents on every web node. GET /werkplek/live.js: the page script that listens.
 */
export function registerWorkspaceLive(app: FastifyInstance, options: WorkspaceLiveOptions): void {
  const streams = new Set<ServerResponse>();
  /** The account of each stream opened with a person's session (tokens have no notifications). */
  const owners = new Map<ServerResponse, number>();
  const perSession = new Map<string, number>();
  const subscriber = options.redis.duplicate();
  subscriber.on('error', options.onRedisError);
  let readyBefore = false;
  subscriber.on('ready', () => {
    // ioredis subscribes again after a reconnect; what was published meanwhile is lost.
    if (readyBefore) broadcast('resync', {});
    readyBefore = true;
  });
  subscriber.on('message', (channel: string, text: string) => {
    if (channel !== options.channel && channel !== options.presenceChannel && channel !== options.notificationChannel) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return options.log.warn({ err, channel }, 'workspace event not readable');
    }
    if (channel === options.notificationChannel) {
      const notification = notificationEventSchema.safeParse(parsed);
      if (!notification.success) return options.log.warn({ err: notification.error }, 'notification not readable');
      return sendTo(notification.data.accountId, 'notification', notification.data);
    }
    if (channel === options.presenceChannel) {
      const presence = presenceSchema.safeParse(parsed);
      if (!presence.success) return options.log.warn({ err: presence.error }, 'presence not readable');
      return broadcast('case:presence', presence.data);
    }
    const message = caseChangesSchema.safeParse(parsed);
    if (!message.success) return options.log.warn({ err: message.error }, 'case changes not readable');
    for (const change of message.data.changes) broadcast('case:changed', change);
  });
  const channels = [options.channel, options.presenceChannel, options.notificationChannel].filter((name): name is string => !!name);
  const subscribed = subscriber.subscribe(...channels).then(
    () => true,
    (err: unknown) => {
      options.log.error({ err }, 'case changes not subscribed');
      return false;
    },
  );

  function broadcast(event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of streams) write(stream, frame);
  }

  /** One person's streams only: what is theirs alone (a notification). */
  function sendTo(accountId: number, event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const [stream, owner] of owners) if (owner === accountId) write(stream, frame);
  }

  function write(stream: ServerResponse, frame: string): void {
    if (!writable(stream)) return;
    // destroy, not end: end() would keep the unread buffer and the socket until the client read it all.
    if (stream.writableLength > MAX_BUFFERED_BYTES) stream.destroy();
    else stream.write(frame);
  }

  app.addHook('preClose', async () => {
    // Open streams would keep the HTTP server from closing: end them (each closes its
    // connection, see `connection: close` below) and cut what has not closed after a second.
    const open = [...streams];
    const closed = Promise.all(open.map((stream) => new Promise((resolve) => stream.once('close', resolve))));
    for (const stream of open) stream.end();
    if (
      !(await within(
        closed.then(() => true),
        1_000,
      ))
    )
      for (const stream of open) stream.destroy();
  });
  app.addHook('onClose', async () => {
    if (subscriber.status === 'ready') await subscriber.quit().catch(() => undefined);
    subscriber.disconnect();
  });

  app.get('/werkplek/live', { config: { access: 'agent' }, exposeHeadRoute: false }, async (request, reply) => {
    if (!(await within(subscribed, 2_000))) {
      return reply.code(503).header('retry-after', '10').send({ error: 'unavailable', message: 'Automatisch bijwerken is nu niet beschikbaar.' });
    }
    const session = sessionOf(request);
    const open = perSession.get(session) ?? 0;
    if (open >= MAX_STREAMS_PER_SESSION) {
      return reply
        .code(429)
        .header('retry-after', '60')
        .send({ error: 'too-many-streams', message: 'Er staan te veel tabbladen van Loket open. Sluit er een paar en laad deze pagina opnieuw.' });
    }
    perSession.set(session, open + 1);
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // Proxies (nginx) must pass events on at once.
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      // A stream's connection is never reused: ending the stream closes it, so shutdown need not wait for keep-alive.
      connection: 'close',
    });
    stream.write('retry: 3000\n\n');
    streams.add(stream);
    if (request.principal?.kind === 'user') owners.set(stream, request.principal.id);
    const heartbeat = setInterval(
      () => {
        if (writable(stream)) stream.write(': \n\n');
      },
      (options.heartbeatSeconds ?? 25) * 1_000,
    );
    const lifetime = setTimeout(() => stream.end(), (options.lifetimeSeconds ?? 300) * 1_000);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      streams.delete(stream);
      owners.delete(stream);
      const left = (perSession.get(session) ?? 1) - 1;
      if (left > 0) perSession.set(session, left);
      else perSession.delete(session);
    };
    stream.once('close', release);
    // The client may have gone while the session was checked: its 'close' has been and gone.
    if (request.raw.socket.destroyed) release();
    request.log.debug({ streams: streams.size }, 'workspace live stream opened');
  });

  app.get('/werkplek/live.js', { config: { access: 'agent' } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'private, no-cache').send(LIVE_SCRIPT),
  );
  app.get('/werkplek/keys.js', { config: { access: 'agent' } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'private, no-cache').send(KEYS_SCRIPT),
  );
}

async function within(promise: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
