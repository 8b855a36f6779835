/**
 * The complaint procedure, the SLA badges and figures, and the refusals of complaint steps and
 * answers in English for a coordinator who chose it; Dutch stays for everyone else.
 * Real: HTTP with sessions and CSRF, PostgreSQL, Redis and the workers (the SLA clock
 * registers the complaint).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { expectEnglishPage, pageAs } from './support/language.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let coco: Session;
let anna: Session;
let bramId: number;
let complaint: string;

const query = <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => loket.db!.query<Row>(text, params);
const stage = async (reference: string) =>
  (await query<{ stage: string }>(`select k.stage from complaints k join cases c on c.id = k.case_id where c.reference = $1`, [reference]))[0]?.stage;

beforeAll(async () => {
  loket = await startTestLoket({ SLA_SWEEP_SECONDS: '1', LOGIN_RATE_LIMIT: '1000' });
  await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  bramId = await createUser(loket.database.db, { email: 'bram@example.org', name: 'Bram Betrokken', role: 'agent', password: PASSWORD });
  coco = await loginAs(loket.url, 'coco@example.org');
  anna = await loginAs(loket.url, 'anna@example.org');
  // A complaint by the contact form, registered in the procedure by the next round of the clock.
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Karin Klager',
      email: 'karin@example.org',
      subject: 'Klacht',
      message: 'Ik ben slecht behandeld door uw medewerker aan de telefoon.',
      topic: 'klacht',
    }),
  });
  complaint = ((await response.json()) as { reference: string }).reference;
  await waitFor(async () => (await stage(complaint)) === 'registered', 'the complaint to be registered');
  expect((await postAs(loket.url, coco, '/werkplek/taal', { taal: 'en', terug: '/werkplek' })).status).toBe(303);
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

const get = (path: string, session = coco) => pageAs(loket.url, session, path);

it('shows the complaint section of a case and its SLA badge in English', async () => {
  const { status, text } = await get(`/werkplek/zaken/${complaint}`);
  expect(status).toBe(200);
  expectEnglishPage(text);
  expect(text).toContain('<h2 id="complaint-title">Complaint procedure</h2>');
  expect(text).toContain('<dt>Stage</dt><dd id="complaint-stage" data-stage="registered">Registered: a coordinator chooses a handler</dd>');
  expect(text).toContain('<dt>First contact by</dt>');
  expect(text).toContain('<legend>Who is the complaint about?</legend>');
  expect(text).toContain('<button type="submit">Choose the handler</button>');
  expect(text).toContain('<option value="gesprek">In person</option>');
  expect(text).toContain('<summary>Not a complaint but a compliment?</summary>');
  expect(text).toContain('<label for="complaint-earlier">Earlier registration number <span class="hint">(optional)</span></label>');
  expect(text).toMatch(/<dd id="case-sla"><span class="sla sla-[a-z-]+" data-sla="[a-z-]+">(Answer within|Deadline passed:) [^<]+<\/span><\/dd>/);
  for (const dutch of [
    'Klachtprocedure',
    'Geregistreerd: een coördinator',
    'Over wie gaat de klacht?',
    'Behandelaar kiezen',
    'niet verplicht',
    'Antwoord binnen',
    'werkdag',
  ])
    expect(text).not.toContain(dutch);
});

it('shows the intake section of a case that is no complaint in English', async () => {
  const reference = await postWebform(loket.url, {
    name: 'Jan Jansen',
    email: 'jan@example.org',
    subject: 'Verlof',
    message: 'Hoeveel verlofuren heb ik nog?',
  });
  await waitFor(async () => (await query(`select 1 from cases where reference = $1`, [reference])).length === 1, 'the case');
  const { text } = await get(`/werkplek/zaken/${reference}`);
  expectEnglishPage(text);
  expect(text).toContain('<summary>Complaint or compliment</summary>');
  expect(text).toContain('<h3 id="complaint-details-title">Register as a complaint</h3>');
  expect(text).toContain('<h3 id="compliment-title">Pass on a compliment</h3>');
  expect(text).not.toContain('Klacht of compliment');
  expect(text).not.toContain('Compliment doorgeven');

  // A form check of the intake, in English.
  const wrong = await postAs(loket.url, coco, `/werkplek/zaken/${reference}/klacht/registreren`, { laatste_contact: 'gisteren' });
  expect(wrong.status).toBe(400);
  expect(await wrong.text()).toContain('Date of the last contact: enter a date like 2026-11-30.');
});

it('says a refused complaint step in English', async () => {
  const base = `/werkplek/zaken/${complaint}/klacht`;
  expect((await postAs(loket.url, coco, `${base}/betrokkenen`, { betrokkene: String(bramId) })).status).toBe(303);
  const refused = await postAs(loket.url, coco, `${base}/behandelaar`, { handler: String(bramId) });
  expect(refused.status).toBe(409);
  const page = await refused.text();
  expectEnglishPage(page);
  expect(page).toContain('This employee is involved in the complaint and cannot handle it. Choose another handler.');
  expect(page).not.toContain('Deze medewerker is betrokken');
  expect(await stage(complaint)).toBe('registered');
});

it('lists the complaints in English', async () => {
  const { status, text } = await get('/werkplek/klachten');
  expect(status).toBe(200);
  expectEnglishPage(text);
  expect(text).toContain('<title>Complaints</title>');
  expect(text).toContain('<h1>Complaints</h1>');
  expect(text).toContain('Back to the workspace');
  expect(text).toContain('<th scope="col">Next deadline</th>');
  expect(text).toContain('<td data-label="Stage">Registered: a coordinator chooses a handler</td>');
  expect(text).toContain('<span class="meta">not chosen yet</span>');
  for (const dutch of ['Klachten', 'Terug naar de werkplek', 'Volgende termijn', 'Geregistreerd', 'nog niet gekozen']) expect(text).not.toContain(dutch);
});

it('shows the deadline figures in English', async () => {
  const { status, text } = await get('/werkplek/termijnen');
  expect(status).toBe(200);
  expectEnglishPage(text);
  expect(text).toContain('<title>Deadlines</title>');
  expect(text).toContain('<caption>On time per channel</caption>');
  expect(text).toContain('<caption>On time per topic</caption>');
  expect(text).toContain('<th scope="col">Week of</th><th scope="col">All</th>');
  expect(text).toContain('<th scope="col">Web form</th>');
  expect(text).toMatch(/<span class="meta"> \(\d+ of \d+\)<\/span>/);
  for (const dutch of ['Termijnen', 'Op tijd per kanaal', 'Week van', 'Webformulier', ' van ']) expect(text).not.toContain(dutch);
});

it('says a refused answer in English, on the case page and when sending', async () => {
  const reference = await postWebform(loket.url, { name: 'Piet Post', email: 'piet@example.org', subject: 'Adres', message: 'Mijn adres is veranderd.' });
  await waitFor(async () => (await query(`select 1 from cases where reference = $1`, [reference])).length === 1, 'the case');

  // The contact has no e-mail address any more: an answer chosen by mail is refused.
  await query(`update cases set sender = sender - 'email' - 'replyTo' where reference = $1`, [reference]);
  await query(`update messages set sender = sender - 'email' - 'replyTo' where case_id = (select id from cases where reference = $1)`, [reference]);
  const byMail = await postAs(loket.url, coco, `/werkplek/zaken/${reference}/antwoord`, { text: 'Dank u, wij passen het aan.', via: 'email' });
  expect(byMail.status).toBe(409);
  const byMailPage = await byMail.text();
  expectEnglishPage(byMailPage);
  expect(byMailPage).toContain('This answer cannot go by e-mail: the contact has no e-mail address.');
  expect(byMailPage).not.toContain('Dit antwoord kan niet per e-mail');

  // The case's last message came by a channel Loket does not know: the composer says so, and sending is refused.
  await query(`update messages set channel = 'fax' where case_id = (select id from cases where reference = $1)`, [reference]);
  const { text } = await get(`/werkplek/zaken/${reference}`);
  expectEnglishPage(text);
  expect(text).toContain('<p class="field-error" id="answer-destination">Unknown channel fax.</p>');
  expect(text).not.toContain('Onbekend kanaal');
  const sent = await postAs(loket.url, coco, `/werkplek/zaken/${reference}/antwoord`, { text: 'Dank u.' });
  expect(sent.status).toBe(409);
  expect(await sent.text()).toContain('Unknown channel fax.');

  // And a Dutch agent sees the same refusal in Dutch.
  expect((await get(`/werkplek/zaken/${reference}`, anna)).text).toContain('<p class="field-error" id="answer-destination">Onbekend kanaal fax.</p>');
});

it('keeps Dutch for an agent who did not choose English', async () => {
  const { text } = await get(`/werkplek/zaken/${complaint}`, anna);
  expect(text).toContain('<html lang="nl">');
  expect(text).toContain('<h2 id="complaint-title">Klachtprocedure</h2>');
  expect(text).toContain('<dt>Stand</dt><dd id="complaint-stage" data-stage="registered">Geregistreerd: een coördinator kiest een behandelaar</dd>');
  expect(text).toMatch(/<dd id="case-sla"><span class="sla sla-[a-z-]+" data-sla="[a-z-]+">(Antwoord binnen|Termijn verstreken:) [^<]+<\/span><\/dd>/);
  expect(text).not.toContain('Complaint procedure');
  expect(text).not.toContain('Answer within');

  // A refused step in Dutch, as it always was.
  const refused = await postAs(loket.url, anna, `/werkplek/zaken/${complaint}/klacht/contact`, { how: 'duif' });
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain('Kies hoe het contact was.');
});
