/**
 * Live updates in a real browser: the case list and the case view follow changes without a
 * reload. Real: Chromium (Debian's, driven by playwright-core) running the page script,
 * Loket's HTTP with sessions, its event stream, Redis pub/sub, PostgreSQL and the workers.
 * The end states are kept as screenshots in test-artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { ARTIFACTS, launchChromium, screenshot } from './support/browser.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let browser: Browser;
let anna: Session;
let bram: Session;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'bram@example.org', name: 'Bram Agent', role: 'agent', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  bram = await loginAs(loket.url, 'bram@example.org');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await loket?.stop();
});

/** A page signed in as Anna (her session cookie), opened at `path`, its live stream open. */
async function openAsAnna(path: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const [name, value] = anna.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: loket.url }]);
  const page = await context.newPage();
  await page.goto(`${loket.url}${path}`);
  await page.locator('#live-announcer[data-live-state="open"]').waitFor({ state: 'attached', timeout: 10_000 });
  // Survives only if the page is never loaded again.
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  return { context, page };
}

const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

const postForm = (subject: string) =>
  postWebform(loket.url, { name: 'Joost Bakker', email: 'joost@example.org', subject, message: 'Mijn thuiswerkvergoeding staat niet op mijn strook.' });

it('a new case is announced in an agent\u2019s open case list without a reload, and shown at the click of a button', async () => {
  const { context, page } = await openAsAnna('/werkplek/zaken?view=open');
  const pages: string[] = [];
  page.on('request', (request) => pages.push(new URL(request.url()).pathname));
  const reference = await postForm('Thuiswerkvergoeding');

  const news = page.locator('#live-news');
  await news.getByText('1 zaak in deze weergave is nieuw of gewijzigd.').waitFor({ timeout: 15_000 });
  expect(await notReloaded(page)).toBe(true);
  // Asked about that case alone: the list page itself was not fetched again.
  expect(pages).toContain('/werkplek/zaken/rijen');
  expect(pages).not.toContain('/werkplek/zaken');
  await expect.poll(() => page.locator('#live-announcer').textContent()).toBe('1 zaak in deze weergave is nieuw of gewijzigd.');
  expect(await page.locator('#live-announcer').getAttribute('aria-live')).toBe('polite');
  await screenshot(page, 'workspace-live-news');

  await news.getByRole('button', { name: 'Lijst bijwerken' }).click();
  await page.getByRole('link', { name: reference }).waitFor({ timeout: 10_000 });
  expect(await notReloaded(page)).toBe(true);
  expect(await page.locator(`#case-results tr[data-reference="${reference}"]`).innerText()).toContain('Thuiswerkvergoeding');
  await expect.poll(() => page.locator('#live-announcer').textContent()).toBe(`Nieuwe zaak in de lijst: ${reference}.`);
  expect(await news.isHidden()).toBe(true);
  await screenshot(page, 'workspace-live-list');
  await context.close();
});

it('a case shown in the list that a colleague assigns is updated in its row alone, and leaves a view it no longer belongs to', async () => {
  const reference = await postForm('Reiskosten');
  await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length === 1, 'the case');
  const { context, page } = await openAsAnna('/werkplek/zaken?view=unassigned');
  const { context: openContext, page: open } = await openAsAnna('/werkplek/zaken?view=open');
  const lists: string[] = [];
  for (const each of [page, open]) each.on('request', (request) => lists.push(new URL(request.url()).pathname));
  const row = (on: Page) => on.locator(`#case-results tr[data-reference="${reference}"]`);
  expect(await row(page).count()).toBe(1);
  expect(await row(open).locator('td[data-label="Behandelaar"]').innerText()).toBe('niemand');

  const form = await fetch(`${loket.url}/werkplek/zaken/${reference}/toewijzen`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: bram.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: bram.csrfToken, assignee: 'me' }),
  });
  expect(form.status).toBe(303);

  // The open list keeps the row and shows the new assignee; the unassigned view drops it.
  await expect.poll(() => row(open).locator('td[data-label="Behandelaar"]').innerText(), { timeout: 15_000 }).toBe('Bram Agent');
  await expect.poll(() => row(page).count(), { timeout: 15_000 }).toBe(0);
  await expect.poll(() => page.locator('#live-announcer').textContent()).toBe(`Niet meer in deze weergave: ${reference}.`);
  expect(await notReloaded(page)).toBe(true);
  expect(await notReloaded(open)).toBe(true);
  expect(lists).not.toContain('/werkplek/zaken');
  await openContext.close();
  await context.close();
});

it('a colleague\u2019s note appears in an open case without a reload, and the answer being typed stays', async () => {
  const reference = await postForm('Reiskosten');
  await waitFor(async () => (await loket.db!.query('select 1 from cases where reference = $1', [reference])).length > 0, `case ${reference}`);
  const { context, page } = await openAsAnna(`/werkplek/zaken/${reference}`);
  await page.getByLabel('Uw antwoord').fill('Beste Joost, ');

  const response = await fetch(`${loket.url}/werkplek/zaken/${reference}/notitie`, {
    method: 'POST',
    headers: { cookie: bram.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: bram.csrfToken, text: 'Salarisadministratie gebeld; volgt morgen.' }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);

  const note = page.locator('#thread article[data-kind="note"]');
  await note.waitFor({ timeout: 15_000 });
  expect(await note.innerText()).toContain('Salarisadministratie gebeld; volgt morgen.');
  expect(await notReloaded(page)).toBe(true);
  expect(await page.getByLabel('Uw antwoord').inputValue()).toBe('Beste Joost, ');
  await expect.poll(() => page.locator('#live-announcer').textContent()).toContain('Deze zaak is bijgewerkt: 1 nieuwe notitie');
  await screenshot(page, 'workspace-live-case');
  await context.close();
});
