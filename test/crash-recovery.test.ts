/**
 * Worker processes that die. Real: PostgreSQL (a database per test), Redis (a queue
 * prefix per test), an SMTP server (smtp-server) in this process, Loket ROLE=web in
 * this process taking the form messages over HTTP, and Loket ROLE=worker as separate
 * operating-system processes that the tests SIGKILL and SIGTERM.
 */
import { afterEach, expect, it } from 'vitest';
import { mailDomainOf } from '../src/main.js';
import { outboxMessageId } from '../src/outbox.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { REDIS_URL } from './support/prefixes.js';
import { waitFor } from './support/wait.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { startLoketProcess, type LoketProcess } from './support/worker-process.js';

type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

const SHUTDOWN_TIMEOUT_SECONDS = 10;
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** A web process (this one) with a database and queue prefix of its own, and an SMTP sink. */
async function setup(): Promise<{ web: TestLoket; smtp: Sink; startWorker(env?: Record<string, string>): LoketProcess }> {
  const smtp = await startSmtpSink();
  cleanups.push(() => smtp.close());
  const web = await startTestLoket({ ROLE: 'web', WEBFORM_RATE_LIMIT_MAX: '100000' });
  cleanups.push(() => web.stop());
  const startWorker = (env: Record<string, string> = {}) => {
    const worker = startLoketProcess({
      ROLE: 'worker',
      DATABASE_URL: web.db!.url,
      REDIS_URL,
      QUEUE_PREFIX: web.config.QUEUE_PREFIX,
      SMTP_URL: smtp.url,
      DATA_DIR: web.dataDir,
      DATABASE_POOL_SIZE: '10',
      JOB_LOCK_SECONDS: '2',
      OUTBOX_LEASE_SECONDS: '8',
      SWEEP_SECONDS: '1',
      SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS),
      ...env,
    });
    cleanups.push(() => worker.kill('SIGKILL'));
    return worker;
  };
  return { web, smtp, startWorker };
}

/** Posts n form messages through the HTTP API, a few at a time; every one must get 202. */
async function postMessages(web: TestLoket, n: number, parallel = 25): Promise<void> {
  let next = 0;
  const post = async () => {
    for (let i = next++; i < n; i = next++) {
      const response = await fetch(`${web.url}/api/v1/webform`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `Medewerker ${i}`,
          email: `medewerker.${i}@example.org`,
          subject: `Vraag ${i} over mijn verlof`,
          message: 'Hoeveel verlofuren heb ik nog over dit jaar?',
        }),
      });
      expect(response.status, await response.text()).toBe(202);
    }
  };
  await Promise.all(Array.from({ length: parallel }, post));
}

interface Progress {
  routed: number;
  sending: number;
  sent: number;
}

async function progress(web: TestLoket): Promise<Progress> {
  const [row] = await web.db!.query<{ routed: string; sending: string; sent: string }>(
    `select (select count(*) from messages where routed_at is not null) as routed,
            (select count(*) from outbox where status = 'sending') as sending,
            (select count(*) from outbox where status = 'sent') as sent`,
  );
  return { routed: Number(row!.routed), sending: Number(row!.sending), sent: Number(row!.sent) };
}

/** Waits until all n are routed and sent; on a timeout says how far it got and why. */
async function waitUntilAllDone(web: TestLoket, n: number, worker: LoketProcess, timeoutMs: number): Promise<void> {
  try {
    await waitFor(
      async () => {
        if (worker.child.exitCode !== null) throw new Error(`the worker exited early:\n${worker.output()}`);
        const now = await progress(web);
        return now.routed === n && now.sent === n && now;
      },
      'all messages routed and acknowledged after the restart',
      timeoutMs,
      100,
    );
  } catch (err) {
    const stuck = await web.db!.query(`select id, status, attempts, claimed_at, last_error from outbox where status <> 'sent' order by id limit 10`);
    const jobs = await Promise.all(web.queues.all().map(async (q) => [q.name, await q.getJobCounts()]));
    throw new Error(
      `${String(err)}\nprogress: ${JSON.stringify(await progress(web))}\nunsent rows: ${JSON.stringify(stuck)}\n` +
        `jobs: ${JSON.stringify(jobs)}\nworker output:\n${worker.output()}`,
      { cause: err },
    );
  }
}

/** How many times each Message-ID reached the SMTP server. */
function deliveriesByMessageId(smtp: Sink): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of smtp.mails) {
    const id = mail.messageId ?? '(none)';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Every message routed into a case of its own, with one acknowledgement row, sent. */
async function expectEveryMessageRoutedAndAcknowledged(web: TestLoket, smtp: Sink, n: number): Promise<Map<string, number>> {
  const [counts] = await web.db!.query<{ messages: string; routed: string; cases: string; refs: string }>(
    `select (select count(*) from messages) as messages,
            (select count(*) from messages where routed_at is not null and case_id is not null) as routed,
            (select count(*) from cases) as cases,
            (select count(distinct reference) from cases) as refs`,
  );
  expect(counts).toEqual({ messages: String(n), routed: String(n), cases: String(n), refs: String(n) });

  const rows = await web.db!.query<{ id: string; status: string; message_id: string }>(
    `select id, status, message_id from outbox where kind = 'acknowledgement' order by id`,
  );
  expect(rows).toHaveLength(n);
  expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
  expect(new Set(rows.map((row) => row.message_id)).size).toBe(n);

  const domain = mailDomainOf(web.config.MAIL_FROM);
  const expected = rows.map((row) => outboxMessageId(Number(row.id), domain)).sort();
  const deliveries = deliveriesByMessageId(smtp);
  expect([...deliveries.keys()].sort()).toEqual(expected);
  return deliveries;
}

const outboxIdOf = (messageId: string) => Number(/^<loket\.outbox\.(\d+)@/.exec(messageId)?.[1]);

it('routes and acknowledges all 1,000 messages after a worker is SIGKILLed halfway, resending only mails in flight at the kill', async () => {
  const n = 1_000;
  const { web, smtp, startWorker } = await setup();
  const started = Date.now();
  await postMessages(web, n);
  const posted = Date.now();

  const first = startWorker();
  // Kill while routing is well under way and, if we catch it, while mails are being sent.
  const atKill = await waitFor(
    async () => {
      if (first.child.exitCode !== null) throw new Error(`the worker exited early:\n${first.output()}`);
      const now = await progress(web);
      return now.routed >= 400 && (now.sending > 0 || now.routed >= 800) && now;
    },
    'the first worker to be halfway',
    60_000,
    5,
  );
  const killed = await first.kill('SIGKILL');
  expect(killed.signal).toBe('SIGKILL');

  // Rows claimed by the dead worker: their mail may or may not have reached SMTP.
  const inFlight = new Set((await web.db!.query<{ id: string }>(`select id from outbox where status = 'sending'`)).map((row) => Number(row.id)));
  const afterKill = await progress(web);
  expect(afterKill.routed, 'killed before all were routed').toBeLessThan(n);
  expect(afterKill.routed, 'killed after some were routed').toBeGreaterThan(0);
  const mailsAtKill = smtp.mails.length;

  const second = startWorker();
  await waitUntilAllDone(web, n, second, 60_000);
  const done = Date.now();

  const deliveries = await expectEveryMessageRoutedAndAcknowledged(web, smtp, n);
  const duplicates = [...deliveries].filter(([, count]) => count > 1);
  expect(Math.max(...deliveries.values()), 'no mail sent more than twice').toBeLessThanOrEqual(2);
  expect(
    duplicates.map(([id]) => outboxIdOf(id)).filter((outboxId) => !inFlight.has(outboxId)),
    'only rows in flight at the kill are sent twice',
  ).toEqual([]);

  const stopped = await second.kill('SIGTERM');
  expect(stopped.code, second.output()).toBe(0);

  console.log(
    `crash recovery: ${n} posted in ${posted - started} ms; killed at ${atKill.routed} routed / ${afterKill.sent} sent ` +
      `(${mailsAtKill} mails at SMTP, ${inFlight.size} rows in flight); all done ${done - posted} ms after posting; ` +
      `${duplicates.length} mail(s) delivered twice`,
  );
}, 150_000);

it('a worker given SIGTERM while busy finishes what it holds, exits 0 within the shutdown timeout, and a restart completes the rest exactly once', async () => {
  const n = 400;
  const { web, smtp, startWorker } = await setup();
  await postMessages(web, n);

  const first = startWorker();
  await waitFor(
    async () => {
      if (first.child.exitCode !== null) throw new Error(`the worker exited early:\n${first.output()}`);
      const now = await progress(web);
      return now.routed >= 50 && now;
    },
    'the first worker to be busy',
    60_000,
    5,
  );
  const signalled = Date.now();
  const stopped = await first.kill('SIGTERM');
  const shutdownMs = Date.now() - signalled;
  expect(stopped, first.output()).toEqual({ code: 0, signal: null });
  expect(shutdownMs).toBeLessThan(SHUTDOWN_TIMEOUT_SECONDS * 1_000);

  const afterStop = await progress(web);
  expect(afterStop.routed, 'still busy when told to stop').toBeLessThan(n);
  expect(afterStop.sending, 'a graceful stop leaves no mail half-sent').toBe(0);
  const queues = web.queues.all();
  const active = Object.fromEntries(await Promise.all(queues.map(async (queue) => [queue.name, await queue.getActiveCount()] as const)));
  expect(active, 'a graceful stop leaves no job for the stall detector').toEqual(Object.fromEntries(queues.map((queue) => [queue.name, 0])));

  const second = startWorker();
  await waitUntilAllDone(web, n, second, 60_000);
  const deliveries = await expectEveryMessageRoutedAndAcknowledged(web, smtp, n);
  expect(
    [...deliveries].filter(([, count]) => count > 1),
    'no mail sent twice',
  ).toEqual([]);
  expect((await second.kill('SIGTERM')).code).toBe(0);

  console.log(`graceful stop: SIGTERM at ${afterStop.routed} of ${n} routed; exited 0 after ${shutdownMs} ms`);
}, 120_000);
