/**
 * The answer composer in Chromium (Debian's, through playwright-core), with its served script
 * under the strict CSP: drafts saved on the server as the agent types, a template inserted at
 * the cursor, and a file sent with a mail answer. Real: HTTP with sessions and CSRF,
 * PostgreSQL, Redis, the workers, and an SMTP server (smtp-server) that receives the mail.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { formatLongDate } from '../src/calendar.js';
import { DEFAULT_REPLY_TEMPLATES } from '../src/policy/templates.js';
import { axeViolations } from './support/axe.js';
import { ARTIFACTS, launchChromium, screenshot, signedInContext } from './support/browser.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { waitFor } from './support/wait.js';

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let loket: TestLoket;
let anna: Session;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** A template that uses every variable, the agent's name included. */
const SIGNED = {
  key: 'met-naam',
  name: 'Met naam',
  locale: 'nl',
  subject: 'Uw vraag [{reference}]',
  body: 'U hoort uiterlijk {answerBy} van ons over {reference}, {name}. Groet, {agent}',
};

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  smtp = await startSmtpSink();
  loket = await startTestLoket({ SMTP_URL: smtp.url, LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '100' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await loket.db!.query(`insert into settings (key, value) values ('reply.templates', $1::jsonb)`, [JSON.stringify([...DEFAULT_REPLY_TEMPLATES, SIGNED])]);
  anna = await loginAs(loket.url, 'anna@example.org');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await loket?.stop();
  await smtp?.close();
});

async function caseOf(reference: string): Promise<{ id: string; status: string; answer_by: string }> {
  return waitFor(
    async () =>
      (
        await loket.db!.query<{ id: string; status: string; answer_by: string }>(`select id, status, answer_by::text from cases where reference = $1`, [
          reference,
        ])
      )[0],
    `case ${reference}`,
  );
}

async function formCase(name: string, email: string): Promise<string> {
  const reference = await postWebform(loket.url, { name, email, subject: 'Reiskosten', message: 'Mijn reiskosten zijn niet vergoed.' });
  await caseOf(reference);
  return reference;
}

async function openCase(reference: string, cookie = anna.cookie, options: { bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await signedInContext(browser, loket.url, cookie, { height: 1000, ...options });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${loket.url}/werkplek/zaken/${reference}`);
  return page;
}

const draftOf = async (reference: string) =>
  (await loket.db!.query<{ text: string }>(`select d.text from answer_drafts d join cases c on c.id = d.case_id where c.reference = $1`, [reference]))[0]?.text;

describe('the answer box in Chromium', () => {
  it('keeps what the agent types: it survives a reload and opens in another browser where the same agent signed in', async () => {
    const reference = await formCase('Joost Bakker', 'joost@example.org');
    const page = await openCase(reference);
    const box = page.getByLabel('Uw antwoord');
    await box.click();
    await box.pressSequentially('Beste Joost, uw declaratie van maart is goedgekeurd.');
    // The live region tells (screen readers too) that the draft is on the server.
    await expect.poll(() => page.locator('#draft-status[role="status"]').innerText(), { timeout: 10_000 }).toMatch(/^Concept opgeslagen om \d\d:\d\d\.$/);
    expect(await draftOf(reference)).toBe('Beste Joost, uw declaratie van maart is goedgekeurd.');

    await page.reload();
    expect(await page.getByLabel('Uw antwoord').inputValue(), 'after a reload').toBe('Beste Joost, uw declaratie van maart is goedgekeurd.');

    const laptop = await loginAs(loket.url, 'anna@example.org');
    expect(laptop.cookie, 'a session of its own').not.toBe(anna.cookie);
    const elsewhere = await openCase(reference, laptop.cookie);
    const there = elsewhere.getByLabel('Uw antwoord');
    expect(await there.inputValue(), 'in the other browser').toBe('Beste Joost, uw declaratie van maart is goedgekeurd.');
    await there.press('End');
    await there.pressSequentially(' Het geld staat binnen vijf werkdagen op uw rekening.');
    await expect
      .poll(() => draftOf(reference), { timeout: 10_000 })
      .toBe('Beste Joost, uw declaratie van maart is goedgekeurd. Het geld staat binnen vijf werkdagen op uw rekening.');
    await page.reload();
    expect(await page.getByLabel('Uw antwoord').inputValue(), 'the first browser finds the second one’s words').toContain('vijf werkdagen');
    await screenshot(page, 'composer-draft');

    await page.getByRole('button', { name: 'Versturen', exact: true }).click();
    await page.locator('#done').waitFor();
    expect(await page.getByLabel('Uw antwoord').inputValue(), 'sent: the box is empty').toBe('');
    expect(await draftOf(reference), 'sent: the draft is gone').toBeUndefined();
  });

  it('inserts a template at the cursor with its variables filled, keeping the text before and after it, without a reload', async () => {
    const reference = await formCase('Karin de Vries', 'karin@example.org');
    const { answer_by } = await caseOf(reference);
    const page = await openCase(reference);
    const box = page.getByLabel('Uw antwoord');
    const before = 'Beste mevrouw De Vries,\n\n';
    const after = '\n\nMet vriendelijke groet';
    await box.fill(before + after);
    await box.evaluate((element: HTMLTextAreaElement, at: number) => element.setSelectionRange(at, at), before.length);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await page.getByLabel(/^Sjabloon/).selectOption({ label: 'Met naam' });
    await page.getByRole('button', { name: 'Sjabloon invoegen' }).click();
    const filled = `U hoort uiterlijk ${formatLongDate(answer_by, 'nl')} van ons over ${reference}, Karin de Vries. Groet, Anna Agent`;
    await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toBe(before + filled + after);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), 'the same page, not a reload').toBe(true);
    expect(await box.evaluate((element: HTMLTextAreaElement) => element.selectionStart), 'the cursor after the template').toBe((before + filled).length);
    await expect.poll(() => page.locator('#draft-status').innerText(), { timeout: 10_000 }).toMatch(/Concept opgeslagen om/);
    expect(await draftOf(reference)).toBe(before + filled + after);
    await screenshot(page, 'composer-template');
  });

  it('sends a chosen file with a mail answer and closes the case: the mail server gets the file, the case lists it', async () => {
    const id = `<${randomUUID()}@example.org>`;
    await loket.intake.accept({
      channel: 'email',
      externalId: id,
      receivedAt: new Date(),
      sender: { name: 'Lies Jansen', email: 'lies@example.org' },
      subject: 'Mijn besluit',
      text: 'Kunt u mij het besluit sturen?',
      thread: { messageId: id, references: [] },
    });
    const reference = await waitFor(
      async () =>
        (await loket.db!.query<{ reference: string }>(`select c.reference from messages m join cases c on c.id = m.case_id where m.external_id = $1`, [id]))[0]
          ?.reference,
      'the mail to be routed',
    );
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const page = await openCase(reference, anna.cookie, { bypassCSP: true });
    expect(await page.locator('#answer-destination').innerText()).toContain('Het antwoord gaat via E-mail aan Lies Jansen — lies@example.org');
    expect(await axeViolations(page), 'the composer with its file field').toEqual([]);
    await page.getByLabel('Uw antwoord').fill('Hierbij het besluit.');
    await page.getByLabel(/^Bijlagen/).setInputFiles({ name: 'besluit.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Versturen en sluiten' }).click();
    expect(await page.locator('#done').innerText()).toContain('de zaak is gesloten');
    expect((await caseOf(reference)).status).toBe('closed');

    const mail = await waitFor(async () => smtp.mails.find((m) => m.raw.includes('Hierbij het besluit.')), 'the answer at the mail server');
    const parsed = await simpleParser(mail.raw);
    expect(parsed.text).toContain('Hierbij het besluit.');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([['besluit.pdf', 'application/pdf']]);
    expect(Buffer.compare(parsed.attachments[0]!.content, pdf), 'the same bytes').toBe(0);

    await page.reload();
    const link = page.locator('article[data-outbox-kind="answer"]').getByRole('link', { name: 'besluit.pdf' });
    const download = await fetch(new URL((await link.getAttribute('href'))!, loket.url), { headers: { cookie: anna.cookie } });
    expect(download.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await download.arrayBuffer()), pdf), 'the case keeps the file that went').toBe(0);
    await screenshot(page, 'composer-attachment');
  });
});
