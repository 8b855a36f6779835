/**
 * The workspace by keyboard: through the case list with j/k, open with o, to the answer with
 * r, send with Ctrl+Enter, the overview on ?, and single-letter keys switched off there.
 * Real: Chromium (Debian's, via playwright-core) running the served scripts, Loket's HTTP with
 * sessions and CSRF, PostgreSQL, Redis and the workers.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { ARTIFACTS, launchChromium, screenshot } from './support/browser.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '100' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await loket?.stop();
});

async function signedIn(path: string): Promise<Page> {
  const session = await loginAs(loket.url, 'anna@example.org');
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const [name, value] = session.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: loket.url }]);
  const page = await context.newPage();
  await page.goto(`${loket.url}${path}`);
  return page;
}

it('moves through the list with j and k, opens with o, answers with r and Ctrl+Enter; ? explains and switches letters off', async () => {
  const references: string[] = [];
  for (const subject of ['Eerste vraag', 'Tweede vraag', 'Derde vraag']) {
    references.push(
      await postWebform(loket.url, { name: 'Joost Bakker', email: `joost.${references.length}@example.org`, subject, message: `${subject} over verlof.` }),
    );
  }
  await waitFor(async () => {
    const [row] = await loket.db!.query<{ n: number }>(`select count(*)::int as n from cases where reference = any($1)`, [references]);
    return row!.n === 3;
  }, 'three cases');

  const page = await signedIn('/werkplek/zaken');
  await page.locator('#live-announcer[data-live-state="open"]').waitFor({ state: 'attached' });
  const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
  const links = await page.locator('#case-results tr[data-reference] a[href^="/werkplek/zaken/"]').allTextContents();
  await page.keyboard.press('j');
  expect(await focused()).toBe(links[0]);
  await page.keyboard.press('j');
  expect(await focused()).toBe(links[1]);
  await page.keyboard.press('k');
  expect(await focused()).toBe(links[0]);
  await page.keyboard.press('o');
  await page.waitForURL(`**/werkplek/zaken/${links[0]}`);

  await page.keyboard.press('r');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('answer');
  await page.keyboard.type('Uw verlof is goedgekeurd.');
  await page.keyboard.press('Control+Enter');
  // Sent: back on the case with the notice (an error here would name its cause).
  await page.locator('#done, #error').first().waitFor();
  expect(await page.locator('#done, #error').first().innerText()).toContain('Uw antwoord staat klaar');
  await page.locator('#thread').getByText('Uw verlof is goedgekeurd.').waitFor();

  await page.keyboard.press('?');
  const overview = page.getByRole('dialog', { name: 'Sneltoetsen' });
  await overview.waitFor();
  await screenshot(page, 'shortcuts');
  await overview.getByLabel(/Sneltoetsen met één letter gebruiken/).uncheck();
  await overview.getByRole('button', { name: 'Sluiten' }).click();
  await page.keyboard.press('n');
  expect(await page.evaluate(() => document.activeElement?.id), 'n does nothing once letters are off').not.toBe('note');
});
