/**
 * Retention (issue 20): closed cases past their kind's period lose their personal data in the
 * worker's round; the dry run shows beforehand what would go; cases within their period, and
 * complaints (a longer period), keep theirs; what reports count stays.
 * Real: HTTP with sessions, PostgreSQL, Redis, the workers.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { createLogger } from '../src/logger.js';
import { DEFAULT_RETENTION } from '../src/policy/retention.setting.js';
import { retentionRound } from '../src/privacy/retention.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let admin: Session;
let anna: Session;

const query = <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => loket.db!.query<Row>(text, params);
const routed = (reference: string) =>
  waitFor(async () => (await query(`select 1 from cases where reference = $1`, [reference])).length === 1, `case ${reference}`);

async function form(name: string, extra: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}@example.org`, subject: `Vraag van ${name}`, message: `${name} vraagt iets.`, ...extra }),
  });
  const { reference } = (await response.json()) as { reference: string };
  await routed(reference);
  return reference;
}

const closeMonthsAgo = (reference: string, months: number) =>
  query(`update cases set status = 'closed', closed_at = now() - make_interval(months => $2::int, days => 1) where reference = $1`, [reference, months]);

beforeAll(async () => {
  // The complaint clock every second, so the complaint is registered at once.
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', SLA_SWEEP_SECONDS: '1' });
  await createUser(loket.database.db, { email: 'beheer@example.org', name: 'Beheer', role: 'admin', password: PASSWORD });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  admin = await loginAs(loket.url, 'beheer@example.org');
  anna = await loginAs(loket.url, 'anna@example.org');
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

it('removes the personal data of closed cases past their period, shows it first in a dry run, and keeps the rest', async () => {
  const old = await form('Oudje');
  const recent = await form('Recentje');
  const complaint = await form('Klager', { topic: 'klacht' });
  await waitFor(
    async () => (await query(`select 1 from complaints k join cases c on c.id = k.case_id where c.reference = $1`, [complaint])).length === 1,
    'the complaint',
  );
  const call = await fetch(`${loket.url}/api/v1/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: anna.cookie, 'x-csrf-token': anna.csrfToken },
    body: JSON.stringify({ phone: '+31 6 7777 8888', callerName: 'Beller', summary: 'Beller vroeg iets.', outcome: 'beantwoord' }),
  });
  const { reference: called } = (await call.json()) as { reference: string };
  await routed(called);
  // A question 13 months closed (12 kept), one 11 months, a complaint 13 months (24 kept), a call 7 months (6 kept).
  await closeMonthsAgo(old, 13);
  await closeMonthsAgo(recent, 11);
  await closeMonthsAgo(complaint, 13);
  await closeMonthsAgo(called, 7);

  const dryRun = await (await fetch(`${loket.url}/admin/bewaartermijnen/proefdraai`, { headers: { cookie: admin.cookie } })).text();
  expect(dryRun).toMatch(new RegExp(`<tr data-kind="question"><td>Vragen \\(mail en formulier\\)</td><td>1</td><td>${old}</td></tr>`));
  expect(dryRun).toMatch(new RegExp(`<tr data-kind="call"><td>Telefoongesprekken</td><td>1</td><td>${called}</td></tr>`));
  expect(dryRun).not.toContain(recent);
  expect(dryRun).not.toContain(complaint);
  // A dry run removes nothing.
  expect((await query<{ erased_at: Date | null }>(`select erased_at from cases where reference = $1`, [old]))[0]!.erased_at).toBeNull();
  expect((await fetch(`${loket.url}/admin/bewaartermijnen/proefdraai`, { headers: { cookie: anna.cookie } })).status).toBe(403);

  const before = await query<{ n: string }>(`select count(*) as n from cases`);
  // Three workers' rounds at once: one erases (and audits) each batch, the others find it taken or done.
  const round = () =>
    retentionRound({
      db: loket.database.db,
      periods: async () => DEFAULT_RETENTION,
      emlDir: `${loket.dataDir}/outbox`,
      clock: () => new Date(),
      log: createLogger('silent'),
    });
  const rounds = await Promise.all([round(), round(), round()]);
  expect(rounds.map((r) => r.retentionErased).sort()).toEqual([0, 0, 2]);

  const state = await query<{ reference: string; erased: boolean; sender: Record<string, unknown>; text: string }>(
    `select c.reference, c.erased_at is not null as erased, c.sender, (select string_agg(m.text, '') from messages m where m.case_id = c.id) as text
       from cases c where c.reference = any($1)`,
    [[old, recent, complaint, called]],
  );
  const of = (reference: string) => state.find((row) => row.reference === reference)!;
  expect(of(old)).toMatchObject({ erased: true, sender: {}, text: '' });
  expect(of(called)).toMatchObject({ erased: true, sender: {}, text: '' });
  expect(of(recent)).toMatchObject({ erased: false, text: 'Recentje vraagt iets.' });
  expect(of(complaint).erased).toBe(false);
  // Reports still count every case.
  expect(await query(`select count(*) as n from cases`)).toEqual(before);
  const audits = await query<{ data: { references: string[] } }>(`select data from audit where action = 'retention.erased'`);
  expect(audits).toHaveLength(1);
  const [audited] = audits;
  expect([...audited!.data.references].sort()).toEqual([old, called].sort());
  // Resumable and idempotent: the next round finds nothing left.
  expect(
    await retentionRound({
      db: loket.database.db,
      periods: async () => DEFAULT_RETENTION,
      emlDir: `${loket.dataDir}/outbox`,
      clock: () => new Date(),
      log: createLogger('silent'),
    }),
  ).toEqual({
    retentionErased: 0,
  });
});
