/**
 * Redis loses everything, or is away. Real: a redis-server of this file's own (so FLUSHALL
 * and stopping it touch no other test), PostgreSQL (a database per test), BullMQ workers,
 * HTTP, and an SMTP server (smtp-server). PostgreSQL is the truth; the sweep puts back
 * into Redis what it lost.
 */
import { afterEach, expect, it } from 'vitest';
import { mailDomainOf } from '../src/main.js';
import { outboxMessageId } from '../src/outbox.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';
import { createTestDatabase } from './support/postgres.js';
import { startPrivateRedis, type PrivateRedis } from './support/redis-server.js';
import { startSmtpSink } from './support/smtp-sink.js';

type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await Promise.race([cleanup(), new Promise((resolve) => setTimeout(resolve, 15_000))]).catch(() => undefined);
  }
});

interface Setup {
  redis: PrivateRedis;
  smtp: Sink;
  web: TestLoket;
  startWorker(): Promise<TestLoket>;
}

/** A private Redis, an SMTP sink, a database, and Loket ROLE=web on them (no workers yet). */
async function setup(): Promise<Setup> {
  const redis = await startPrivateRedis();
  cleanups.push(() => redis.close());
  const smtp = await startSmtpSink();
  cleanups.push(() => smtp.close());
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const web = await startTestLoket({ ROLE: 'web', REDIS_URL: redis.url, WEBFORM_RATE_LIMIT_MAX: '100000', DATABASE_POOL_SIZE: '5' }, { database });
  cleanups.push(() => web.stop());
  const startWorker = async () => {
    const worker = await startTestLoket(
      { ROLE: 'worker', REDIS_URL: redis.url, QUEUE_PREFIX: web.config.QUEUE_PREFIX, SMTP_URL: smtp.url, SWEEP_SECONDS: '1', DATABASE_POOL_SIZE: '5' },
      { database },
    );
    cleanups.push(() => worker.stop());
    // Runs first: closing Loket needs its Redis, also after a test that failed with it stopped.
    cleanups.push(() => redis.start());
    return worker;
  };
  return { redis, smtp, web, startWorker };
}

async function post(web: TestLoket, i: number, timeoutMs = 10_000): Promise<Response> {
  return fetch(`${web.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `Medewerker ${i}`,
      email: `medewerker.${i}@example.org`,
      subject: `Vraag ${i} over mijn declaratie`,
      message: 'Mijn declaratie van vorige maand is nog niet uitbetaald.',
    }),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

async function postAccepted(web: TestLoket, i: number): Promise<string> {
  const response = await post(web, i);
  expect(response.status).toBe(202);
  return ((await response.json()) as { reference: string }).reference;
}

const count = async (web: TestLoket, sql: string) => Number((await web.db!.query<{ n: string }>(sql))[0]!.n);

/** All n messages routed into n cases and n acknowledgements sent, each mail exactly once. */
async function expectAllRoutedAndAcknowledgedOnce(web: TestLoket, smtp: Sink, n: number): Promise<void> {
  await waitFor(
    async () =>
      (await count(web, `select count(*) as n from messages where routed_at is not null`)) === n &&
      (await count(web, `select count(*) as n from outbox where status = 'sent'`)) === n,
    `${n} messages routed and acknowledged`,
    30_000,
  );
  expect(await count(web, 'select count(*) as n from cases')).toBe(n);
  expect(await count(web, 'select count(distinct reference) as n from cases')).toBe(n);
  const rows = await web.db!.query<{ id: string; status: string }>(`select id, status from outbox where kind = 'acknowledgement' order by id`);
  expect(rows.map((row) => row.status)).toEqual(Array(n).fill('sent'));
  const domain = mailDomainOf(web.config.MAIL_FROM);
  const expected = rows.map((row) => outboxMessageId(Number(row.id), domain)).sort();
  expect(smtp.mails.map((mail) => mail.messageId).sort(), 'every acknowledgement mailed exactly once').toEqual(expected);
}

it('recovers every message from PostgreSQL when Redis is flushed after intake and before routing', async () => {
  const n = 50;
  const { redis, smtp, web, startWorker } = await setup();
  await Promise.all(Array.from({ length: n }, (_, i) => postAccepted(web, i)));
  await waitFor(async () => (await web.queues.queue('route').getWaitingCount()) === n, 'intake to schedule every message');

  await redis.client.flushall();
  expect(await redis.client.dbsize(), 'Redis lost everything').toBe(0);
  expect(await count(web, 'select count(*) as n from messages where routed_at is null')).toBe(n);

  await startWorker();
  await expectAllRoutedAndAcknowledgedOnce(web, smtp, n);
});

it('accepts a form message with 202 while Redis is down, and the sweep routes it once Redis is back', async () => {
  const { redis, smtp, web, startWorker } = await setup();
  await startWorker();
  const before = await postAccepted(web, 0);
  await waitFor(
    async () => (await count(web, `select count(*) as n from outbox where status = 'sent'`)) === 1,
    'the first message acknowledged while Redis is up',
  );

  await redis.stop();
  const started = Date.now();
  const response = await post(web, 1);
  expect(response.status, 'the message is safe in PostgreSQL').toBe(202);
  expect(Date.now() - started, 'the sender is not kept waiting for Redis').toBeLessThan(5_000);
  const { reference } = (await response.json()) as { reference: string };
  expect(reference).not.toBe(before);
  const [stored] = await web.db!.query<{ routed_at: Date | null }>('select routed_at from messages where reference = $1', [reference]);
  expect(stored).toEqual({ routed_at: null });

  // The web process goes away before Redis returns, and with it the route job it still
  // meant to add: only the sweep, reading PostgreSQL, can bring the message to a worker.
  await web.stop();
  await redis.start();
  await expectAllRoutedAndAcknowledgedOnce(web, smtp, 2);
  const [kase] = await web.db!.query<{ reference: string }>('select c.reference from messages m join cases c on c.id = m.case_id where m.reference = $1', [
    reference,
  ]);
  expect(kase).toEqual({ reference });
});
