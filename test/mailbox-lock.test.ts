/**
 * The mailbox lock on the real Redis of this machine: one holder at a time, the holder can
 * take it again at once (a reconnect must not wait out its own lock), and it passes on
 * when released or expired.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { MailboxLock } from '../channels/email/mailbox.lock.js';
import { sleep } from './support/wait.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
afterAll(() => redis.quit());

it('has one holder, who can take it again, and passes on when released or expired', async () => {
  const key = `loket-test:imap-lock:${randomUUID()}`;
  const reader = new MailboxLock(redis, key, 300);
  const standby = new MailboxLock(redis, key, 300);

  expect(await reader.acquire()).toBe(true);
  expect(await standby.acquire()).toBe(false);
  expect(await reader.acquire(), 'the holder takes its own lock again').toBe(true);
  expect(await standby.renew()).toBe(false);
  expect(await reader.renew()).toBe(true);

  await reader.release();
  expect(await standby.acquire()).toBe(true);
  expect(await reader.acquire()).toBe(false);

  await sleep(400); // the standby died without releasing: the lock expires
  expect(await reader.acquire()).toBe(true);
  await redis.del(key);
});
