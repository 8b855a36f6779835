/**
 * An agent's day in a real browser: log a call, enter a scanned letter, and answer a mail
 * case so that the answer lands in the sender's mailbox. Real: Chromium (Debian's, driven
 * by playwright-core), Loket's HTTP with sessions and CSRF, PostgreSQL, Redis, the workers,
 * Tesseract and pdftoppm, and a private Dovecot (LMTP in, IMAP out).
 * End states are kept as screenshots in test-artifacts/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderLetterPdf } from '../channels/post/letter.pdf.js';
import { createUser } from '../src/auth/accounts.js';
import { ARTIFACTS, launchChromium, screenshot } from './support/browser.js';
import { startDovecot, type PrivateDovecot } from './support/dovecot.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { pdfPagePng } from './support/pdf.js';
import { PASSWORD } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let dovecot: PrivateDovecot;
let browser: Browser;
let work: string;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  work = await mkdtemp(path.join(tmpdir(), 'loket-flows-'));
  dovecot = await startDovecot();
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', SMTP_URL: dovecot.lmtpUrl, MAIL_FROM: 'Contactcenter <loket@loket.test>' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await loket?.stop();
  await dovecot?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A signed-in agent's page, logged in through the login form. */
async function signedIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'nl-NL' });
  const page = await context.newPage();
  await page.goto(`${loket.url}/login`);
  await page.getByLabel('E-mailadres').fill('anna@example.org');
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: /inloggen/i }).click();
  await page.getByRole('heading', { name: 'Werkplek' }).waitFor();
  return page;
}

it('an agent logs a phone call and can tell the caller the registration number', async () => {
  const page = await signedIn();
  await page.getByRole('link', { name: 'Telefoongesprek vastleggen' }).click();
  await page.getByLabel(/^Naam van de beller/).fill('Kees Bakker');
  await page.getByLabel(/^Telefoonnummer/).fill('06 12345678');
  await page.getByLabel(/^Onderwerp/).selectOption({ label: 'Salaris' });
  await page.getByLabel(/^Samenvatting van het gesprek/).fill('Vraag over de eindejaarsuitkering; uitgelegd wanneer die wordt uitbetaald.');
  await page.getByLabel(/^Uitkomst/).selectOption({ label: 'Beantwoord' });
  await page.getByRole('button', { name: 'Gesprek vastleggen' }).click();

  await page.getByRole('heading', { name: 'Gesprek vastgelegd' }).waitFor();
  const text = await page.locator('main').innerText();
  const reference = /ZK-\d{4}-\d{6}/.exec(text)?.[0];
  expect(reference, text).toBeDefined();
  await screenshot(page, 'workspace-call-logged');
  const [row] = await loket.db!.query<{ channel: string; topic: string }>(
    `select m.channel, coalesce(c.topic, m.topic_hint) as topic from messages m left join cases c on c.id = m.case_id where m.reference = $1`,
    [reference],
  );
  expect(row).toEqual({ channel: 'phone', topic: 'salaris' });
  await page.context().close();
});

it('an agent enters a scanned letter, checks the text OCR read, and submits it', async () => {
  // The scan: a Dutch letter rendered to PDF and turned into a 300 dpi image, as a scanner would.
  const pdf = await renderLetterPdf({
    letterhead: { organisation: 'J. de Boer', returnAddress: 'Dorpsstraat 1, 1234 AB Ergens' },
    recipient: { name: 'Contactcenter', postalAddress: { street: 'Postbus 20011', postalCode: '2500 EA', city: 'Den Haag' } },
    date: 'maandag 16 november 2026',
    reference: '-',
    subject: 'Vakantiegeld',
    body: 'Geachte heer, mevrouw,\n\nMijn vakantiegeld over dit jaar is te laag uitbetaald. Graag ontvang ik een nieuwe berekening.\n\nMet vriendelijke groet,\nJ. de Boer',
  });
  const scan = await pdfPagePng(pdf, 300, work, 'scan');

  const page = await signedIn();
  await page.getByRole('link', { name: 'Brief invoeren' }).click();
  await page.getByLabel(/^Scans van de brief/).setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: scan });
  await page.getByLabel(/^Naam afzender/).fill('J. de Boer');
  await page.getByLabel(/^Straat en huisnummer/).fill('Dorpsstraat 1');
  await page.getByLabel(/^Postcode/).fill('1234 AB');
  await page.getByLabel(/^Plaats/).fill('Ergens');
  await page.getByRole('button', { name: 'Brief invoeren' }).click();

  // The page refreshes itself while OCR runs; the text box fills once it is done.
  const text = page.getByLabel(/^Tekst van de brief/);
  await waitFor(
    async () => {
      if ((await text.count()) > 0 && /vakantiegeld/i.test(await text.inputValue())) return true;
      await page.reload();
      return false;
    },
    'the OCR text on the page',
    120_000,
    1_000,
  );
  await text.fill(`${await text.inputValue()}\n(Gecontroleerd door Anna.)`);
  await page.getByRole('button', { name: 'Brief indienen' }).click();
  await expect.poll(() => page.locator('main').innerText(), { timeout: 15_000 }).toMatch(/ZK-\d{4}-\d{6}/);
  await screenshot(page, 'workspace-letter-submitted');
  const [row] = await loket.db!.query<{ channel: string; text: string }>(`select channel, text from messages where channel = 'post' order by id desc limit 1`);
  expect(row!.text).toContain('(Gecontroleerd door Anna.)');
  await page.context().close();
});

it('an agent answers a mail case and the answer lands in the sender’s mailbox, in the thread', async () => {
  const original = '<vraag-over-declaratie@example.org>';
  const { messageId } = await loket.intake.accept({
    channel: 'email',
    externalId: original,
    receivedAt: new Date(),
    sender: { name: 'Jan Jansen', email: 'jan@loket.test' },
    subject: 'Declaratie reiskosten',
    text: 'Mijn declaratie van oktober is nog niet uitbetaald.',
    thread: { messageId: original, references: [] },
  });
  const reference = await waitFor(async () => {
    const [row] = await loket.db!.query<{ reference: string }>(`select c.reference from messages m join cases c on c.id = m.case_id where m.id = $1`, [
      messageId,
    ]);
    return row?.reference;
  }, 'the mail to be routed');

  const page = await signedIn();
  await page.goto(`${loket.url}/werkplek/zaken/${reference}`);
  await page.getByRole('heading', { name: `Zaak ${reference}` }).waitFor();
  await page.getByLabel('Uw antwoord').fill('Beste Jan, uw declaratie wordt deze week uitbetaald.');
  await page.getByRole('button', { name: 'Versturen', exact: true }).click();

  const answer = await dovecot.waitForMessage('jan', (m) => m.raw.includes('uw declaratie wordt deze week uitbetaald'), { timeoutMs: 30_000 });
  expect(answer.subject).toContain(`[${reference}]`);
  expect(answer.headers['in-reply-to']).toBe(original);
  await page.reload();
  await screenshot(page, 'workspace-mail-answered');
  await page.context().close();
});
