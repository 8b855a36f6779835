/**
 * The dashboard and the reports in Chromium (Debian's, via playwright-core), with screenshots:
 * the dashboard's figures follow a new message without a reload, the report's charts load as
 * images under the page's Content-Security-Policy, and the period form works. Real: HTTP with
 * sessions, PostgreSQL, Redis, the workers.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { launchChromium, screenshot, signedInContext } from './support/browser.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { seedDecember, seedQuarter } from './support/report-fixture.js';
import { loginAs, PASSWORD, postAs } from './support/session.js';

let loket: TestLoket;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', REPORTS_REFRESH_SECONDS: '3600' });
  await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
  const coco = await loginAs(loket.url, 'coco@example.org');
  await seedDecember(loket.db!);
  await seedQuarter(loket.db!);
  expect((await postAs(loket.url, coco, '/werkplek/rapporten/bijwerken', {})).status).toBe(303);
  browser = await launchChromium();
  context = await signedInContext(browser, loket.url, coco.cookie);
}, 60_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await loket?.stop();
});

it('shows the dashboard and follows a new message without a reload', async () => {
  const page = await context.newPage();
  await page.goto(`${loket.url}/werkplek`);
  const webformToday = page.locator('#contacts-today tbody tr', { hasText: 'Webformulier' }).locator('td').first();
  await expect.poll(() => webformToday.textContent()).toBe('0');
  await page.locator('#live-announcer[data-live-state="open"]').waitFor({ state: 'attached' });
  await screenshot(page, 'dashboard');
  await postWebform(loket.url, { name: 'Jan Jansen', email: 'jan@example.org', subject: 'Verlof', message: 'Hoeveel verlofuren heb ik nog?' });
  await expect.poll(() => webformToday.textContent(), { timeout: 30_000 }).toBe('1');
  expect(await page.locator('h1').textContent()).toBe('Werkplek');
  await screenshot(page, 'dashboard-after-a-message');
});

it('shows a report with its charts as images, and changes its period through the form', async () => {
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') refused.push(message.text());
  });
  await page.goto(`${loket.url}/werkplek/rapporten?periode=maand&datum=2026-12-15`);
  const charts = page.locator('img.chart');
  expect(await charts.count()).toBe(5);
  for (const chart of await charts.all()) {
    await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }
  await screenshot(page, 'report-month');
  await page.getByLabel('Periode', { exact: true }).selectOption('kwartaal');
  await page.getByRole('button', { name: 'Toon' }).click();
  await page.waitForURL(/periode=kwartaal/);
  expect(await page.locator('#contacts-by-channel thead th').first().textContent()).toBe('Week van');
  await screenshot(page, 'report-quarter');
  await page.goto(`${loket.url}/werkplek/rapporten/klachten?kwartaal=2026-Q4`);
  for (const chart of await page.locator('img.chart').all()) {
    await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }
  await screenshot(page, 'complaint-report');
  expect(refused).toEqual([]);
});
