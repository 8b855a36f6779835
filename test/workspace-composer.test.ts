/**
 * The answer composer: drafts kept on the server, send and close, send and wait for the
 * citizen (cleared by their next message), the channel chosen by the agent after a logged call,
 * and the audit trail on the case. Real: HTTP with sessions and CSRF, PostgreSQL, Redis, the
 * workers and an SMTP server of its own (smtp-server) that receives the mail; Chromium (Debian's)
 * for the draft and the template at the cursor.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { ARTIFACTS, launchChromium, screenshot, signedInContext } from './support/browser.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { waitFor } from './support/wait.js';

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let loket: TestLoket;
let anna: Session;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  smtp = await startSmtpSink();
  loket = await startTestLoket({ SMTP_URL: smtp.url, LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '100', PUBLIC_URL: 'https://loket.example.org' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await loket?.stop();
  await smtp?.close();
});

async function formCase(email: string, message: string): Promise<string> {
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Joost Bakker', email, subject: 'Reiskosten', message }),
  });
  const { reference } = (await response.json()) as { reference: string };
  await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length > 0, 'the case');
  return reference;
}

const post = (path: string, fields: Record<string, string>, session = anna) =>
  fetch(`${loket.url}${path}`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ _csrf: session.csrfToken, ...fields }),
    redirect: 'manual',
  });
const caseRow = async (reference: string) =>
  (await loket.db!.query<{ status: string; waiting_since: string | null }>(`select status, waiting_since from cases where reference = $1`, [reference]))[0]!;

async function casePage(reference: string): Promise<Page> {
  const context = await signedInContext(browser, loket.url, anna.cookie, { height: 1000 });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${loket.url}/werkplek/zaken/${reference}`);
  return page;
}

describe('the answer box', () => {
  it('keeps a draft on the server: it survives a reload and opens on another device; a template goes in at the cursor', async () => {
    const reference = await formCase('joost@example.org', 'Mijn reiskosten zijn niet vergoed.');
    const page = await casePage(reference);
    const box = page.getByLabel('Uw antwoord');
    await box.fill('Beste Joost,\n\nMet vriendelijke groet');
    await page.getByText(/Concept opgeslagen om/).waitFor();

    // Put the cursor after the greeting line and insert a template there.
    await box.evaluate((element: HTMLTextAreaElement) => element.setSelectionRange('Beste Joost,\n\n'.length, 'Beste Joost,\n\n'.length));
    await page.getByLabel(/^Sjabloon/).selectOption({ label: 'Spoed' });
    await page.getByRole('button', { name: 'Sjabloon invoegen' }).click();
    await expect.poll(() => box.inputValue()).toContain(`onder nummer ${reference}`);
    const value = await box.inputValue();
    expect(value.startsWith('Beste Joost,\n\n')).toBe(true);
    expect(value.endsWith('Met vriendelijke groet')).toBe(true);
    await page.getByText(/Concept opgeslagen om/).waitFor();
    await expect.poll(async () => (await loket.db!.query<{ text: string }>(`select text from answer_drafts`))[0]?.text).toBe(value);

    await page.reload();
    expect(await page.getByLabel('Uw antwoord').inputValue()).toBe(value);
    const elsewhere = await casePage(reference);
    expect(await elsewhere.getByLabel('Uw antwoord').inputValue(), 'another device of the same agent').toBe(value);
    await screenshot(page, 'composer-draft');

    await page.getByRole('button', { name: 'Versturen', exact: true }).click();
    await page.locator('#done').waitFor();
    expect(await page.getByLabel('Uw antwoord').inputValue(), 'sent: the draft is gone').toBe('');
    expect(await loket.db!.query(`select 1 from answer_drafts`)).toEqual([]);
  });

  it('sends and closes, or sends and waits for the citizen until they write again; the trail shows it all in order', async () => {
    const closing = await formCase('karin@example.org', 'Vraag over verlof.');
    expect((await post(`/werkplek/zaken/${closing}/antwoord`, { text: 'U hebt nog 10 dagen.', actie: 'sluiten' })).headers.get('location')).toBe(
      `/werkplek/zaken/${closing}?gedaan=antwoord-gesloten`,
    );
    expect((await caseRow(closing)).status).toBe('closed');

    const waiting = await formCase('lies@example.org', 'Vraag over salaris.');
    expect((await post(`/werkplek/zaken/${waiting}/antwoord`, { text: 'Welke maand bedoelt u?', actie: 'wachten' })).status).toBe(303);
    expect(await caseRow(waiting)).toMatchObject({ status: 'open', waiting_since: expect.anything() });
    const listed = await (await fetch(`${loket.url}/werkplek/zaken`, { headers: { cookie: anna.cookie } })).text();
    expect(/<tr data-reference="[^"]+">[\s\S]*?<\/tr>/.exec(listed.slice(listed.indexOf(`data-reference="${waiting}"`) - 20))![0]).toContain(
      'Wacht op de burger',
    );

    await fetch(`${loket.url}/api/v1/webform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Joost Bakker', email: 'lies@example.org', subject: `Re ${waiting}`, message: 'De maand oktober.' }),
    });
    await waitFor(async () => (await caseRow(waiting)).waiting_since === null, 'the citizen’s reply to end the wait');

    expect((await post(`/werkplek/zaken/${waiting}/onderwerp`, { topic: 'salaris' })).status).toBe(303);
    const page = await (await fetch(`${loket.url}/werkplek/zaken/${waiting}`, { headers: { cookie: anna.cookie } })).text();
    const trail = [...page.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]);
    expect(trail).toEqual(['case.waiting', 'case.reclassify']);
    expect(page).toContain('verstuurde een antwoord; de zaak wacht op een reactie van de burger.');
    expect(page).toMatch(/wijzigde het onderwerp van \w+ naar salaris/);
  });

  it('after a logged call offers mail or a call-back, and sends the mail when chosen', async () => {
    const reference = await formCase('marco@example.org', 'Ik bel zo nog even.');
    // The contact's number is known (an agent added it), so the logged call joins the case.
    await loket.db!.query(`update cases set sender = sender || '{"phone": "0612340000"}'::jsonb where reference = $1`, [reference]);
    const call = await fetch(`${loket.url}/api/v1/calls`, {
      method: 'POST',
      headers: { cookie: anna.cookie, 'x-csrf-token': anna.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '0612340000', summary: `Belde over ${reference}.`, outcome: 'terugbellen' }),
    });
    expect(call.status).toBe(202);
    expect(((await call.json()) as { reference: string }).reference).toBe(reference);
    const html = await waitFor(async () => {
      const text = await (await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: anna.cookie } })).text();
      return text.includes('name="via"') && text;
    }, 'the choice of channel after the call');
    expect(html).toContain('Terugbellen (een taak op de terugbellijst)');
    expect(html).toContain('Per e-mail aan marco@example.org');

    expect((await post(`/werkplek/zaken/${reference}/antwoord`, { text: 'Zoals besproken: het is geregeld.', via: 'email' })).status).toBe(303);
    const mailed = await waitFor(async () => smtp.mails.find((m) => m.raw.includes('Zoals besproken: het is geregeld.')), 'the answer by mail');
    expect(mailed.to).toEqual(['marco@example.org']);
  });

  it('takes a 20,000-character answer in any script from a plain form post, nothing lost to the body limit', async () => {
    const reference = await formCase('noor@example.org', 'Een lange vraag.');
    // Each é is 2 bytes, 6 when percent-encoded: 120 KB for the text alone.
    const text = 'é'.repeat(19_990) + ' einde';
    const saved = await post(`/werkplek/zaken/${reference}/concept`, { text });
    expect(saved.status).toBe(200);
    const [draft] = await loket.db!.query<{ text: string }>(`select text from answer_drafts d join cases c on c.id = d.case_id where c.reference = $1`, [
      reference,
    ]);
    expect(draft!.text).toBe(text);
  });

  it('shows a long timeline from its latest items, the earlier ones one link away', async () => {
    const reference = await formCase('olga@example.org', 'Een zaak met een lange geschiedenis.');
    await loket.db!.query(
      `insert into case_notes (case_id, author, text) select c.id, 'Anna Agent', 'Notitie ' || g from cases c, generate_series(1, 60) g where c.reference = $1`,
      [reference],
    );
    const page = async (query = '') => (await fetch(`${loket.url}/werkplek/zaken/${reference}${query}`, { headers: { cookie: anna.cookie } })).text();
    const items = (html: string) => (/<div id="thread">([\s\S]*?)<\/div>\s*<h2 id="composer-title">/.exec(html)?.[1]?.match(/data-kind="/g) ?? []).length;
    const latest = await page();
    expect(items(latest)).toBe(50);
    expect(latest).toMatch(/\d+ eerdere items tonen/);
    expect(latest).toContain('Notitie 60');
    expect(latest).not.toContain('Een zaak met een lange geschiedenis.');
    const whole = await page('?alles=1');
    expect(items(whole)).toBeGreaterThan(60);
    expect(whole).toContain('Een zaak met een lange geschiedenis.');
  });
});
