/**
 * Starting and stopping. Real: PostgreSQL, Redis, HTTP, socket.io with its Redis adapter.
 * A stop with sockets connected must close every connection without a rejected command left
 * behind: in production an unhandled rejection is a crash, in tests a failed run. Also
 * when Redis (a redis-server of the test's own) hangs or is gone at that moment.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AGENT_TOKEN, agent, visitor } from './support/chat-client.js';
import { startTestLoket } from './support/loket.js';
import { startPrivateRedis } from './support/redis-server.js';
import { sleep } from './support/wait.js';

const unhandled: unknown[] = [];
const record = (reason: unknown) => unhandled.push(reason);
beforeEach(() => void process.on('unhandledRejection', record));
afterEach(() => void process.off('unhandledRejection', record));

it('stops cleanly, with visitors and agents connected, again and again', async () => {
  for (let round = 0; round < 3; round++) {
    const loket = await startTestLoket({ CHAT_AGENT_TOKEN: AGENT_TOKEN });
    const sockets = [await visitor(loket.url), await agent(loket.url, 'anna')];
    await sockets[0]!.call('chat:start', { name: 'Jan', topic: 'inloggen' });
    await loket.stop();
    expect(sockets.every((s) => !s.socket.connected)).toBe(true);
    for (const s of sockets) s.close();
  }
  await sleep(300); // rejections surface on the next turns of the loop
  expect(unhandled.map(String)).toEqual([]);
});

it('stops cleanly while its Redis hangs, and while its Redis is gone', async () => {
  const redis = await startPrivateRedis();
  try {
    for (const away of ['hangs', 'gone'] as const) {
      await redis.start();
      const loket = await startTestLoket({ ROLE: 'web', REDIS_URL: redis.url, CHAT_AGENT_TOKEN: AGENT_TOKEN });
      const sockets = [await visitor(loket.url), await agent(loket.url, 'anna')];
      await sockets[0]!.call('chat:start', { name: 'Jan', topic: 'inloggen' });
      if (away === 'hangs') redis.freeze();
      else await redis.stop();
      // What the chat adapter sends on close (its unsubscribes) nobody answers; the chat
      // server gives Redis 2 s to answer, then ends the connection, and ioredis destroys it
      // 2 s later, which rejects them.
      const stopping = loket.stop();
      if (away === 'hangs') {
        await sleep(5_000);
        redis.thaw(); // the rest of the stop (the queues) waits for Redis
      }
      await stopping;
      for (const s of sockets) s.close();
      await redis.stop();
    }
  } finally {
    await redis.close();
  }
  await sleep(300);
  expect(unhandled.map(String)).toEqual([]);
}, 60_000);
