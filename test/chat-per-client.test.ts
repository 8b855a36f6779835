/**
 * One client cannot fill the chat queue: it starts at most CHAT_CONVERSATIONS_PER_HOUR
 * conversations, however many sockets it opens, and is told where else to go.
 * Real: socket.io over a real websocket, Redis (the shared counter), PostgreSQL.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, OPEN_CLOCK, type RecordingSocket } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';

let loket: TestLoket;
const sockets: RecordingSocket[] = [];

beforeAll(async () => {
  loket = await startTestLoket(
    { CHAT_CONVERSATIONS_PER_HOUR: '3', CHAT_RATE_LIMIT: '50', TRUST_PROXY: 'true', PUBLIC_URL: 'https://loket.example.org' },
    { clock: OPEN_CLOCK },
  );
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await loket?.stop();
});

/** A visitor's socket, as seen from `address` (the proxy in front of Loket says so). */
async function visitorFrom(address: string): Promise<RecordingSocket> {
  const socket = await connect(loket.url, '/chat', { headers: { 'x-forwarded-for': address } });
  sockets.push(socket);
  return socket;
}

it('a client that opens many sockets starts only its share of conversations, and is told where else to go', async () => {
  const answers = [];
  for (let i = 0; i < 5; i++) {
    const socket = await visitorFrom('198.51.100.7');
    answers.push(await socket.call<{ ok: boolean; error?: string; message?: string }>('chat:start', { name: `Bezoeker ${i}`, topic: 'inloggen' }));
  }
  expect(answers.map((a) => a.ok)).toEqual([true, true, true, false, false]);
  expect(answers[3]).toMatchObject({ error: 'too-many-conversations' });
  expect(answers[3]!.message).toContain('https://loket.example.org/contact');

  const [row] = await loket.db!.query<{ n: string }>(`select count(*) as n from conversations`);
  expect(Number(row!.n)).toBe(3);

  // Somebody else, at another address, is not held back by it.
  const other = await visitorFrom('203.0.113.20');
  expect(await other.call('chat:start', { name: 'Iemand anders', topic: 'inloggen' })).toMatchObject({ ok: true });
});

it('cannot be escaped by writing addresses of its own in front of X-Forwarded-For: the one our proxy added counts', async () => {
  const answers = [];
  for (let i = 0; i < 4; i++) {
    // The client forges a new first entry every time; the proxy appends the real address last.
    const socket = await visitorFrom(`10.${i}.0.1, 192.0.2.44`);
    answers.push(await socket.call<{ ok: boolean; error?: string }>('chat:start', { name: `Slimmerik ${i}`, topic: 'inloggen' }));
  }
  expect(answers.map((a) => a.ok)).toEqual([true, true, true, false]);
});
