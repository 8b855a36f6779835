/**
 * The contact form in a real browser. Real: Chromium (Debian's, headless, driven by
 * playwright-core), HTTP, PostgreSQL (a database of its own), Redis and the BullMQ
 * workers that route the message and deliver the acknowledgement to the case page.
 * Fields are found by their labels, so an unlabelled field fails the test.
 * End states are kept as screenshots in test-artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, freePort, launchChromium, screenshot } from './support/browser.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';

const REFERENCE = /^ZK-\d{4}-\d{6}$/;

let loket: TestLoket;
let browser: Browser;
let context: BrowserContext | undefined;

/** A minimal valid one-page PDF: header, four objects, a cross-reference table with true offsets. */
function minimalPdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

async function newPage(locale: string): Promise<Page> {
  context = await browser.newContext({ locale, viewport: { width: 1000, height: 900 } });
  return context.newPage();
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  const port = await freePort();
  loket = await startTestLoket({ HTTP_PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, WEBFORM_RATE_LIMIT_MAX: '1000' });
  browser = await launchChromium();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await loket?.stop();
});

describe('the contact form in a browser', () => {
  it('a person fills in the form with an attachment, gets a registration number and sees the acknowledgement on the case page', async () => {
    const page = await newPage('nl-NL');
    await page.goto(`${loket.url}/contact`);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('nl');
    await expect.poll(() => page.title()).toBe('Contactformulier');

    await page.getByLabel(/^Naam/).fill('Jan de Vries');
    await page.getByLabel(/^E-mailadres/).fill('jan.devries@example.org');
    await page.getByLabel(/^Onderwerp van uw vraag/).selectOption({ label: 'Verlof' });
    await page.getByLabel(/^Korte omschrijving/).fill('Verlofsaldo klopt niet');
    await page.getByLabel(/^Uw vraag of bericht/).fill('Mijn verlofsaldo toont 12 uur minder dan ik verwacht. Het overzicht zit als bijlage bij.');
    await page.getByLabel(/^Bijlagen/).setInputFiles({ name: 'verlofoverzicht.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Verlofoverzicht') });

    // Submitted from the keyboard: focus the button and press Enter.
    await page.getByRole('button', { name: 'Versturen' }).focus();
    await Promise.all([page.waitForURL(`${loket.url}/contact`), page.keyboard.press('Enter')]);

    await page.getByRole('heading', { level: 1, name: 'Bedankt voor uw bericht' }).waitFor();
    const reference = (await page.locator('#reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(REFERENCE);
    await screenshot(page, 'contact-thanks-nl');

    const [stored] = await loket.db!.query<{ id: string; channel: string; subject: string; sender: { email: string }; topic_hint: string; locale: string }>(
      `select id, channel, subject, sender, topic_hint, locale from messages where reference = $1`,
      [reference],
    );
    expect(stored).toMatchObject({ channel: 'webform', subject: 'Verlofsaldo klopt niet', topic_hint: 'verlof', locale: 'nl' });
    expect(stored!.sender.email).toBe('jan.devries@example.org');
    const files = await loket.db!.query<{ filename: string; content_type: string; size: number }>(
      `select filename, content_type, size from attachments where message_id = $1`,
      [stored!.id],
    );
    expect(files).toEqual([{ filename: 'verlofoverzicht.pdf', content_type: 'application/pdf', size: minimalPdf('Verlofoverzicht').byteLength }]);

    // Follow the case-page link as a person would: by clicking it.
    const link = page.getByRole('link', { name: 'Bekijk uw zaak' });
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${loket.url}/zaak/[A-Za-z0-9_-]{20,}$`));
    await Promise.all([page.waitForURL(/\/zaak\//), link.click()]);
    await expect.poll(() => page.locator('#reference').textContent()).toBe(reference);

    // Routing and delivery run in the workers; the page shows the acknowledgement once it was sent.
    const acknowledgement = page.locator('article[data-kind="acknowledgement"]');
    await waitFor(
      async () => {
        if ((await acknowledgement.count()) > 0) return true;
        await page.reload();
        return false;
      },
      'the acknowledgement on the case page',
      30_000,
      500,
    );
    await expect.poll(() => acknowledgement.textContent()).toContain(reference);
    expect(await page.locator('article[data-kind="inbound"]').textContent()).toContain('Mijn verlofsaldo toont 12 uur minder');
    await screenshot(page, 'case-page-nl');

    const [opened] = await loket.db!.query<{ reference: string; topic: string; channel: string; status: string }>(
      `select c.reference, c.topic, c.channel, c.status from cases c join messages m on m.case_id = c.id where m.id = $1`,
      [stored!.id],
    );
    expect(opened).toEqual({ reference, topic: 'verlof', channel: 'webform', status: 'open' });
  });

  it('an invalid e-mail address shows the error summary and the field error, marks the field, and stores nothing', async () => {
    const page = await newPage('nl-NL');
    const before = await loket.db!.query<{ n: string }>(`select count(*) as n from messages`);
    await page.goto(`${loket.url}/contact`);

    await page.getByLabel(/^Naam/).fill('Piet Jansen');
    await page.getByLabel(/^E-mailadres/).fill('piet.jansen-at-example');
    await page.getByLabel(/^Korte omschrijving/).fill('Declaratie reiskosten');
    await page.getByLabel(/^Uw vraag of bericht/).fill('Mijn declaratie van vorige maand is nog niet uitbetaald.');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${loket.url}/contact` && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Versturen' }).click(),
    ]);
    expect(response.status()).toBe(400);

    const summary = page.getByRole('alert');
    await summary.waitFor();
    expect(await summary.getByRole('heading').textContent()).toBe('Controleer de volgende velden:');
    const emailError = 'Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.';
    expect(await summary.getByRole('link', { name: emailError }).getAttribute('href')).toBe('#email');
    // The summary takes focus so a screen reader announces it first.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('error-summary');

    const email = page.getByLabel(/^E-mailadres/);
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toBe('email-error');
    // Screen readers hear that it is an error; the prefix is visually hidden.
    expect(await page.locator('#email-error').textContent()).toBe(`Fout: ${emailError}`);
    // What was typed stays, so nobody has to start over.
    expect(await email.inputValue()).toBe('piet.jansen-at-example');
    expect(await page.getByLabel(/^Uw vraag of bericht/).inputValue()).toBe('Mijn declaratie van vorige maand is nog niet uitbetaald.');
    expect(await page.getByLabel(/^Naam/).getAttribute('aria-invalid')).toBeNull();
    expect(await page.title()).toBe('Contactformulier – Controleer de gemarkeerde velden.');
    await screenshot(page, 'contact-invalid-email-nl');

    const after = await loket.db!.query<{ n: string }>(`select count(*) as n from messages`);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(await loket.db!.query(`select id from messages where subject = $1`, ['Declaratie reiskosten'])).toEqual([]);
  });

  it('is usable in English with ?lang=en, even in a Dutch browser', async () => {
    const page = await newPage('nl-NL');
    await page.goto(`${loket.url}/contact?lang=en`);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('heading', { level: 1, name: 'Contact form' }).waitFor();

    await page.getByLabel(/^Name/).fill('Mary Smith');
    await page.getByLabel(/^E-mail address/).fill('mary.smith@example.org');
    await page.getByLabel(/^Topic of your question/).selectOption({ label: 'Salary' });
    await page.getByLabel(/^Short description/).fill('Payslip for October');
    await page.getByLabel(/^Your question or message/).fill('My payslip for October shows the wrong amount.');
    await Promise.all([page.waitForURL(`${loket.url}/contact`), page.getByRole('button', { name: 'Send' }).click()]);

    await page.getByRole('heading', { level: 1, name: 'Thank you for your message' }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    const reference = (await page.locator('#reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(REFERENCE);
    expect(await page.locator('main').textContent()).toContain('Your case page shows the acknowledgement');
    await screenshot(page, 'contact-thanks-en');

    await Promise.all([page.waitForURL(/\/zaak\//), page.getByRole('link', { name: 'View your case' }).click()]);
    await page.getByRole('heading', { level: 1, name: 'Your case' }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.locator('#reference').textContent()).toBe(reference);

    const [stored] = await loket.db!.query<{ subject: string; locale: string; topic_hint: string }>(
      `select subject, locale, topic_hint from messages where reference = $1`,
      [reference],
    );
    expect(stored).toEqual({ subject: 'Payslip for October', locale: 'en', topic_hint: 'salaris' });
    const [opened] = await waitFor(async () => {
      const rows = await loket.db!.query<{ locale: string; topic: string }>(`select locale, topic from cases where reference = $1`, [reference]);
      return rows.length > 0 && rows;
    }, 'the case to be opened');
    expect(opened).toEqual({ locale: 'en', topic: 'salaris' });
  });
});
