/**
 * The SLA clock in Loket, with a fixed clock: deadlines in working time set when a case
 * opens, a warning and a breach told once each to the assignee and the coordinators (in the
 * workspace and by mail, through a real SMTP server), a pause while the case waits for the
 * citizen that moves the deadline on by its working time, and the weekly figures.
 * Real: PostgreSQL, Redis, the workers, HTTP with sessions, SMTP (smtp-server).
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { addWorkingDays } from '../src/calendar.js';
import { DEFAULT_OFFICE_HOURS } from '../src/office-hours.js';
import { addWorkingMinutes, amsterdamInstant } from '../src/sla/working-time.js';
import type { InboundMessageInput } from '../src/message.js';
import { ARTIFACTS, launchChromium, screenshot } from './support/browser.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { waitFor } from './support/wait.js';

let now = new Date('2026-12-08T10:00:00Z');
let loket: TestLoket;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let anna: Session;
let coco: Session;
let annaId: number;

beforeAll(async () => {
  smtp = await startSmtpSink();
  loket = await startTestLoket({ SMTP_URL: smtp.url, SLA_SWEEP_SECONDS: '1', LOGIN_RATE_LIMIT: '1000' }, { clock: () => now });
  annaId = await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
  await createUser(loket.database.db, { email: 'bram@example.org', name: 'Bram Agent', role: 'agent', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  coco = await loginAs(loket.url, 'coco@example.org');
}, 60_000);

afterAll(async () => {
  await loket?.stop();
  await smtp?.close();
});

const query = <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => loket.db!.query<Row>(text, params);

/** A mail taken in at `receivedAt` and routed; its case. */
async function caseOf(receivedAt: Date, subject = 'Vraag over mijn salaris'): Promise<{ id: number; reference: string }> {
  const id = `<${randomUUID()}@example.org>`;
  const input: InboundMessageInput = {
    channel: 'email',
    externalId: id,
    receivedAt,
    sender: { name: 'Fatima', email: `fatima-${randomUUID()}@example.org` },
    subject,
    text: 'Mijn salaris is deze maand niet uitbetaald.',
    thread: { messageId: id, references: [] },
  };
  const { messageId } = await loket.intake.accept(input, []);
  return waitFor(async () => {
    const [row] = await query<{ id: string; reference: string }>(`select c.id, c.reference from messages m join cases c on c.id = m.case_id where m.id = $1`, [
      messageId,
    ]);
    return row && { id: Number(row.id), reference: row.reference };
  }, 'the case');
}

const page = async (session: Session, path: string) => (await fetch(`${loket.url}${path}`, { headers: { cookie: session.cookie } })).text();

describe('a new case', () => {
  it('is due in working time: the first reply within 14 office hours, the answer at closing time on the fifth working day', async () => {
    // Thursday 24 December 2026, 20:00 in Amsterdam: Christmas and a weekend follow.
    const receivedAt = new Date('2026-12-24T19:00:00Z');
    const { id } = await caseOf(receivedAt);
    const [row] = await query<{ answer_by: string; answer_due: Date; first_response_due: Date }>(
      `select to_char(answer_by, 'YYYY-MM-DD') as answer_by, answer_due, first_response_due from cases where id = $1`,
      [id],
    );
    const answerBy = addWorkingDays(receivedAt, 5);
    expect(answerBy).toBe('2027-01-04');
    expect(row!.answer_by).toBe(answerBy);
    expect(row!.answer_due.toISOString()).toBe(amsterdamInstant(answerBy, 22 * 60).toISOString());
    // Two hours on the 24th, then Monday 28 December from 08:00: twelve more.
    expect(row!.first_response_due.toISOString()).toBe(addWorkingMinutes(receivedAt, 14 * 60, DEFAULT_OFFICE_HOURS).toISOString());
    expect(row!.first_response_due.toISOString()).toBe('2026-12-28T19:00:00.000Z');
  });
});

describe('the clock', () => {
  it('warns once a working day ahead and tells the breach once, to the assignee and the coordinators, in the workspace and by mail', async () => {
    const { id, reference } = await caseOf(new Date('2026-12-01T09:00:00Z'));
    // Due Wednesday 9 December at 11:00 in Amsterdam; it is Tuesday 8 December, 11:00.
    await query(`update cases set assignee_id = $1, answer_due = '2026-12-09T10:00:00Z' where id = $2`, [annaId, id]);
    now = new Date('2026-12-08T10:00:00Z');
    const told = (kind: string) =>
      query<{ email: string }>(
        `select u.email from notifications n join users u on u.id = n.account_id where n.case_id = $1 and n.kind = $2 order by u.email`,
        [id, kind],
      );
    await waitFor(async () => (await told('sla-warning')).length === 2, 'the warning');
    expect((await told('sla-warning')).map((r) => r.email)).toEqual(['anna@example.org', 'coco@example.org']);
    const warnings = () => smtp.mails.filter((m) => m.raw.includes(`Termijn loopt af: zaak ${reference}`));
    await waitFor(async () => warnings().length === 2, 'two warning mails');
    expect(
      warnings()
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual(['anna@example.org', 'coco@example.org']);
    expect(/<dd id="case-sla">.*?<\/dd>/.exec(await page(anna, `/werkplek/zaken/${reference}`))?.[0]).toMatch(/data-sla="warning">Antwoord binnen 1 werkdag</);

    // An hour past the deadline: the breach, once, however many rounds pass.
    now = new Date('2026-12-09T11:00:00Z');
    await waitFor(async () => (await told('sla-breach')).length === 2, 'the breach');
    const breaches = () => smtp.mails.filter((m) => m.raw.includes(`Termijn verstreken: zaak ${reference}`));
    await waitFor(async () => breaches().length === 2, 'two breach mails');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await told('sla-warning')).toHaveLength(2);
    expect(await told('sla-breach')).toHaveLength(2);
    expect(breaches()).toHaveLength(2);
    expect(await page(anna, `/werkplek/zaken/${reference}`)).toMatch(/data-sla="breached">Termijn verstreken: 1 uur te laat/);
    const list = await page(coco, '/werkplek/zaken?view=all&sort=oldest');
    const row = new RegExp(`<tr data-reference="${reference}">[\\s\\S]*?</tr>`).exec(list)?.[0];
    expect(row).toMatch(/data-sla="breached">Termijn verstreken: 1 uur te laat/);
  });

  it('warns of each of two cases due at the same moment (every case of a day is due at the same closing time)', async () => {
    now = new Date('2026-12-08T10:00:00Z');
    const both = [await caseOf(new Date('2026-12-08T09:00:00Z')), await caseOf(new Date('2026-12-08T09:00:00Z'))];
    const ids = both.map((c) => c.id);
    await query(`update cases set assignee_id = $1, answer_due = '2026-12-09T09:30:00Z' where id = any($2::bigint[])`, [annaId, ids]);
    await waitFor(
      async () =>
        (await query(`select 1 from notifications where account_id = $1 and kind = 'sla-warning' and case_id = any($2::bigint[])`, [annaId, ids])).length === 2,
      'a warning of each case',
    );
  });

  it('tells each person in their own language: the agent who chose English in English, the coordinator in Dutch', async () => {
    await query(`update users set locale = 'en' where id = $1`, [annaId]);
    // The clock first: the test before left it past this case's deadline, and the sweep runs every second.
    now = new Date('2026-12-08T10:00:00Z');
    try {
      // Received this morning: neither its own deadline nor its first reply is near, until the test moves the deadline.
      const { id, reference } = await caseOf(new Date('2026-12-08T09:00:00Z'), 'Question about my salary');
      await query(`update cases set assignee_id = $1, answer_due = '2026-12-09T10:00:00Z' where id = $2`, [annaId, id]);
      const told = async () =>
        Object.fromEntries(
          (
            await query<{ email: string; text: string }>(
              `select u.email, n.text from notifications n join users u on u.id = n.account_id where n.case_id = $1 and n.kind = 'sla-warning'`,
              [id],
            )
          ).map((row) => [row.email, row.text]),
        );
      await waitFor(async () => Object.keys(await told()).length === 2, 'the warning to both');
      expect(await told()).toEqual({
        'anna@example.org': `Case ${reference} must be answered within 1 working day (by Wednesday 9 December at 11:00).`,
        'coco@example.org': `Zaak ${reference} moet binnen 1 werkdag beantwoord zijn (uiterlijk woensdag 9 december om 11:00).`,
      });
      const mail = (subject: string) => waitFor(async () => smtp.mails.find((m) => m.raw.includes(`Subject: ${subject}`)), subject);
      const english = await mail(`Deadline approaching: case ${reference}`);
      expect(english.to).toEqual(['anna@example.org']);
      expect(english.raw).toContain('The case is in the workspace under');
      const dutch = await mail(`Termijn loopt af: zaak ${reference}`);
      expect(dutch.to).toEqual(['coco@example.org']);
    } finally {
      await query(`update users set locale = 'nl' where id = $1`, [annaId]);
    }
  });

  it('tells once that the first reply is late when no agent answered in time; an answer in time tells nothing', async () => {
    now = new Date('2026-12-10T09:00:00Z');
    const late = await caseOf(new Date('2026-12-10T08:00:00Z'), 'Niemand reageert');
    const answered = await caseOf(new Date('2026-12-10T08:00:00Z'), 'Wel beantwoord');
    await query(`update cases set assignee_id = $1 where id in ($2, $3)`, [annaId, late.id, answered.id]);
    expect((await postAs(loket.url, anna, `/werkplek/zaken/${answered.reference}/antwoord`, { text: 'Wij zoeken het uit.' })).status).toBeLessThan(400);
    const told = (id: number) =>
      query<{ email: string; text: string }>(
        `select u.email, n.text from notifications n join users u on u.id = n.account_id where n.case_id = $1 and n.kind = 'sla-first' order by u.email`,
        [id],
      );
    // Still within the 14 office hours: nothing.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await told(late.id)).toEqual([]);
    // Friday 08:00 in Amsterdam: one office hour left, under a quarter of the 14: warned, once.
    now = new Date('2026-12-11T07:00:00Z');
    const warned = (id: number) =>
      query<{ text: string }>(`select n.text from notifications n where n.case_id = $1 and n.kind = 'sla-warning' and n.text like '%eerste reactie%'`, [id]);
    await waitFor(async () => (await warned(late.id)).length === 2, 'the warning before the first reply is late');
    expect((await warned(late.id))[0]!.text).toContain(`Zaak ${late.reference} heeft nog geen eerste reactie; die moet binnen 1 uur komen`);
    await waitFor(
      async () => smtp.mails.filter((m) => m.raw.includes(`Eerste reactie bijna te laat: zaak ${late.reference}`)).length === 2,
      'two warning mails',
    );
    expect(await warned(answered.id)).toEqual([]);
    // Received Thursday 09:00 in Amsterdam: 13 office hours that day and one more make the first reply due Friday 09:00; it is Friday 23:00.
    now = new Date('2026-12-11T22:00:00Z');
    await waitFor(async () => (await told(late.id)).length === 2, 'the late first reply to be told');
    expect((await told(late.id)).map((r) => r.email)).toEqual(['anna@example.org', 'coco@example.org']);
    expect((await told(late.id))[0]!.text).toContain(`Zaak ${late.reference} heeft nog geen eerste reactie`);
    await waitFor(async () => smtp.mails.filter((m) => m.raw.includes(`Nog geen eerste reactie: zaak ${late.reference}`)).length === 2, 'two mails');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await told(late.id)).toHaveLength(2);
    expect(await told(answered.id)).toEqual([]);
    await query(`update cases set status = 'closed' where id in ($1, $2)`, [late.id, answered.id]);
  });

  it('promises the answer anew when a closed case is reopened, so it is not late at once', async () => {
    now = new Date('2026-12-14T09:00:00Z');
    const { id, reference } = await caseOf(new Date('2026-11-02T09:00:00Z'), 'Weer open');
    await query(`update cases set status = 'closed', closed_at = now() where id = $1`, [id]);
    expect((await postAs(loket.url, anna, `/werkplek/zaken/${reference}/heropenen`, {})).status).toBe(303);
    const [row] = await query<{ status: string; answer_by: string; answer_due: Date }>(
      `select status, to_char(answer_by, 'YYYY-MM-DD') as answer_by, answer_due from cases where id = $1`,
      [id],
    );
    // Monday 14 December: five working days on is Monday 21 December, at closing time.
    expect(row).toEqual({ status: 'open', answer_by: '2026-12-21', answer_due: amsterdamInstant('2026-12-21', 22 * 60) });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const told = await query(`select 1 from notifications where case_id = $1 and kind = 'sla-breach'`, [id]);
    expect(told).toEqual([]);
    const [audited] = await query<{ data: { answerDueBefore: string } }>(`select data from audit where entity_id = $1 and action = 'case.reopen'`, [reference]);
    expect(audited!.data.answerDueBefore).toBe(amsterdamInstant('2026-11-09', 22 * 60).toISOString());
    await query(`update cases set status = 'closed' where id = $1`, [id]);
  });

  it('stands still while the case waits for the citizen, and moves the deadline on by the pause in working time', async () => {
    const { id, reference } = await caseOf(new Date('2026-12-07T09:00:00Z'));
    now = new Date('2026-12-08T09:00:00Z');
    // The agent answers and waits for a reaction: the clock stops.
    const answered = await postAs(loket.url, anna, `/werkplek/zaken/${reference}/antwoord`, { text: 'Welke maand bedoelt u?', actie: 'wachten' });
    expect(answered.status).toBe(303);
    const [pause] = await query<{ id: string }>(`select id from case_pauses where case_id = $1 and ended_at is null`, [id]);
    expect(pause).toBeDefined();
    expect(await page(anna, `/werkplek/zaken/${reference}`)).toMatch(/data-sla="paused">Klok staat stil/);

    // The pause as it happened: from Tuesday 10:00 until the citizen wrote on Wednesday 10:00 (Amsterdam), a working day.
    const [before] = await query<{ answer_due: Date }>(`select answer_due from cases where id = $1`, [id]);
    await query(`update case_pauses set started_at = '2026-12-08T09:00:00Z' where id = $1`, [pause!.id]);
    await query(
      `insert into messages (channel, external_id, received_at, sender, subject, text, thread, meta, case_id, routed_at)
       values ('email', $2, '2026-12-09T09:00:00Z', '{"name": "Fatima"}'::jsonb, 'Re', 'November.', '{"references": []}'::jsonb, '{}'::jsonb, $1, now())`,
      [id, `<${randomUUID()}@example.org>`],
    );
    await query(`update cases set waiting_since = null where id = $1`, [id]);
    const after = await waitFor(async () => {
      const [row] = await query<{ answer_due: Date; answer_by: string; working_minutes: number | null }>(
        `select c.answer_due, to_char(c.answer_by, 'YYYY-MM-DD') as answer_by, p.working_minutes from cases c join case_pauses p on p.case_id = c.id where c.id = $1`,
        [id],
      );
      return row?.working_minutes !== null && row;
    }, 'the pause to be measured');
    expect(after.working_minutes).toBe(14 * 60);
    expect(after.answer_due.toISOString()).toBe(addWorkingMinutes(before!.answer_due, 14 * 60, DEFAULT_OFFICE_HOURS).toISOString());
    // Due Monday 14 December at 22:00; one working day later: Tuesday 15 December.
    expect(before!.answer_due.toISOString()).toBe('2026-12-14T21:00:00.000Z');
    expect(after.answer_due.toISOString()).toBe('2026-12-15T21:00:00.000Z');
    expect(after.answer_by).toBe('2026-12-15');
  });
});

describe('in the browser', () => {
  it('an agent sees the breach badge appear in the list without a reload', async () => {
    const { id, reference } = await caseOf(new Date('2026-12-01T09:00:00Z'), 'Badge');
    now = new Date('2026-12-10T10:00:00Z');
    await query(`update cases set assignee_id = $1, answer_due = '2026-12-11T20:00:00Z', sla_warned_at = now() where id = $2`, [annaId, id]);
    await mkdir(ARTIFACTS, { recursive: true });
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const [name, value] = anna.cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: loket.url }]);
      const tab = await context.newPage();
      await tab.goto(`${loket.url}/werkplek/zaken?view=mine`);
      await tab.locator('#live-announcer[data-live-state="open"]').waitFor({ state: 'attached', timeout: 10_000 });
      const badge = tab.locator(`#case-results tr[data-reference="${reference}"] [data-sla]`);
      expect(await badge.getAttribute('data-sla')).toBe('on-time');
      // Friday 11 December, 22:30 in Amsterdam: past the deadline.
      now = new Date('2026-12-11T21:30:00Z');
      await expect.poll(() => badge.getAttribute('data-sla'), { timeout: 15_000 }).toBe('breached');
      expect(await badge.innerText()).toMatch(/^Termijn verstreken/);
      await screenshot(tab, 'sla-breach-live');
      await context.close();
    } finally {
      await browser.close();
    }
  });
});

describe('the figures', () => {
  it('show per week the share answered within the promise, per channel and per topic, for coordinators only', async () => {
    await query(`delete from notifications`);
    await query(`delete from case_pauses`);
    await query(`delete from outbox`);
    await query(`update messages set case_id = null`);
    await query(`delete from thread_keys`);
    await query(`delete from cases`);
    now = new Date('2026-12-09T12:00:00Z');
    // Week of Monday 30 November: mail 2 of 3 on time, the form's one open past its deadline.
    const cases = [
      ['email', 'salaris', 'closed', '2026-12-07T21:00:00Z', '2026-12-04T10:00:00Z'],
      ['email', 'salaris', 'closed', '2026-12-07T21:00:00Z', '2026-12-07T20:00:00Z'],
      ['email', 'verlof', 'closed', '2026-12-07T21:00:00Z', '2026-12-08T09:00:00Z'],
      ['webform', 'verlof', 'open', '2026-12-07T21:00:00Z', null],
      // Not due yet: not counted.
      ['webform', 'verlof', 'open', '2026-12-14T21:00:00Z', null],
    ] as const;
    for (const [i, [channel, topic, status, due, closed]] of cases.entries()) {
      await query(
        `insert into cases (reference, channel, topic, subject, sender, status_token, answer_by, answer_due, status, closed_at, created_at)
         values ($1, $2, $3, 'Vraag', '{}'::jsonb, $1, ($4::timestamptz)::date, $4, $5, $6, '2026-12-01T09:00:00Z')`,
        [`ZK-2026-9${String(i).padStart(5, '0')}`, channel, topic, due, status, closed],
      );
    }
    const figures = await page(coco, '/werkplek/termijnen');
    const row = (table: string) =>
      /<tbody><tr><th scope="row">2026-11-30<\/th>([\s\S]*?)<\/tr>/.exec(new RegExp(`<table id="${table}">[\\s\\S]*?</table>`).exec(figures)![0])![1]!;
    const cells = (html: string) => [...html.matchAll(/<td[^>]*>([^<]*)<span class="meta"> \((\d+) van (\d+)\)/g)].map((m) => `${m[1]} ${m[2]}/${m[3]}`);
    expect(cells(row('sla-by-channel'))).toEqual(['50% 2/4', '67% 2/3', '0% 0/1']);
    expect(cells(row('sla-by-topic'))).toEqual(['50% 2/4', '100% 2/2', '0% 0/2']);
    expect(figures).toContain('onder het doel');
    expect((await fetch(`${loket.url}/werkplek/termijnen`, { headers: { cookie: anna.cookie } })).status).toBe(403);
  });
});
