/**
 * Redis away: nobody waits for it. Form messages are stored and answered at once (the rate
 * limit fails open), /readyz answers within its budget, and a chat visitor whose line cannot
 * be passed on yet is told so at once, the line kept.
 * Real: a redis-server of the test's own (stopped by the test), PostgreSQL, socket.io, HTTP.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OPEN_CLOCK, visitor, type RecordingSocket } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { startPrivateRedis, type PrivateRedis } from './support/redis-server.js';
import { waitFor } from './support/wait.js';

let redis: PrivateRedis;
let loket: TestLoket;
const sockets: RecordingSocket[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  loket = await startTestLoket({ REDIS_URL: redis.url, WEBFORM_RATE_LIMIT_MAX: '5', CHAT_RATE_LIMIT: '100' }, { clock: OPEN_CLOCK });
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await redis?.start(); // closing Loket wants its Redis
  await loket?.stop();
  await redis?.close();
});

const post = (i: number) =>
  fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Medewerker ${i}`, email: `m${i}@example.org`, subject: 'Verlof', message: `Vraag ${i}.` }),
    signal: AbortSignal.timeout(15_000),
  });

it('keeps a chat visitor informed while Redis is away, and keeps the line', async () => {
  const jan = await visitor(loket.url);
  sockets.push(jan);
  const { conversationId } = await jan.call<{ conversationId: string }>('chat:start', { name: 'Jan', topic: 'inloggen' });
  await redis.stop();

  const ack = await jan.call<{ ok: boolean; delayed?: boolean }>('chat:message', { clientId: 'j1', text: 'Ik kan niet inloggen.' });
  expect(ack).toEqual({ ok: true, delayed: true });
  const notice = await jan.next<{ from: string; text: string }>('chat:message', (m) => m.from === 'system');
  expect(notice.text).toMatch(/storing/);
  const stored = await loket.db!.query(`select id from messages where thread->>'conversationId' = $1`, [conversationId]);
  expect(stored).toHaveLength(1);

  // A new visitor can still start: the start limit does not wait for Redis (call gives up after 5 s).
  const kees = await visitor(loket.url);
  sockets.push(kees);
  expect(await kees.call('chat:start', { name: 'Kees', topic: 'inloggen' })).toMatchObject({ ok: true });
  await redis.start();
  await waitFor(
    async () => {
      const [row] = await loket.db!.query<{ n: string }>(`select count(*) as n from messages where routed_at is null`);
      return Number(row!.n) === 0 || undefined;
    },
    'the line to be routed after Redis came back',
    30_000,
  );
});

it('stores and answers form messages at once while Redis is away, beyond the rate limit, and /readyz says so within its budget', async () => {
  await redis.stop();
  const started = Date.now();
  const statuses: number[] = [];
  // Ten, twice the rate limit: the limit cannot be counted without Redis, so it lets them through.
  for (let i = 0; i < 10; i++) statuses.push((await post(i)).status);
  const elapsed = Date.now() - started;
  expect(statuses).toEqual(Array(10).fill(202));
  // Each waited 2 to 12 s for Redis before; now none waits for it (a wide margin for slow machines).
  expect(elapsed).toBeLessThan(8_000);

  const readyStarted = Date.now();
  const ready = await fetch(`${loket.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(((await ready.json()) as { checks: Record<string, string> }).checks['redis']).not.toBe('ok');
  expect(Date.now() - readyStarted).toBeLessThan(2_000);

  // Nothing answered 202 is lost: once Redis is back, every message is routed.
  await redis.start();
  await waitFor(
    async () => {
      const [row] = await loket.db!.query<{ n: string }>(`select count(*) as n from messages where routed_at is null`);
      return Number(row!.n) === 0 || undefined;
    },
    'every message to be routed after Redis came back',
    30_000,
  );
});
