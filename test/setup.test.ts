/**
 * First run without the command line (issue 15): an installation without an admin prints a
 * one-time setup link in its log; /setup makes the first admin in the browser, after which the
 * link is dead. Real: Loket over HTTP, PostgreSQL, Redis, and Debian's Chromium filling the form.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { offerSetup } from '../src/auth/setup.js';
import { freePort, launchChromium, screenshot } from './support/browser.js';
import { capturingLogger, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs } from './support/session.js';

let loket: TestLoket;
let browser: Browser | undefined;
const captured = capturingLogger();
let port: number;

beforeAll(async () => {
  port = await freePort();
  loket = await startTestLoket({ HTTP_PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOGIN_RATE_LIMIT: '1000' }, { log: captured.log });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await loket?.stop();
});

const setupLink = () => {
  const line = captured.lines.find((l) => typeof l['setupLink'] === 'string');
  expect(line?.['level']).toBe(40);
  return String(line!['setupLink']);
};

const post = (fields: Record<string, string>) =>
  fetch(`${loket.url}/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });

it('prints a one-time link in the log and refuses any other', async () => {
  const link = setupLink();
  expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/setup\\?token=[A-Za-z0-9_-]{32}$`));
  const page = await fetch(link);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<h1>Loket inrichten</h1>');
  for (const wrong of [`${loket.url}/setup`, `${loket.url}/setup?token=${'x'.repeat(32)}`]) expect((await fetch(wrong)).status).toBe(404);
  expect(
    (await post({ token: 'guess', naam: 'Mallory', email: 'm@example.org', wachtwoord: 'een-heel-lang-wachtwoord', herhaling: 'een-heel-lang-wachtwoord' }))
      .status,
  ).toBe(404);
});

it('names every field that is wrong and keeps what was typed', async () => {
  const token = new URL(setupLink()).searchParams.get('token')!;
  const response = await post({ token, naam: 'Anna Beheer', email: 'geen-adres', wachtwoord: 'kort', herhaling: 'anders' });
  expect(response.status).toBe(400);
  const page = await response.text();
  expect(page).toContain('<a href="#email">Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.</a>');
  expect(page).toContain('<a href="#wachtwoord">Het wachtwoord moet minstens 12 tekens hebben.</a>');
  expect(page).toContain('<a href="#herhaling">De twee wachtwoorden zijn niet gelijk.</a>');
  expect(page).toContain('value="Anna Beheer"');
  expect(page).not.toContain('value="kort"');
});

it('makes the first admin in Chromium, who can sign in; the link is dead afterwards', async () => {
  browser = await launchChromium();
  // A Dutch browser: Chromium's own default asks for English, which /setup would then speak.
  const page = await browser.newPage({ locale: 'nl-NL' });
  await page.goto(setupLink());
  await page.getByLabel('Uw naam').fill('Anna Beheer');
  await page.getByLabel('E-mailadres').fill('anna@example.org');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('een-heel-lang-wachtwoord');
  await page.getByLabel('Wachtwoord nog een keer').fill('een-heel-lang-wachtwoord');
  await screenshot(page, 'setup-form');
  await page.getByRole('button', { name: 'Beheerder aanmaken' }).click();
  await page.getByRole('heading', { name: 'De beheerder is aangemaakt' }).waitFor();
  await screenshot(page, 'setup-done');
  const anna = await loginAs(loket.url, 'anna@example.org', 'een-heel-lang-wachtwoord');
  expect((await fetch(`${loket.url}/admin`, { headers: { cookie: anna.cookie } })).status).toBe(200);
  expect((await fetch(setupLink())).status).toBe(404);
  const [tokens] = await loket.db!.query<{ n: number }>(`select count(*)::int as n from setup_tokens`);
  expect(tokens!.n).toBe(0);
  // A restart with an admin offers no link.
  expect(await offerSetup(loket.database.db, `http://127.0.0.1:${port}`, captured.log)).toBeUndefined();
});
