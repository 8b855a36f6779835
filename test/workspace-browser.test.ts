/**
 * The agent workspace in a real browser, without any script of ours: log in, find the case
 * in the list, open it, answer with a template. Real: Chromium (Debian's, driven by
 * playwright-core), Loket's HTTP with sessions and CSRF, PostgreSQL, Redis and the workers.
 * The end state is kept as a screenshot in test-artifacts/.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { ARTIFACTS, launchChromium, screenshot } from './support/browser.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';

const PASSWORD = 'een-lang-wachtwoord-42';
let loket: TestLoket;
let browser: Browser;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await loket?.stop();
});

it('an agent logs in, opens a case from the list, answers it with a template and sees the answer sent in the thread', async () => {
  const id = `<${randomUUID()}@example.org>`;
  const { messageId } = await loket.intake.accept({
    channel: 'email',
    externalId: id,
    receivedAt: new Date(),
    sender: { name: 'Fatima El Amrani', email: 'fatima@example.org' },
    subject: 'Vraag over mijn verlofsaldo',
    text: 'Hoeveel verlofdagen heb ik nog?',
    thread: { messageId: id, references: [] },
  });
  const reference = await waitFor(async () => {
    const [row] = await loket.db!.query<{ reference: string }>(`select c.reference from messages m join cases c on c.id = m.case_id where m.id = $1`, [
      messageId,
    ]);
    return row?.reference;
  }, 'the mail to be routed');

  // A Dutch browser: the sign-in pages follow the browser's language, and Chromium's own asks for English.
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'nl-NL' });
  const page = await context.newPage();
  await page.goto(`${loket.url}/werkplek`);
  await page.getByRole('link', { name: 'Naar inloggen' }).click();
  await page.getByLabel('E-mailadres').fill('anna@example.org');
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: /inloggen/i }).click();

  await page.getByRole('link', { name: 'Zaken', exact: true }).click();
  await page.getByRole('heading', { name: 'Zaken' }).waitFor();
  await page.getByRole('link', { name: reference }).click();
  await page.getByRole('heading', { name: `Zaak ${reference}` }).waitFor();
  expect(await page.locator('#thread').innerText()).toContain('Hoeveel verlofdagen heb ik nog?');

  await page.getByLabel(/^Sjabloon/).selectOption({ label: 'Spoed' });
  await page.getByRole('button', { name: 'Sjabloon invoegen' }).click();
  const answer = page.getByLabel('Uw antwoord');
  await expect.poll(() => answer.inputValue()).toContain(`Uw bericht is geregistreerd onder nummer ${reference}`);
  await answer.fill(`${await answer.inputValue()}\n\nU hebt nog 12 verlofdagen.`);
  await page.getByRole('button', { name: 'Versturen', exact: true }).click();

  await expect.poll(() => page.locator('#done').innerText()).toContain('Uw antwoord staat klaar');
  const outbound = page.locator('article[data-outbox-kind="answer"]');
  expect(await outbound.innerText()).toContain('U hebt nog 12 verlofdagen.');
  // Pending at first, then sent: reload until the deliver worker has sent it.
  await waitFor(async () => {
    await page.reload();
    return (await outbound.getAttribute('data-status')) === 'sent';
  }, 'the answer to be sent');
  expect(await outbound.innerText()).toContain('Verstuurd');
  await screenshot(page, 'workspace-answered');
  await context.close();
});
