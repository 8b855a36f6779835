/**
 * The agents' chat console in a real browser: a visitor's login question reaches the console,
 * an agent accepts it, both type and write, the agent hands it to a colleague, who closes it;
 * the chat stays its case. Real: Chromium (Debian's, via playwright-core) running the bundled
 * console script over socket.io with the workspace session, Loket's HTTP, PostgreSQL, Redis,
 * BullMQ and the workers. Screenshots go to test-artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { saveSetting } from '../src/admin/settings.versions.js';
import { ARTIFACTS, launchChromium, screenshot, signedInContext } from './support/browser.js';
import { AGENT_TOKEN, agent as tokenAgent, OPEN_CLOCK, visitor, type RecordingSocket } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let browser: Browser;
const sockets: RecordingSocket[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', CHAT_AGENT_TOKEN: AGENT_TOKEN, CHAT_RATE_LIMIT: '50' }, { clock: OPEN_CLOCK });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'bram@example.org', name: 'Bram Collega', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'beheer@example.org', name: 'Beheerder', role: 'admin', password: PASSWORD });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await loket?.stop();
});

/** A browser context signed in as the account (its session cookie), on the chat console. */
async function consoleOf(email: string): Promise<Page> {
  const context = await signedInContext(browser, loket.url, (await loginAs(loket.url, email)).cookie);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${loket.url}/werkplek/chats`);
  await page.getByText('Verbonden.').waitFor();
  return page;
}

async function newVisitor(): Promise<RecordingSocket> {
  const socket = await visitor(loket.url);
  sockets.push(socket);
  return socket;
}

describe('the chat console', () => {
  it('shows a waiting login question, is accepted, carries lines and typing both ways, transfers and closes; the chat stays its case', async () => {
    const anna = await consoleOf('anna@example.org');
    const bram = await consoleOf('bram@example.org');
    // Admins do not chat: they are not offered as colleagues to transfer to.
    expect(await anna.locator('option', { hasText: 'Beheerder' }).count()).toBe(0);

    const jan = await newVisitor();
    expect(await jan.call('chat:start', { name: 'Jan de Vries', email: 'jan@example.org', topic: 'inloggen' })).toMatchObject({ ok: true });
    const sentAt = Date.now();
    expect(await jan.call('chat:message', { clientId: 'j1', text: 'Ik kan niet inloggen op het HR-portaal.' })).toEqual({ ok: true });

    const waiting = anna.locator('#chat-queue li', { hasText: 'Jan de Vries' });
    await waiting.waitFor();
    console.log(`chat console: the waiting chat appeared ${Date.now() - sentAt} ms after the visitor's line was accepted`);
    await expect.poll(() => waiting.textContent()).toContain('Inloggen');
    expect(await waiting.textContent()).toContain('Ik kan niet inloggen op het HR-portaal.');
    expect(await waiting.textContent()).toMatch(/wacht/);
    await screenshot(anna, 'chat-console-waiting');

    await anna.getByRole('button', { name: 'Chat van Jan de Vries aannemen' }).click();
    const session = anna.locator('article.chat-session', { hasText: 'Jan de Vries' });
    await session.getByRole('log').getByText('Ik kan niet inloggen op het HR-portaal.').waitFor();
    await jan.next('chat:state', (s: { state: string }) => s.state === 'with-agent');
    // Gone from the other agent's queue once taken.
    await expect.poll(() => bram.locator('#chat-queue li', { hasText: 'Jan de Vries' }).count()).toBe(0);

    // The visitor types: the agent sees it; the agent types: the visitor hears it.
    jan.socket.emit('chat:typing', { typing: true });
    await session.getByText('De bezoeker typt…').waitFor();
    const box = session.getByLabel('Uw bericht aan Jan de Vries');
    await box.pressSequentially('Welke foutmelding', { delay: 5 });
    await jan.next('chat:typing', (t: { typing: boolean }) => t.typing);
    await box.pressSequentially(' ziet u?');
    await box.press('Enter');
    const answer = await jan.next('chat:message', (line: { from: string; text: string }) => line.from === 'agent');
    expect(answer.text).toBe('Welke foutmelding ziet u?');
    await session.getByRole('log').getByText('Welke foutmelding ziet u?').waitFor();
    expect(await box.inputValue()).toBe('');

    expect(await jan.call('chat:message', { clientId: 'j2', text: 'Account geblokkeerd, staat er.' })).toEqual({ ok: true });
    await session.getByRole('log').getByText('Account geblokkeerd, staat er.').waitFor();
    await expect.poll(() => session.textContent()).not.toContain('De bezoeker typt…');
    const reference = await waitFor(
      async () => (await session.getByRole('link', { name: /^ZK-/ }).count()) > 0 && session.getByRole('link', { name: /^ZK-/ }).textContent(),
      'the case link',
    );
    await screenshot(anna, 'chat-console-conversation');

    // Hand it to Bram: it leaves Anna's console and opens in Bram's with its lines.
    await session.getByLabel('Doorverbinden naar').selectOption({ label: 'Bram Collega' });
    await session.getByRole('button', { name: 'Doorverbinden' }).click();
    await expect.poll(() => anna.locator('article.chat-session').count()).toBe(0);
    const withBram = bram.locator('article.chat-session', { hasText: 'Jan de Vries' });
    await withBram.getByRole('log').getByText('Account geblokkeerd, staat er.').waitFor();
    await withBram.getByRole('log').getByText('Welke foutmelding ziet u?').waitFor();

    await withBram.getByLabel('Uw bericht aan Jan de Vries').fill('Ik heb uw account vrijgegeven.');
    await withBram.getByRole('button', { name: 'Versturen' }).click();
    expect((await jan.next('chat:message', (line: { text: string }) => line.text === 'Ik heb uw account vrijgegeven.')).text).toBeTruthy();
    await withBram.getByRole('button', { name: 'Gesprek afsluiten' }).click();
    await jan.next('chat:closed');
    await withBram.getByText('Het gesprek is afgesloten.').first().waitFor();
    await screenshot(bram, 'chat-console-closed');

    // The chat is its case: the transcript is on the case page under its number.
    const casePage = await (
      await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: (await loginAs(loket.url, 'anna@example.org')).cookie } })
    ).text();
    expect(casePage).toContain('Ik kan niet inloggen op het HR-portaal.');
    expect(casePage).toContain('Ik heb uw account vrijgegeven.');
    const [assigned] = await loket.db!.query<{ name: string }>(`select u.name from cases c join users u on u.id = c.assignee_id where c.reference = $1`, [
      reference,
    ]);
    expect(assigned?.name, 'the agent who accepted the chat has its case').toBe('Anna Agent');
  });

  it('restores the conversations an agent holds after a reload', async () => {
    const anna = await consoleOf('anna@example.org');
    const kees = await newVisitor();
    await kees.call('chat:start', { name: 'Kees Bakker', topic: 'personeelsgesprekken' });
    await kees.call('chat:message', { clientId: 'k1', text: 'Wanneer is mijn beoordelingsgesprek?' });
    await anna.getByRole('button', { name: 'Chat van Kees Bakker aannemen' }).click();
    await anna.locator('article.chat-session', { hasText: 'Kees Bakker' }).waitFor();
    await anna.reload();
    await anna.locator('article.chat-session', { hasText: 'Kees Bakker' }).getByText('Wanneer is mijn beoordelingsgesprek?').waitFor();
    expect(await anna.locator('#held-count').textContent()).toBe('1');
    await anna.locator('article.chat-session', { hasText: 'Kees Bakker' }).getByRole('button', { name: 'Gesprek afsluiten' }).click();
    await kees.next('chat:closed');
  });

  it('refuses a chat beyond the limit the admin set, with the reason', async () => {
    await saveSetting(loket.database.db, 'chat.console', { maxPerAgent: 1 }, 'test');
    const started = Date.now();
    const desk = await tokenAgent(loket.url, 'Lotte');
    sockets.push(desk);
    const first = await newVisitor();
    const second = await newVisitor();
    for (const [socket, name] of [
      [first, 'Eerste'],
      [second, 'Tweede'],
    ] as const) {
      await socket.call('chat:start', { name, topic: 'inloggen' });
      await socket.call('chat:message', { clientId: 'x', text: `Vraag van ${name}` });
    }
    const queue = await desk.next(
      'agents:queue',
      (q: { waiting: { name: string }[] }) => q.waiting.filter((w) => ['Eerste', 'Tweede'].includes(w.name)).length === 2,
    );
    const ids = (queue as { waiting: { name: string; conversationId: string }[] }).waiting.filter((w) => ['Eerste', 'Tweede'].includes(w.name));
    // The settings cache holds a value for at most 2 s.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2_100 - (Date.now() - started))));
    expect(await desk.call('agent:accept', { conversationId: ids[0]!.conversationId })).toMatchObject({ ok: true });
    const refused = await desk.call<{ ok: boolean; error?: string; message?: string }>('agent:accept', { conversationId: ids[1]!.conversationId });
    expect(refused).toMatchObject({ ok: false, error: 'limit' });
    expect(refused.message).toContain('(1 tegelijk)');
    await saveSetting(loket.database.db, 'chat.console', { maxPerAgent: 3 }, 'test');
  });
});
