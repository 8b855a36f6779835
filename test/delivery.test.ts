/**
 * The deliver worker against a real SMTP server (smtp-server) that refuses some
 * recipients, on the real PostgreSQL and Redis: retries, permanent failures, no resends.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';
import { startSmtpSink } from './support/smtp-sink.js';

let loket: TestLoket;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
const refusedOnce = new Set<string>();

beforeAll(async () => {
  smtp = await startSmtpSink((address) => {
    if (address.startsWith('bestaat-niet@')) return 550;
    if (address.startsWith('vol@') && !refusedOnce.has(address)) {
      refusedOnce.add(address);
      return 452;
    }
    return undefined;
  });
  loket = await startTestLoket({ SMTP_URL: smtp.url, WEBFORM_RATE_LIMIT_MAX: '100' });
});

afterAll(async () => {
  await loket?.stop();
  await smtp?.close();
});

const submit = async (email: string) => {
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Test', email, subject: 'Verlof', message: 'Vraag over verlof.' }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { reference: string }).reference;
};

const outboxOf = (reference: string) =>
  loket.db!.query<{ id: string; status: string; attempts: number; last_error: string | null }>(
    'select o.id, o.status, o.attempts, o.last_error from outbox o join cases c on c.id = o.case_id where c.reference = $1',
    [reference],
  );

it('keeps a permanent refusal (5xx) on the outbox row and does not retry it', async () => {
  const reference = await submit('bestaat-niet@example.org');
  const [row] = await waitFor(async () => {
    const rows = await outboxOf(reference);
    return rows[0]?.status === 'failed' && rows;
  }, 'the row to fail');
  expect(row!.attempts).toBe(1);
  expect(row!.last_error).toMatch(/550/);
  // The case page still shows the case; the failure is evidence, not a loss.
  expect(smtp.mails.some((m) => m.raw.includes(reference))).toBe(false);
});

it('retries a temporary refusal (4xx) and then sends once', async () => {
  const reference = await submit('vol@example.org');
  const [row] = await waitFor(
    async () => {
      const rows = await outboxOf(reference);
      return rows[0]?.status === 'sent' && rows;
    },
    'the row to be sent after a retry',
    20_000,
  );
  expect(row!.attempts).toBe(2);
  expect(smtp.mails.filter((m) => m.raw.includes(reference))).toHaveLength(1);
});

it('never sends a row again once it is marked sent, whatever the queue redelivers', async () => {
  const reference = await submit('jan@example.org');
  const [row] = await waitFor(async () => {
    const rows = await outboxOf(reference);
    return rows[0]?.status === 'sent' && rows;
  }, 'the row to be sent');
  const outboxId = Number(row!.id);
  // A stale duplicate job, as a sweep racing a completion could produce.
  await loket.queues.queue('deliver').add('deliver', { outboxId }, { jobId: `again-${outboxId}` });
  await waitFor(async () => (await loket.queues.queue('deliver').getJobState(`again-${outboxId}`)) === 'completed', 'the duplicate job');
  expect(smtp.mails.filter((m) => m.raw.includes(reference))).toHaveLength(1);
});
