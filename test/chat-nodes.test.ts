/**
 * Chat across processes and time. Real: PostgreSQL, Redis (BullMQ and the socket.io Redis
 * adapter). Two web nodes and a worker share one database and one Redis, with no sticky
 * balancer: the visitor talks to one node, the agent to the other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_TOKEN, agent, OPEN_CLOCK, visitor, type RecordingSocket } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { uniquePrefix } from './support/prefixes.js';
import { createTestDatabase } from './support/postgres.js';

type Line = { id: string; from: string; text: string };

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const started = <T extends TestLoket>(loket: T) => (cleanups.push(() => loket.stop()), loket);
const tracked = (socket: RecordingSocket) => (cleanups.push(() => socket.close()), socket);

it('two web nodes and a worker: visitor on one, agent on the other, messages flow both ways', async () => {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const shared = { QUEUE_PREFIX: uniquePrefix(), CHAT_AGENT_TOKEN: AGENT_TOKEN };
  const worker = started(await startTestLoket({ ...shared, ROLE: 'worker' }, { database, clock: OPEN_CLOCK }));
  const nodeA = started(await startTestLoket({ ...shared, ROLE: 'web' }, { database, clock: OPEN_CLOCK }));
  const nodeB = started(await startTestLoket({ ...shared, ROLE: 'web' }, { database, clock: OPEN_CLOCK }));
  expect(new Set([worker.url, nodeA.url, nodeB.url]).size).toBe(3);

  const sara = tracked(await agent(nodeB.url, 'sara'));
  const jan = tracked(await visitor(nodeA.url));
  const { conversationId } = await jan.call<{ conversationId: string }>('chat:start', { name: 'Jan', topic: 'inloggen' });
  await jan.call('chat:message', { clientId: 'v1', text: 'Mijn account is geblokkeerd.' });

  // The worker routes and puts it in line; node B's agent hears of it, node A's visitor gets a place.
  await sara.next('agents:queue', (q: { waiting: { conversationId: string }[] }) => q.waiting.some((w) => w.conversationId === conversationId));
  await jan.next('chat:state', (s: { state: string; position?: number }) => s.state === 'waiting' && s.position === 1);
  expect(await sara.call('agent:accept', { conversationId })).toMatchObject({ ok: true });
  await jan.next('chat:state', (s: { state: string }) => s.state === 'with-agent');

  await sara.call('agent:message', { conversationId, clientId: 's1', text: 'Ik deblokkeer het nu.' });
  expect(await jan.next<Line>('chat:message', (l) => l.from === 'agent')).toMatchObject({ text: 'Ik deblokkeer het nu.' });
  await jan.call('chat:message', { clientId: 'v2', text: 'Dank je!' });
  expect((await sara.next<{ line: Line }>('agents:message', (m) => m.line.text === 'Dank je!')).line.from).toBe('visitor');

  await sara.call('agent:close', { conversationId });
  expect(await jan.next('chat:closed')).toEqual({ reason: 'closed' });
});

describe('office hours', () => {
  const outside = [
    ['on Christmas Day, a Friday, at 10:00', '2026-12-25T09:00:00Z'],
    ['on King’s Day 2026, a Monday, at 11:00', '2026-04-27T09:00:00Z'],
    ['on a Saturday at noon', '2026-11-28T11:00:00Z'],
    ['on a Tuesday at 22:30', '2026-11-24T21:30:00Z'],
    ['on a Tuesday at 07:59', '2026-11-24T06:59:00Z'],
  ] as const;

  it.each(outside)('the widget is offline %s and points to the form, mail and phone', async (_when, at) => {
    const loket = started(await startTestLoket({ CHAT_AGENT_TOKEN: AGENT_TOKEN, PUBLIC_URL: 'https://loket.example.org' }, { clock: () => new Date(at) }));
    const config = (await (await fetch(`${loket.url}/api/v1/chat/config`)).json()) as { online: boolean };
    expect(config.online).toBe(false);

    const jan = tracked(await visitor(loket.url));
    const ack = await jan.call<{ ok: boolean; online: boolean; conversationId: string }>('chat:start', { name: 'Jan', topic: 'inloggen' });
    expect(ack).toMatchObject({ ok: true, online: false });
    const line = await jan.next<Line>('chat:message', (l) => l.from === 'system');
    expect(line.text).toContain('https://loket.example.org/contact');
    expect(line.text).toContain('088 0200 800');
    expect(await jan.next('chat:closed')).toEqual({ reason: 'closed' });
    expect(await jan.call('chat:message', { clientId: 'x', text: 'Hallo?' })).toMatchObject({ ok: false, error: 'offline' });
    const stored = await loket.db!.query(`select id from messages where channel = 'chat'`);
    expect(stored).toEqual([]);
  });

  it('the widget is online on a working day at 08:00 and at 21:59', async () => {
    for (const at of ['2026-11-24T07:00:00Z', '2026-11-24T20:59:00Z']) {
      const loket = started(await startTestLoket({}, { clock: () => new Date(at) }));
      const config = (await (await fetch(`${loket.url}/api/v1/chat/config`)).json()) as { online: boolean };
      expect(config.online, at).toBe(true);
    }
  });
});

it('closes a conversation nobody spoke in for CHAT_IDLE_MINUTES as timed out, and tells visitor and agent', async () => {
  const loket = started(await startTestLoket({ CHAT_AGENT_TOKEN: AGENT_TOKEN, CHAT_IDLE_MINUTES: '5' }, { clock: OPEN_CLOCK }));
  const anna = tracked(await agent(loket.url, 'anna'));
  const jan = tracked(await visitor(loket.url));
  const { conversationId } = await jan.call<{ conversationId: string }>('chat:start', { name: 'Jan', topic: 'inloggen' });
  await jan.call('chat:message', { clientId: 'v1', text: 'Inloggen lukt niet.' });
  await anna.next('agents:queue', (q: { waiting: { conversationId: string }[] }) => q.waiting.some((w) => w.conversationId === conversationId));
  await anna.call('agent:accept', { conversationId });

  // Six minutes of silence, without waiting six minutes.
  await loket.db!.query(`update conversations set last_activity_at = now() - interval '6 minutes' where id = $1`, [conversationId]);
  expect(await jan.next('chat:closed', undefined, 15_000)).toEqual({ reason: 'timeout' });
  expect(await anna.next('agents:closed')).toEqual({ conversationId, reason: 'timeout' });
  const [row] = await loket.db!.query<{ state: string; closed_reason: string }>(`select state, closed_reason from conversations where id = $1`, [
    conversationId,
  ]);
  expect(row).toEqual({ state: 'closed', closed_reason: 'timeout' });
});
