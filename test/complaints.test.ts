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
import { dueAfter, startComplaints } from '../src/complaints/complaint.store.js';
import { DEFAULT_COMPLAINT_DEADLINES } from '../src/policy/complaint.setting.js';
import { DEFAULT_OFFICE_HOURS } from '../src/office-hours.js';
import { logCallAs, loginAs, PASSWORD, postAs, type Session } from './support/session.js';
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
    await waitFor(
      async () =>
        (await query(`select 1 from notifications n join cases c on c.id = n.case_id where c.reference = $1 and n.kind = 'complaint'`, [reference])).length > 0,
      'the coordinators told',
    );
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

  it('warns the handler and coordinators once before a stage is due', async () => {
    const reference = await complaint('bijna@example.org');
    expect((await post(coco, `/werkplek/zaken/${reference}/klacht/behandelaar`, { handler: String(annaId) })).status).toBe(303);
    await query(`update complaints set first_contact_due = now() + interval '2 hours' where case_id = (select id from cases where reference = $1)`, [
      reference,
    ]);
    const warned = () =>
      query<{ email: string; text: string }>(
        `select u.email, n.text from notifications n join users u on u.id = n.account_id join cases c on c.id = n.case_id
          where c.reference = $1 and n.kind = 'complaint' and n.source like 'complaint:warn:%' order by u.email`,
        [reference],
      );
    await waitFor(async () => (await warned()).length === 2, 'the warning before first contact is due');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const notes = await warned();
    expect(notes.map((n) => n.email)).toEqual(['anna@example.org', 'coco@example.org']);
    expect(notes[0]!.text).toContain(`Klacht ${reference}: het eerste contact met de klager moet`);
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

/** The letters of the procedure written to a case's complainant, as sent (the outbox keeps their text). */
const lettersOf = (reference: string) =>
  query<{ channel: string; subject: string; body: string; status: string }>(
    `select o.channel, o.subject, o.body, o.status from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.kind = 'complaint-letter' order by o.id`,
    [reference],
  );
const sentLetter = (reference: string, subject: string) =>
  waitFor(async () => (await lettersOf(reference)).find((l) => l.subject.includes(subject) && l.status === 'sent'), `the letter "${subject}" sent`);

/** The mails the SMTP server got for one address whose subject contains `subject`. */
const mailsTo = (address: string, subject: string) => smtp.mails.filter((m) => m.to.includes(address) && (m.header('Subject') ?? '').includes(subject));

describe('a complaint comes in', () => {
  it('by the form with what seed 000 asks: registered with it, no topic needed, and acknowledged in writing with its deadlines', async () => {
    const response = await fetch(`${loket.url}/api/v1/webform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Femke Formulier',
        email: 'femke@example.org',
        subject: 'Nog steeds geen antwoord',
        message: 'Ik heb drie weken geleden een vraag gesteld en nooit iets gehoord.',
        complaintReference: 'ZK-2026-000042',
        complaintLastContact: '2026-11-20',
        complaintEmployee: 'Petra de Vries',
      }),
    });
    expect(response.status).toBe(202);
    const { reference } = (await response.json()) as { reference: string };
    await waitFor(async () => (await stage(reference)) === 'registered', 'the complaint to be registered');
    const [row] = await query<{ topic: string; earlier_reference: string; last_contact_on: string; employee_name: string; registered_by: string | null }>(
      `select c.topic, k.earlier_reference, to_char(k.last_contact_on, 'YYYY-MM-DD') as last_contact_on, k.employee_name, k.registered_by
         from complaints k join cases c on c.id = k.case_id where c.reference = $1`,
      [reference],
    );
    expect(row).toEqual({
      topic: 'klacht',
      earlier_reference: 'ZK-2026-000042',
      last_contact_on: '2026-11-20',
      employee_name: 'Petra de Vries',
      registered_by: null,
    });
    // The reference it names is kept, not followed: the complaint is a case of its own.
    expect(reference).not.toBe('ZK-2026-000042');

    const acknowledgement = await sentLetter(reference, `Uw klacht is geregistreerd [${reference}]`);
    expect(acknowledgement.channel).toBe('webform');
    expect(acknowledgement.body).toContain('Wij hebben uw klacht ontvangen.');
    expect(acknowledgement.body).toMatch(/Een behandelaar neemt uiterlijk \w+dag \d+ \w+ 2026 contact met u op/);
    // A form's sender reads it on their case page; a mail says it is there.
    await waitFor(async () => mailsTo('femke@example.org', `Nieuw bericht over uw vraag [${reference}]`).length === 1, 'the notice mail');
    // Once, however many rounds the clock makes.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await lettersOf(reference)).toHaveLength(1);

    const page = await (await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: anna.cookie } })).text();
    expect(page).toContain('<dt>Eerder registratienummer</dt><dd>ZK-2026-000042</dd>');
    expect(page).toContain('<dt>Medewerker die de klager sprak</dt><dd>Petra de Vries</dd>');
  });

  it('refuses complaint details it cannot read, naming the field, and stores nothing', async () => {
    const before = await query<{ n: string }>(`select count(*) as n from messages`);
    const response = await fetch(`${loket.url}/api/v1/webform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'X',
        email: 'x@example.org',
        subject: 'Klacht',
        message: 'Klacht',
        complaintLastContact: 'vorige week',
        complaintReference: '<script>',
      }),
    });
    expect(response.status).toBe(400);
    const { fields } = (await response.json()) as { fields: Record<string, string> };
    expect(Object.keys(fields).sort()).toEqual(['complaintLastContact', 'complaintReference']);
    expect(fields['complaintLastContact']).toContain('datum');
    expect(await query<{ n: string }>(`select count(*) as n from messages`)).toEqual(before);
  });

  it('a phone call about a complaint waits for the agent to register it; an agent who sets the topic starts the procedure', async () => {
    const call = await logCallAs(loket.url, anna, {
      phone: '+31 6 3333 4444',
      callerName: 'Bea Beller',
      summary: 'Klacht: boos over hoe zij te woord is gestaan.',
      outcome: 'terugbellen',
    });
    expect(call.status).toBe(202);
    const { reference } = (await call.json()) as { reference: string };
    await waitFor(
      async () =>
        (await query(`select 1 from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.channel = 'phone'`, [reference])).length === 1,
      'the call-back task',
    );
    // Whatever topic the classifier chose, the call stays open for the call-back: the clock's
    // round (run here at once, as the sweep runs it every second) starts no procedure on its own.
    await query(`update cases set topic = 'klacht', team = 'klachten' where reference = $1`, [reference]);
    const times = { hours: DEFAULT_OFFICE_HOURS, deadlines: DEFAULT_COMPLAINT_DEADLINES };
    await startComplaints(loket.database.db, times);
    expect(await stage(reference)).toBeUndefined();
    const page = await (await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: anna.cookie } })).text();
    expect(page).toContain('Als klacht registreren');

    // An agent who sets the topic decides it is a complaint: then it starts.
    await query(`update cases set topic = 'overig', team = 'algemeen' where reference = $1`, [reference]);
    expect((await post(anna, `/werkplek/zaken/${reference}/onderwerp`, { topic: 'klacht' })).status).toBe(303);
    await waitFor(async () => (await stage(reference)) === 'registered', 'the procedure started by the sweep');
  });

  it('by phone: an agent registers it with the same questions; it is confirmed in writing once the caller gives an address', async () => {
    const call = await logCallAs(loket.url, anna, {
      phone: '+31 6 1111 2222',
      callerName: 'Tom Telefoon',
      summary: 'Boos over hoe hij te woord is gestaan.',
      outcome: 'beantwoord',
    });
    expect(call.status).toBe(202);
    const { reference } = (await call.json()) as { reference: string };
    await waitFor(async () => (await query(`select 1 from cases where reference = $1`, [reference])).length === 1, 'the call case');
    const base = `/werkplek/zaken/${reference}`;
    const before = await (await fetch(`${loket.url}${base}`, { headers: { cookie: anna.cookie } })).text();
    expect(before).toContain('Als klacht registreren');

    expect((await post(anna, `${base}/klacht/registreren`, { eerder: '', laatste_contact: 'gisteren', medewerker: '' })).status).toBe(400);
    expect(await stage(reference)).toBeUndefined();
    const registered = await post(anna, `${base}/klacht/registreren`, { eerder: '', laatste_contact: '2026-12-01', medewerker: 'Bram' });
    expect(registered.status).toBe(303);
    expect(await stage(reference)).toBe('registered');
    const [row] = await query<{ topic: string; registered_by: string; attention: string | null; acknowledged_at: Date | null }>(
      `select c.topic, k.registered_by, c.attention, k.acknowledged_at from complaints k join cases c on c.id = k.case_id where c.reference = $1`,
      [reference],
    );
    // No address to write to: the case asks for one, and the confirmation waits.
    expect(row).toMatchObject({ topic: 'klacht', registered_by: 'Anna Agent', attention: 'complaint-no-address', acknowledged_at: null });

    expect((await post(anna, `${base}/contactpersoon`, { name: 'Tom Telefoon', email: 'tom@example.org', phone: '+31 6 1111 2222' })).status).toBe(303);
    const confirmation = await sentLetter(reference, `Uw klacht is geregistreerd [${reference}]`);
    expect(confirmation.channel).toBe('email');
    expect(confirmation.body).toContain('U hebt telefonisch een klacht bij ons ingediend. Met dit bericht bevestigen wij die schriftelijk.');
    await waitFor(async () => mailsTo('tom@example.org', `Uw klacht is geregistreerd [${reference}]`).length === 1, 'the confirmation in the mailbox');
    const [after] = await query<{ attention: string | null }>(`select attention from cases where reference = $1`, [reference]);
    expect(after!.attention).toBeNull();
    const audited = await query<{ action: string; actor: string }>(
      `select action, actor from audit where entity_id = $1 and action like 'complaint.%' order by id`,
      [reference],
    );
    expect(audited).toEqual([
      { action: 'complaint.registered', actor: 'Anna Agent' },
      { action: 'complaint.no-written-address', actor: 'Loket' },
    ]);

    // Kept informed (seed 004): the complainant hears who handles it.
    expect((await post(coco, `${base}/klacht/behandelaar`, { handler: String(annaId) })).status).toBe(303);
    const told = await sentLetter(reference, `Uw klacht wordt behandeld [${reference}]`);
    expect(told.body).toContain('wordt behandeld door Anna Agent');
    await waitFor(async () => mailsTo('tom@example.org', `Uw klacht wordt behandeld [${reference}]`).length === 1, 'the mail naming the handler');
  });

  it('urgent: the handler and coordinators are told at once and the case goes to the top', async () => {
    const reference = await complaint('spoed@example.org');
    expect((await post(anna, `/werkplek/zaken/${reference}/klacht/urgent`, { urgent: '1' })).status).toBe(303);
    const told = await query<{ email: string; text: string }>(
      `select u.email, n.text from notifications n join users u on u.id = n.account_id join cases c on c.id = n.case_id where c.reference = $1 and n.kind = 'complaint'`,
      [reference],
    );
    expect(told.map((t) => t.email)).toContain('coco@example.org');
    expect(told[0]!.text).toBe(`Urgente klacht ${reference}: direct oppakken.`);
    const [row] = await query<{ priority: string }>(`select priority from cases where reference = $1`, [reference]);
    expect(row!.priority).toBe('high');
  });

  it('escalated: the complainant is told it went to the director', async () => {
    const reference = await complaint('hogerop@example.org');
    const base = `/werkplek/zaken/${reference}/klacht`;
    expect((await post(coco, `${base}/behandelaar`, { handler: String(annaId) })).status).toBe(303);
    expect((await post(anna, `${base}/oplossing`, { text: 'Opgelost.' })).status).toBe(303);
    expect((await answerLink(await linkOf(reference), 'nee')).status).toBe(200);
    await query(`update complaints set extra_due = now() - interval '1 minute' where case_id = (select id from cases where reference = $1)`, [reference]);
    const escalated = await sentLetter(reference, `Uw klacht is doorgestuurd naar de directeur [${reference}]`);
    expect(escalated.body).toContain('Daarom hebben wij uw klacht doorgestuurd naar de directeur.');
  });
});

describe('a compliment', () => {
  it('is recorded and passed to the employee it is for; one the topic took for a complaint leaves the procedure', async () => {
    const reference = await complaint('blij@example.org');
    const page = await (await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: anna.cookie } })).text();
    expect(page).toContain('Geen klacht maar een compliment?');
    expect((await post(anna, `/werkplek/zaken/${reference}/compliment`, { voor: '', team: '', toelichting: 'Fijn geholpen' })).status).toBe(400);
    expect((await post(anna, `/werkplek/zaken/${reference}/compliment`, { voor: String(bramId), toelichting: 'Bram hielp mij geweldig.' })).status).toBe(303);
    expect(await stage(reference)).toBeUndefined();
    const [row] = await query<{ topic: string; account_id: string; note: string; by_name: string }>(
      `select c.topic, k.account_id, k.note, k.by_name from compliments k join cases c on c.id = k.case_id where c.reference = $1`,
      [reference],
    );
    expect(row).toEqual({ topic: 'overig', account_id: String(bramId), note: 'Bram hielp mij geweldig.', by_name: 'Anna Agent' });
    const told = await query<{ email: string; text: string }>(
      `select u.email, n.text from notifications n join users u on u.id = n.account_id join cases c on c.id = n.case_id where c.reference = $1 and n.kind = 'compliment'`,
      [reference],
    );
    expect(told).toEqual([{ email: 'bram@example.org', text: `Een compliment voor u op zaak ${reference}, doorgegeven door Anna Agent.` }]);
    // The next rounds of the clock do not make it a complaint again.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await stage(reference)).toBeUndefined();
  });
});
