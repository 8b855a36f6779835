/**
 * The form and chat flows on the embedded database (DATABASE_URL unset → PGlite under
 * DATA_DIR), the default on a fresh machine. Real: PGlite, Redis, BullMQ, HTTP, socket.io;
 * notices as .eml files.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AGENT_TOKEN, agent, OPEN_CLOCK, visitor } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;

beforeAll(async () => {
  loket = await startTestLoket({ CHAT_AGENT_TOKEN: AGENT_TOKEN }, { embedded: true, clock: OPEN_CLOCK });
});

afterAll(async () => {
  await loket?.stop();
});

it('runs the form flow on PGlite: 202, case, acknowledgement on the case page and as .eml file', async () => {
  expect(loket.database.kind).toBe('pglite');
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Anna Jansen', email: 'anna@example.org', subject: 'Wachtwoord vergeten', message: 'Ik kan niet meer inloggen.' }),
  });
  expect(response.status).toBe(202);
  const { reference, statusUrl } = (await response.json()) as { reference: string; statusUrl: string };

  const page = await waitFor(async () => {
    const html = await (await fetch(statusUrl.replace(loket.config.PUBLIC_URL, loket.url))).text();
    return html.includes('data-kind="acknowledgement"') && html;
  }, 'the acknowledgement on the case page');
  expect(page).toContain(reference);

  const outbox = path.join(loket.dataDir, 'outbox');
  const [file] = await waitFor(async () => {
    const files = await readdir(outbox).catch(() => []);
    return files.length > 0 && files;
  }, 'the .eml notice');
  const eml = await readFile(path.join(outbox, file!), 'utf8');
  expect(eml).toContain(`[${reference}]`);
  expect(eml).toMatch(/^To: Anna Jansen <anna@example\.org>$/m);
  expect(eml).toMatch(/^Auto-Submitted: auto-replied$/m);
});

it('runs chat on PGlite: a redirect for another topic, and a chat topic waiting for an agent who answers', async () => {
  const anna = await agent(loket.url, 'anna');
  const piet = await visitor(loket.url);
  const jan = await visitor(loket.url);
  try {
    await piet.call('chat:start', { name: 'Piet' });
    await piet.call('chat:message', { clientId: 'p1', text: 'Mijn declaratie voor reiskosten is niet uitbetaald.' });
    expect(await piet.next('chat:closed')).toEqual({ reason: 'redirected' });

    const { conversationId } = await jan.call<{ conversationId: string }>('chat:start', { name: 'Jan', topic: 'inloggen' });
    await jan.call('chat:message', { clientId: 'j1', text: 'Ik kan niet inloggen.' });
    await anna.next('agents:queue', (q: { waiting: { conversationId: string }[] }) => q.waiting.some((w) => w.conversationId === conversationId));
    expect(await anna.call('agent:accept', { conversationId })).toMatchObject({ ok: true });
    await anna.call('agent:message', { conversationId, clientId: 'a1', text: 'Ik help u.' });
    expect(await jan.next('chat:message', (line: { from: string }) => line.from === 'agent')).toMatchObject({ text: 'Ik help u.' });
  } finally {
    for (const socket of [anna, piet, jan]) socket.close();
  }
});
