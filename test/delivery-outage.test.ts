/**
 * A temporary failure never ends an answer: it is tried again, at most a quarter of an hour
 * apart, for as long as the admin setting says, and only then handed to a person.
 * Real: an SMTP server (smtp-server) that answers 452 during its "outage", PostgreSQL (a
 * database of its own), Redis, BullMQ's deliver worker and Loket's sweep.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { retryIntervalMs } from '../queues/deliver.worker.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
const away = new Set<string>();

beforeAll(async () => {
  smtp = await startSmtpSink((address) => (away.has(address) ? 452 : undefined));
  // Two tries per job, so the job runs out at once; a sweep every second.
  loket = await startTestLoket({ SMTP_URL: smtp.url, JOB_ATTEMPTS: '2', SWEEP_SECONDS: '1', WEBFORM_RATE_LIMIT_MAX: '100' });
});

afterAll(async () => {
  await loket?.stop();
  await smtp?.close();
});

type Row = {
  id: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
};

const ackOf = async (reference: string) =>
  (
    await loket.db!.query<Row>(
      `select o.id, o.status, o.attempts, o.next_attempt_at, o.last_error from outbox o join cases c on c.id = o.case_id
      where c.reference = $1 and o.kind = 'acknowledgement'`,
      [reference],
    )
  )[0];

const postponed = (reference: string) =>
  waitFor(
    async () => {
      const row = await ackOf(reference);
      return row && row.status === 'pending' && row.next_attempt_at && row.attempts >= 2 ? row : undefined;
    },
    'the acknowledgement to be postponed after its job ran out of tries',
    30_000,
  );

it('waits, when its job has no tries left, instead of failing; and is sent once the mail server is back', async () => {
  away.add('storing@example.org');
  const reference = await postWebform(loket.url, { name: 'Kim', email: 'storing@example.org', subject: 'Verlof', message: 'Een vraag over verlof.' });
  const row = await postponed(reference);
  expect(row.last_error).toMatch(/452/);

  away.delete('storing@example.org');
  await waitFor(async () => (await ackOf(reference))?.status === 'sent' || undefined, 'the acknowledgement to be sent after the outage', 30_000);
  expect(smtp.mails.filter((mail) => mail.to.includes('storing@example.org'))).toHaveLength(1);
});

it("gives up only after the admin's keep-trying time, and then flags the case for a person", async () => {
  away.add('lang-weg@example.org');
  const reference = await postWebform(loket.url, { name: 'Joost', email: 'lang-weg@example.org', subject: 'Salaris', message: 'Een vraag over salaris.' });
  const row = await postponed(reference);
  // As if the outage had lasted four days (the default keeps trying for three).
  await loket.db!.query(`update outbox set created_at = now() - interval '4 days', next_attempt_at = now() where id = $1`, [row.id]);

  const failed = await waitFor(
    async () => {
      const current = await ackOf(reference);
      return current?.status === 'failed' ? current : undefined;
    },
    'the acknowledgement to be given up',
    30_000,
  );
  expect(failed.last_error).toMatch(/72 uur/);
  const [flagged] = await loket.db!.query<{ attention: string }>(`select attention from cases where reference = $1`, [reference]);
  expect(flagged!.attention).toBe('delivery-failed');
});

it('tries again at most a quarter of an hour apart', () => {
  expect([1, 2, 5, 10, 11, 40].map(retryIntervalMs)).toEqual([2_000, 4_000, 32_000, 900_000, 900_000, 900_000]);
});
