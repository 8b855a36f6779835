/**
 * Every page type of the workspace (and the public pages) checked by axe-core against WCAG
 * 2.1 A and AA, in the states an agent meets: a list with cases, a case with its thread, the
 * chat console with a chat waiting and one held, notifications, the workload page. Real:
 * Chromium (Debian's, via playwright-core), Loket's HTTP with sessions, PostgreSQL, Redis and
 * the workers.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { launchChromium, signedInContext } from './support/browser.js';
import { axeViolations } from './support/axe.js';
import { OPEN_CLOCK, visitor, type RecordingSocket } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let browser: Browser;
const contexts: BrowserContext[] = [];
const sockets: RecordingSocket[] = [];
let reference: string;
let statusUrl: string;

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '100', PUBLIC_URL: 'https://loket.example.org' }, { clock: OPEN_CLOCK });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
  browser = await launchChromium();
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Joost Bakker', email: 'joost@example.org', subject: 'Reiskosten', message: 'Mijn reiskosten zijn niet vergoed.' }),
  });
  ({ reference, statusUrl } = (await response.json()) as { reference: string; statusUrl: string });
  await waitFor(
    async () =>
      (await loket.db!.query(`select 1 from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.status = 'sent'`, [reference])).length > 0,
    'the acknowledgement',
  );
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await loket?.stop();
});

async function pageAs(email: string | undefined): Promise<Page> {
  const context = email
    ? await signedInContext(browser, loket.url, (await loginAs(loket.url, email)).cookie, { bypassCSP: true })
    : await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  contexts.push(context);
  return context.newPage();
}

async function expectAccessible(page: Page, path: string, ready?: (page: Page) => Promise<unknown>): Promise<void> {
  const response = await page.goto(`${loket.url}${path}`);
  expect(response?.status(), path).toBeLessThan(400);
  await ready?.(page);
  const violations = await axeViolations(page);
  expect(violations, `${path}: ${violations.map((v) => `${v.id} (${v.help}) at ${v.targets.join(', ')}`).join('; ')}`).toEqual([]);
}

describe('axe-core finds no WCAG 2.1 A/AA violation', () => {
  it('on every page an agent works on', async () => {
    const page = await pageAs('anna@example.org');
    for (const path of [
      '/werkplek',
      '/werkplek/zaken',
      `/werkplek/zaken/${reference}`,
      '/werkplek/meldingen',
      '/werkplek/terugbellen',
      '/werkplek/gesprek',
      '/werkplek/brief',
      '/werkplek/afdrukken',
    ]) {
      await expectAccessible(page, path);
    }
  });

  it('on the chat console with a chat waiting and one held', async () => {
    const page = await pageAs('anna@example.org');
    for (const name of ['Jan de Vries', 'Kees Bakker']) {
      const socket = await visitor(loket.url);
      sockets.push(socket);
      await socket.call('chat:start', { name, topic: 'inloggen' });
      await socket.call('chat:message', { clientId: 'a', text: `Ik kan niet inloggen, zegt ${name}.` });
    }
    await expectAccessible(page, '/werkplek/chats', async (p) => {
      await p.getByRole('button', { name: 'Chat van Jan de Vries aannemen' }).click();
      await p.locator('article.chat-session').waitFor();
      await p.locator('#chat-queue li', { hasText: 'Kees Bakker' }).waitFor();
    });
  });

  it('on the coordinator’s pages (workload, deadlines, complaints) and the public pages', async () => {
    const coordinator = await pageAs('coco@example.org');
    // The list with the bulk selection a coordinator gets.
    for (const path of ['/werkplek/werklast', '/werkplek/zaken', '/werkplek/termijnen', '/werkplek/rapporten', '/werkplek/rapporten/klachten'])
      await expectAccessible(coordinator, path);
    // A case in the complaint procedure: its section on the case page, and the coordinators' list.
    await loket.db!.query(
      `insert into complaints (case_id, stage, first_contact_due, resolve_due) select id, 'registered', now(), now() from cases where reference = $1 on conflict do nothing`,
      [reference],
    );
    for (const path of [`/werkplek/zaken/${reference}`, '/werkplek/klachten']) await expectAccessible(coordinator, path);
    const anonymous = await pageAs(undefined);
    for (const path of ['/login', '/contact', new URL(statusUrl).pathname, '/klacht/tevredenheid/abcdefghijklmnopqrstuvwx'])
      await expectAccessible(anonymous, path);
  });
});
