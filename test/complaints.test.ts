/**
 * A complaint through the procedure (seeds 001, 002, 004): registered, a handler who is not
 * the employee it is about (that assignment refused), first contact, the solution sent with a
 * single-use satisfaction link, "not satisfied" giving 2 more working days and then the
 * escalation; "satisfied" closing it; forged, used and expired links changing nothing.
 * Real: HTTP with sessions, PostgreSQL, Redis, the workers, SMTP (smtp-server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { mkdir } from 'node:fs/promises';
import { ARTIFACTS, launchChromium, screenshot, signedInContext } from './support/browser.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { dueAfter } from '../src/complaints/complaint.store.js';
import { DEFAULT_OFFICE_HOURS } from '../src/office-hours.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let anna: Session;
let coco: Session;
let annaId: number;
let bramId: number;

beforeAll(async () => {
  smtp = await startSmtpSink();
  loket = await startTestLoket({ SMTP_URL: smtp.url, SLA_SWEEP_SECONDS: '1', LOGIN_RATE_LIMIT: '1000', PUBLIC_URL: 'https://loket.example.org' });
  annaId = await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  bramId = await createUser(loket.database.db, { email: 'bram@example.org', name: 'Bram Betrokken', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
  await createUser(loket.database.db, { email: 'beheer@example.org', name: 'Beheer', role: 'admin', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  coco = await loginAs(loket.url, 'coco@example.org');
}, 60_000);

afterAll(async () => {
  await loket?.stop();
  await smtp?.close();
});

const query = <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => loket.db!.query<Row>(text, params);
const post = (session: Session, path: string, fields: Record<string, string | string[]>) => postAs(loket.url, session, path, fields);
const stage = async (reference: string) =>
  (await query<{ stage: string }>(`select k.stage from complaints k join cases c on c.id = k.case_id where c.reference = $1`, [reference]))[0]?.stage;

/** A complaint by the contact form, registered in the procedure by the next round of the clock. */
async function complaint(email: string): Promise<string> {
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Karin Klager',
      email,
      subject: 'Klacht',
      message: 'Ik ben slecht behandeld door uw medewerker aan de telefoon.',
      topic: 'klacht',
    }),
  });
  const { reference } = (await response.json()) as { reference: string };
  await waitFor(async () => (await stage(reference)) === 'registered', 'the complaint to be registered');
  return reference;
}

/** The satisfaction link in the solution sent to the complainant. */
async function linkOf(reference: string): Promise<string> {
  const [row] = await query<{ body: string }>(`select o.body from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.kind = 'answer'`, [
    reference,
  ]);
  return /https:\/\/loket\.example\.org(\/klacht\/tevredenheid\/[A-Za-z0-9_-]+)/.exec(row!.body)![1]!;
}

const answerLink = (path: string, tevreden: 'ja' | 'nee', toelichting = '') =>
  fetch(`${loket.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ tevreden, toelichting }),
  });

describe('a complaint', () => {
  it('goes through every stage: handler (never the employee it is about), first contact, solution, not satisfied, escalation', async () => {
    const reference = await complaint('karin@example.org');
    const base = `/werkplek/zaken/${reference}/klacht`;
    expect((await post(anna, `${base}/betrokkenen`, { betrokkene: String(bramId) })).status).toBe(303);

    const refused = await post(coco, `${base}/behandelaar`, { handler: String(bramId) });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Deze medewerker is betrokken bij de klacht en kan die niet behandelen.');
    expect(await stage(reference)).toBe('registered');
    // Only a coordinator chooses the handler.
    expect((await post(anna, `${base}/behandelaar`, { handler: String(annaId) })).status).toBe(403);
    expect((await post(coco, `${base}/behandelaar`, { handler: String(annaId) })).status).toBe(303);
    expect(await stage(reference)).toBe('handler');
    const [assigned] = await query<{ assignee_id: string }>(`select assignee_id from cases where reference = $1`, [reference]);
    expect(Number(assigned!.assignee_id)).toBe(annaId);

    expect((await post(anna, `${base}/contact`, { how: 'telefoon' })).status).toBe(303);
    expect(await stage(reference)).toBe('first-contact');
    expect((await post(anna, `${base}/oplossing`, { text: 'Wij hebben met de medewerker gesproken en bieden excuses aan.' })).status).toBe(303);
    expect(await stage(reference)).toBe('resolved');

    // The solution, with the link, is on the complainant's case page, and a mail tells them it is there.
    const link = await linkOf(reference);
    const [{ status_token: token } = { status_token: '' }] = await query<{ status_token: string }>(`select status_token from cases where reference = $1`, [
      reference,
    ]);
    await waitFor(async () => (await (await fetch(`${loket.url}/zaak/${token}`)).text()).includes(link), 'the solution on the case page');
    await waitFor(async () => smtp.mails.filter((m) => m.to.includes('karin@example.org')).length >= 2, 'the mail about the solution');
    expect((await fetch(`${loket.url}${link}`)).status).toBe(200);
    const notSatisfied = await answerLink(link, 'nee', 'Ik heb nog steeds geen excuses gehad.');
    expect(notSatisfied.status).toBe(200);
    expect(await notSatisfied.text()).toContain('binnen 2 werkdagen');
    expect(await stage(reference)).toBe('extra-time');
    // Used once: the same link again changes nothing.
    expect((await answerLink(link, 'ja')).status).toBe(404);
    expect(await stage(reference)).toBe('extra-time');

    // The 2 extra working days pass: the next round escalates it and tells the coordinators.
    await query(`update complaints set extra_due = now() - interval '1 minute' where case_id = (select id from cases where reference = $1)`, [reference]);
    await waitFor(async () => (await stage(reference)) === 'escalated', 'the escalation');
    const told = await query<{ email: string }>(
      `select u.email from notifications n join users u on u.id = n.account_id join cases c on c.id = n.case_id where c.reference = $1 and n.kind = 'complaint'`,
      [reference],
    );
    expect(told.map((t) => t.email)).toContain('coco@example.org');
    const audited = await query<{ action: string }>(`select action from audit where entity_id = $1 and action like 'complaint.%' order by id`, [reference]);
    expect(audited.map((a) => a.action)).toEqual([
      'complaint.involved',
      'complaint.handler',
      'complaint.first-contact',
      'complaint.resolved',
      'complaint.not-satisfied',
      'complaint.escalated',
    ]);
    const page = await (await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: anna.cookie } })).text();
    expect(page).toMatch(/id="complaint-stage" data-stage="escalated">Geëscaleerd naar de directeur/);
    expect(page).toContain('niet tevreden: Ik heb nog steeds geen excuses gehad.');
  });

  it('closes when the complainant is satisfied', async () => {
    const reference = await complaint('tevreden@example.org');
    const base = `/werkplek/zaken/${reference}/klacht`;
    expect((await post(coco, `${base}/behandelaar`, { handler: String(annaId) })).status).toBe(303);
    expect((await post(anna, `${base}/oplossing`, { text: 'Opgelost: u krijgt het bedrag alsnog.' })).status).toBe(303);
    const answered = await answerLink(await linkOf(reference), 'ja');
    expect(await answered.text()).toContain('De klacht is afgesloten.');
    expect(await stage(reference)).toBe('closed');
    const [row] = await query<{ status: string }>(`select status from cases where reference = $1`, [reference]);
    expect(row!.status).toBe('closed');
    // Over: the improvement form (seed 004), audited.
    expect((await post(anna, `${base}/verbetering`, { cause: 'Onduidelijke brief', improvement: 'Brief herschreven', owner: 'Team salaris' })).status).toBe(
      303,
    );
    const page = await (await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: anna.cookie } })).text();
    expect(page).toContain('Brief herschreven (oorzaak: Onduidelijke brief; door: Team salaris)');
    expect((await post(anna, `${base}/verbetering`, { cause: '', improvement: 'x', owner: 'y' })).status).toBe(400);
  });

  it('shows coordinators the complaints by stage, urgent ones first, in a browser', async () => {
    const reference = await complaint('urgent@example.org');
    expect((await post(anna, `/werkplek/zaken/${reference}/klacht/urgent`, { urgent: '1' })).status).toBe(303);
    await mkdir(ARTIFACTS, { recursive: true });
    const browser = await launchChromium();
    try {
      const context = await signedInContext(browser, loket.url, coco.cookie);
      const page = await context.newPage();
      await page.goto(`${loket.url}/werkplek/klachten`);
      const stages = await page.locator('#complaints tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-stage')));
      const order = ['registered', 'handler', 'first-contact', 'extra-time', 'resolved', 'escalated', 'closed'];
      expect(stages.map((stage) => order.indexOf(stage!))).toEqual([...stages.map((stage) => order.indexOf(stage!))].sort((a, b) => a - b));
      // Among the registered ones, the urgent one first.
      const first = page.locator('#complaints tbody tr').first();
      expect(await first.getAttribute('data-reference')).toBe(reference);
      expect(await first.innerText()).toContain('urgent');
      await screenshot(page, 'complaints-by-stage');
      await context.close();
    } finally {
      await browser.close();
    }
  });

  it('tells the handler and coordinators once when a stage passes its deadline', async () => {
    const reference = await complaint('traag@example.org');
    expect((await post(coco, `/werkplek/zaken/${reference}/klacht/behandelaar`, { handler: String(annaId) })).status).toBe(303);
    await query(`update complaints set first_contact_due = now() - interval '1 minute' where case_id = (select id from cases where reference = $1)`, [
      reference,
    ]);
    const told = () =>
      query<{ email: string; text: string }>(
        `select u.email, n.text from notifications n join users u on u.id = n.account_id join cases c on c.id = n.case_id where c.reference = $1 and n.kind = 'complaint' order by u.email`,
        [reference],
      );
    await waitFor(async () => (await told()).length === 2, 'the late first contact to be told');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const notes = await told();
    expect(notes.map((n) => n.email)).toEqual(['anna@example.org', 'coco@example.org']);
    expect(notes[0]!.text).toContain('het eerste contact met de klager had uiterlijk');
  });

  it("counts its deadlines in the admin's working days (complaint.deadlines)", async () => {
    const admin = await loginAs(loket.url, 'beheer@example.org');
    const saved = await post(admin, '/admin/klachttermijnen', { versie: '0', firstContactDays: '1', resolveDays: '3', satisfactionDays: '5', extraDays: '2' });
    expect(saved.status, await saved.clone().text()).toBeLessThan(400);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const reference = await complaint('snel@example.org');
      const [row] = await query<{ created_at: Date; first_contact_due: Date; resolve_due: Date }>(
        `select c.created_at, k.first_contact_due, k.resolve_due from complaints k join cases c on c.id = k.case_id where c.reference = $1`,
        [reference],
      );
      expect(row!.first_contact_due.toISOString()).toBe(dueAfter(row!.created_at, 1, DEFAULT_OFFICE_HOURS).toISOString());
      expect(row!.resolve_due.toISOString()).toBe(dueAfter(row!.created_at, 3, DEFAULT_OFFICE_HOURS).toISOString());
    } finally {
      await query(`delete from settings where key = 'complaint.deadlines'`);
    }
  });

  it('answers a forged or expired link with a clear page and changes nothing', async () => {
    expect((await answerLink('/klacht/tevredenheid/nietechtnietechtnietecht', 'ja')).status).toBe(404);
    expect((await fetch(`${loket.url}/klacht/tevredenheid/%3Cscript%3E`)).status).toBe(404);
    const reference = await complaint('laat@example.org');
    const base = `/werkplek/zaken/${reference}/klacht`;
    expect((await post(coco, `${base}/behandelaar`, { handler: String(annaId) })).status).toBe(303);
    expect((await post(anna, `${base}/oplossing`, { text: 'Opgelost.' })).status).toBe(303);
    await query(`update complaints set satisfaction_due = now() - interval '30 days' where case_id = (select id from cases where reference = $1)`, [reference]);
    const expired = await answerLink(await linkOf(reference), 'nee');
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('De termijn om te antwoorden is voorbij.');
    expect(await stage(reference)).toBe('resolved');
    // Bad input: neither yes nor no.
    const bad = await answerLink(await linkOf(reference), 'misschien' as 'ja');
    expect(bad.status).toBe(400);
  });
});
