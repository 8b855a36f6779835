/**
 * Every page type works under Loket's strict Content Security Policy, with no violation, and
 * the chat widget still works embedded on a page of another origin.
 * Real: Debian's Chromium (playwright-core), Loket over HTTP on PostgreSQL and Redis, a
 * portal page served from another origin.
 */
import { createServer, type Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../src/auth/accounts.js';
import { ARTIFACTS, freePort, launchChromium, screenshot } from './support/browser.js';
import { OPEN_CLOCK } from './support/chat-client.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { PASSWORD } from './support/session.js';

let loket: TestLoket;
let browser: Browser;
let portal: Server;
let portalUrl: string;
let reference: string;
let statusUrl: string;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  const portalPort = await freePort();
  portalUrl = `http://127.0.0.1:${portalPort}`;
  loket = await startTestLoket(
    { CHAT_ALLOWED_ORIGINS: portalUrl, PUBLIC_URL: 'https://loket.example.org', WEBFORM_RATE_LIMIT_MAX: '100' },
    { clock: OPEN_CLOCK },
  );
  await createUser(loket.database.db, { email: 'beheer@example.org', name: 'Bea Beheer', role: 'admin', password: PASSWORD });
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Sanne', email: 'sanne@example.org', subject: 'Verlof', message: 'Een vraag over verlof.' }),
  });
  ({ reference, statusUrl } = (await response.json()) as { reference: string; statusUrl: string });
  await postWebform(loket.url, { name: 'Kees', email: 'kees@example.org', subject: 'Salaris', message: 'Een vraag over salaris.' });
  portal = createServer((_request, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="nl"><head><title>Portaal</title></head>
<body><h1>Portaal</h1><script src="${loket.url}/widget.js" defer></script></body></html>`);
  });
  await new Promise<void>((resolve) => portal.listen(portalPort, '127.0.0.1', resolve));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => portal?.close(resolve));
  await loket?.stop();
});

/** A page that records every CSP violation, as the browser reports them. */
async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const context = await browser.newContext({ locale: 'nl-NL' });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const page = await context.newPage();
  const consoleViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) consoleViolations.push(message.text());
  });
  return {
    page,
    violations: async () => [...consoleViolations, ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []))],
  };
}

it('serves every page type under a strict policy without a single violation', async () => {
  const { page, violations } = await watchedPage();
  const visited: string[] = [];
  const visit = async (path: string) => {
    const response = await page.goto(`${loket.url}${path}`);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy, path).toMatch(/script-src 'self'(;|$)/);
    expect(policy, path).toContain("object-src 'none'");
    expect(policy, path).toContain("frame-ancestors 'none'");
    expect(response?.headers()['strict-transport-security'], path).toMatch(/max-age=\d+/); // PUBLIC_URL is https here
    expect(policy, path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    if (/^\/(werkplek|admin)/.test(path)) expect(response?.headers()['cache-control'], path).toBe('no-store');
    visited.push(path);
  };

  await visit('/contact');
  // An invalid form comes back with its error summary, which an external script focuses.
  await page.getByRole('button', { name: /Versturen|Verstuur/ }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
  await visit(new URL(statusUrl).pathname);
  await visit('/login');
  await page.getByLabel('E-mailadres').fill('beheer@example.org');
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(/\/werkplek|\/admin/);
  for (const path of [
    '/werkplek/zaken',
    `/werkplek/zaken/${reference}`,
    '/werkplek/gesprek',
    '/werkplek/brief',
    '/admin',
    '/admin/regels',
    '/admin/verzenden',
    '/admin/quarantaine',
  ]) {
    await visit(path);
  }
  await screenshot(page, 'csp-case-list');
  // The stylesheet applied: the header is the brand's colour, not the browser's default.
  await page.goto(`${loket.url}/werkplek/zaken`);
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('header')!).backgroundColor)).toBe('rgb(21, 66, 115)');
  expect(await violations()).toEqual([]);
  expect(visited.length).toBeGreaterThanOrEqual(11);
});

it('keeps the chat widget working on a page of another origin', async () => {
  const { page, violations } = await watchedPage();
  await page.goto(portalUrl);
  await page.getByTestId('chat-launcher').click();
  await page.getByTestId('chat-prechat').waitFor();
  await page.getByLabel(/^Naam/).fill('Jan de Vries');
  await page.getByRole('radio', { name: 'Inloggen' }).check();
  await page.getByTestId('prechat-start').click();
  const box = page.getByTestId('chat-message');
  await box.fill('Ik kan niet inloggen.');
  await box.press('Enter');
  await expect.poll(() => page.getByTestId('chat-status').textContent()).toMatch(/nummer 1 in de rij/);
  expect(await violations()).toEqual([]);
});
