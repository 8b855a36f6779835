/**
 * Two agents on one case see each other, and see when the other types. Real: Chromium
 * (Debian's, via playwright-core) running the live page script, Loket's HTTP with sessions
 * and CSRF, the event stream over Redis pub/sub on the shared Redis, PostgreSQL and the workers.
 * The end state is kept as a screenshot in test-artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { ARTIFACTS, launchChromium, screenshot, signedInContext } from './support/browser.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD } from './support/session.js';
import { waitFor } from './support/wait.js';

/** A form message's case, once routed. */
async function caseOfForm(fields: { name: string; email: string; subject: string; message: string }): Promise<string> {
  const reference = await postWebform(loket.url, fields);
  await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length > 0, 'the case');
  return reference;
}

let loket: TestLoket;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'bram@example.org', name: 'Bram Collega', role: 'agent', password: PASSWORD });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await loket?.stop();
});

async function openAs(email: string, path: string): Promise<Page> {
  const context = await signedInContext(browser, loket.url, (await loginAs(loket.url, email)).cookie);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${loket.url}${path}`);
  await page.locator('#live-announcer[data-live-state="open"]').waitFor({ state: 'attached', timeout: 10_000 });
  return page;
}

it('two agents on one case see each other, and who is typing, without a reload; leaving clears it', async () => {
  const reference = await caseOfForm({
    name: 'Joost Bakker',
    email: 'joost@example.org',
    subject: 'Reiskosten',
    message: 'Mijn reiskosten zijn niet vergoed.',
  });
  const anna = await openAs('anna@example.org', `/werkplek/zaken/${reference}`);
  const bram = await openAs('bram@example.org', `/werkplek/zaken/${reference}`);

  await anna.locator('#presence').getByText('Bram Collega heeft deze zaak ook open.').waitFor({ timeout: 10_000 });
  await bram.locator('#presence').getByText('Anna Agent heeft deze zaak ook open.').waitFor({ timeout: 10_000 });

  await bram.locator('textarea').first().pressSequentially('Beste Joost,', { delay: 10 });
  await anna.locator('#presence').getByText('Bram Collega typt nu een antwoord of notitie op deze zaak.').waitFor({ timeout: 10_000 });
  await screenshot(anna, 'case-presence');

  // Stopped typing: after 5 s back to "has it open".
  await anna.locator('#presence').getByText('Bram Collega heeft deze zaak ook open.').waitFor({ timeout: 15_000 });

  await bram.goto(`${loket.url}/werkplek`);
  await expect.poll(async () => anna.locator('#presence').isHidden(), { timeout: 10_000 }).toBe(true);
});

it('refuses a beat without the CSRF token, and for a case that does not exist', async () => {
  const session = await loginAs(loket.url, 'anna@example.org');
  const reference = await caseOfForm({ name: 'Els', email: 'els@example.org', subject: 'Verlof', message: 'Verlof aanvragen.' });
  const beat = (path: string, token?: string) =>
    fetch(`${loket.url}${path}`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) },
      body: JSON.stringify({ typing: false }),
    });
  expect((await beat(`/werkplek/zaken/${reference}/aanwezig`)).status).toBe(403);
  expect((await beat(`/werkplek/zaken/ZK-1999-000001/aanwezig`, session.csrfToken)).status).toBe(404);
  const ok = await beat(`/werkplek/zaken/${reference}/aanwezig`, session.csrfToken);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toMatchObject({ others: [] });
});
