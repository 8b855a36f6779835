/**
 * The workspace's own pages in English for an agent who chose it: the case list, search,
 * workload, notifications, the timeline and the refusals of the case's actions; Dutch stays
 * for everyone else. Real: HTTP with sessions and CSRF, PostgreSQL, Redis, the workers, and
 * Chromium (Debian's, via playwright-core) running the served scripts.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { launchChromium, signedInContext } from './support/browser.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { expectEnglishPage, pageAs } from './support/language.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let coco: Session;
let reference: string;
let browser: Browser | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000' });
  await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
  coco = await loginAs(loket.url, 'coco@example.org');
  reference = await postWebform(loket.url, { name: 'Jan Jansen', email: 'jan@example.org', subject: 'Verlof', message: 'Hoeveel verlofuren heb ik nog?' });
  await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length === 1, 'the case');
  expect((await postAs(loket.url, coco, '/werkplek/taal', { taal: 'en', terug: '/werkplek' })).status).toBe(303);
}, 60_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await loket?.stop();
});

const get = (path: string, session = coco) => pageAs(loket.url, session, path);

it('shows the case list in English, its filters, columns and rows too', async () => {
  const { status, text } = await get('/werkplek/zaken?view=open');
  expect(status).toBe(200);
  expectEnglishPage(text);
  expect(text).toContain('<title>Cases</title>');
  expect(text).toContain('Back to the workspace');
  expect(text).toContain('<summary>Filter and sort</summary>');
  expect(text).toContain('<th scope="col">Registration number</th>');
  expect(text).toContain('<td data-label="Channel">Web form</td>');
  expect(text).toContain('Waiting for us');
  expect(text).toContain('<legend>Selected cases</legend>');
  expect(text).toContain('Press <kbd>?</kbd> for keyboard shortcuts.');
  for (const dutch of [
    'Terug naar de werkplek',
    'Filteren en sorteren',
    'Registratienummer',
    'Webformulier',
    'Wacht op ons',
    'Geselecteerde zaken',
    'sneltoetsen',
  ])
    expect(text).not.toContain(dutch);

  const rows = await get(`/werkplek/zaken/rijen?view=open&zaak=${reference}`);
  expect(rows.text).toContain('<td data-label="Sender">Jan Jansen</td>');
  expect(rows.text).not.toContain('Afzender');
});

it('searches in English', async () => {
  const { text } = await get('/werkplek/zaken?q=Jansen');
  expectEnglishPage(text);
  expect(text).toContain('<title>Search: Jansen</title>');
  expect(text).toContain('1 case found for “Jansen”.');
  expect(text).toContain('<th scope="col">Found on</th>');
  expect(text).not.toContain('gevonden voor');
  expect((await get('/werkplek/zaken?q=Nergensvandaan')).text).toContain('Nothing found for “Nergensvandaan”.');
});

it('shows the workload and the notifications in English', async () => {
  const workload = (await get('/werkplek/werklast')).text;
  expectEnglishPage(workload);
  expect(workload).toContain('<h1>Workload</h1>');
  expect(workload).toContain('Nobody is waiting in the chat.');
  expect(workload).toContain('<h2 id="agents-title">Per agent</h2>');
  expect(workload).not.toContain('Werklast');

  const notifications = (await get('/werkplek/meldingen')).text;
  expectEnglishPage(notifications);
  expect(notifications).toContain('<h1>Notifications</h1>');
  expect(notifications).toContain('You have no unread notifications.');
  expect(notifications).not.toContain('Meldingen');
});

it('tells the timeline and the refusals of the case page in English', async () => {
  const assign = await postAs(loket.url, coco, `/werkplek/zaken/${reference}/toewijzen`, { assignee: 'me' });
  expect(assign.status).toBe(303);
  const { text } = await get(`/werkplek/zaken/${reference}`);
  expectEnglishPage(text);
  expect(text).toContain('Message from Jan Jansen — jan@example.org by Web form');
  expect(text).toContain('assigned the case to Coco Coördinator.');
  expect(text).not.toContain('Bericht van');
  expect(text).not.toContain('wees de zaak toe');

  const merge = await postAs(loket.url, coco, `/werkplek/zaken/${reference}/samenvoegen`, { into: reference });
  expect(merge.status).toBe(400);
  expect(await merge.text()).toContain('Choose another, existing case to merge with.');

  const missing = await get('/werkplek/zaken/ZZ-2026-999999');
  expect(missing.status).toBe(404);
  expect(missing.text).toContain('<h1>Case not found</h1>');

  const hrDesk = await postAs(loket.url, coco, `/werkplek/zaken/${reference}/hr-loket`, { phone: '', note: 'Sparren' });
  expect(hrDesk.status).toBe(400);
  const hrPage = await hrDesk.text();
  expectEnglishPage(hrPage);
  expect(hrPage).toContain('Enter the phone number on which the specialist can call the HR professional back.');

  const bulk = await postAs(loket.url, coco, '/werkplek/zaken/bulk', { actie: 'sluiten', terug: '/werkplek/zaken' });
  expect(bulk.status).toBe(400);
  const bulkPage = await bulk.text();
  expectEnglishPage(bulkPage);
  expect(bulkPage).toContain('Choose one or more cases first.');
});

it('keeps Dutch for an agent who did not choose English', async () => {
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  const anna = await loginAs(loket.url, 'anna@example.org');
  const { text } = await get('/werkplek/zaken?view=open', anna);
  expect(text).toContain('<html lang="nl">');
  expect(text).toContain('<summary>Filteren en sorteren</summary>');
  expect(text).not.toContain('Filter and sort');
});

it('shows the keyboard overview and the notifications link in English in Chromium', async () => {
  browser = await launchChromium();
  context = await signedInContext(browser, loket.url, coco.cookie);
  const page = await context.newPage();
  await page.goto(`${loket.url}/werkplek/zaken?view=open`);
  await page.locator('#live-announcer[data-live-state="open"]').waitFor({ state: 'attached' });
  await expect.poll(() => page.locator('#notification-link').textContent()).toBe('Notifications');
  await page.keyboard.press('?');
  await expect.poll(() => page.locator('#shortcuts-title').textContent()).toBe('Keyboard shortcuts');
  expect(await page.locator('dialog.shortcuts').textContent()).toContain('Next case in the list');
  expect(await page.locator('dialog.shortcuts').textContent()).not.toContain('Sneltoetsen');
}, 60_000);
