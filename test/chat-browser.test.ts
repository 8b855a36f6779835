/**
 * The chat widget in a real browser, on a page of another origin (the portal) with one
 * script tag. Real: Chromium (Debian's, driven by playwright-core), Loket's HTTP and
 * socket.io server, PostgreSQL, Redis and the workers; the agent is a socket.io client.
 * End states are kept as screenshots in test-artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS, freePort, launchChromium, screenshot } from './support/browser.js';
import { agent, AGENT_TOKEN, OPEN_CLOCK, type RecordingSocket } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';

let loket: TestLoket;
let browser: Browser;
let portal: Server;
let portalUrl: string;
let anna: RecordingSocket;

/** The portal page: its own content and styles, and the widget's script tag. */
const portalPage = (widgetUrl: string, lang: string) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>P-Direktportaal</title>
<style>p { color: darkred } button { text-transform: uppercase }</style></head>
<body><h1>P-Direktportaal</h1><p>Welkom op het portaal.</p>
<script src="${widgetUrl}" defer></script></body></html>`;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  const portalPort = await freePort();
  portalUrl = `http://127.0.0.1:${portalPort}`;
  loket = await startTestLoket(
    { CHAT_AGENT_TOKEN: AGENT_TOKEN, CHAT_ALLOWED_ORIGINS: portalUrl, PUBLIC_URL: 'https://loket.example.org' },
    { clock: OPEN_CLOCK },
  );
  portal = createServer((request, response) => {
    const lang = request.url?.includes('lang=en') ? 'en' : 'nl';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(portalPage(`${loket.url}/widget.js`, lang));
  });
  await new Promise<void>((resolve) => portal.listen(portalPort, '127.0.0.1', resolve));
  browser = await launchChromium();
  anna = await agent(loket.url, 'anna');
});

afterAll(async () => {
  anna?.close();
  await browser?.close();
  await new Promise((resolve) => portal?.close(resolve));
  await loket?.stop();
});

async function openWidget(lang = 'nl'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${portalUrl}/?lang=${lang}`);
  await page.getByTestId('chat-launcher').click();
  await page.getByTestId('chat-prechat').waitFor();
  return page;
}

it('a visitor chooses a chat topic, sends a question, waits in line and gets the agent’s answer; a reload keeps the conversation', async () => {
  const page = await openWidget();
  await page.getByLabel(/^Naam/).fill('Jan de Vries');
  await page.getByLabel(/^E-mailadres/).fill('jan@example.org');
  await page.getByRole('radio', { name: 'Inloggen' }).check();
  await page.getByTestId('prechat-start').click();

  const box = page.getByTestId('chat-message');
  await box.fill('Ik kan niet inloggen, mijn sms-code komt niet aan.');
  await box.press('Enter');
  await expect.poll(() => page.getByTestId('chat-status').textContent()).toMatch(/nummer 1 in de rij/);

  const waiting = await anna.next<{ waiting: { conversationId: string; name: string }[] }>('agents:queue', (q) =>
    q.waiting.some((w) => w.name === 'Jan de Vries'),
  );
  const { conversationId } = waiting.waiting.find((w) => w.name === 'Jan de Vries')!;
  expect(await anna.call('agent:accept', { conversationId })).toMatchObject({ ok: true });
  await anna.call('agent:message', { conversationId, clientId: 'a1', text: 'Ik stuur u een nieuwe code. Komt die aan?' });

  const log = page.getByTestId('chat-log');
  await expect.poll(() => log.textContent()).toContain('Ik stuur u een nieuwe code. Komt die aan?');
  await expect.poll(() => page.getByTestId('chat-status').textContent()).toMatch(/medewerker/i);
  await screenshot(page, 'chat-with-agent');

  // A reload resumes the same conversation with its history, once each.
  await page.reload();
  await page.getByTestId('chat-log').waitFor();
  await expect.poll(() => page.getByTestId('chat-log').textContent()).toContain('Ik stuur u een nieuwe code.');
  const text = (await page.getByTestId('chat-log').textContent()) ?? '';
  expect(text.split('mijn sms-code komt niet aan').length - 1).toBe(1);
  await page.getByTestId('chat-message').fill('Ja, nu wel. Dank u!');
  await page.getByTestId('chat-send').click();
  const heard = await anna.next<{ line: { text: string } }>('agents:message', (m) => m.line.text === 'Ja, nu wel. Dank u!');
  expect(heard.line.text).toBe('Ja, nu wel. Dank u!');
  await page.context().close();
});

it('a question about anything else gets the redirect to the form, mail and phone, and the chat closes', async () => {
  const page = await openWidget();
  await page.getByLabel(/^Naam/).fill('Piet');
  await page.getByRole('radio', { name: 'Iets anders' }).check();
  await page.getByTestId('prechat-start').click();
  await page.getByTestId('chat-message').fill('Wanneer wordt mijn salaris van november uitbetaald?');
  await page.getByTestId('chat-send').click();

  const log = page.getByTestId('chat-log');
  await expect.poll(() => log.textContent()).toContain('https://loket.example.org/contact');
  expect(await log.textContent()).toContain('088 0200 800');
  expect(await log.getByRole('link', { name: 'https://loket.example.org/contact' }).getAttribute('href')).toBe('https://loket.example.org/contact');
  await expect.poll(() => page.getByTestId('chat-message').isDisabled()).toBe(true);
  await page.getByTestId('chat-new').waitFor();
  await screenshot(page, 'chat-redirected');
  await page.context().close();
});
