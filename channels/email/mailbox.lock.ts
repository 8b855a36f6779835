import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// Taken when free, and kept (its time to live renewed) when this process already holds it,
// so a reader that lost its IMAP connection reconnects at once instead of waiting out its own lock.
const ACQUIRE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) elseif redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Exactly one process reads a mailbox: a Redis key with this process's token and a
 * time to live, renewed while it reads. When the holder dies the key expires and a
 * standby takes over.
 */
export class MailboxLock {
  private readonly token = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly ttlMs: number,
  ) {}

  async acquire(): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE, 1, this.key, this.token, String(this.ttlMs))) === 1;
  }

  /** False when the lock was lost (expired and maybe taken by another process). */
  async renew(): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}
