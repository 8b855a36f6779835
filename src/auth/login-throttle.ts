import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** How hard login attempts are slowed down; from LOGIN_* in the config. */
export interface ThrottlePolicy {
  /** Wrong passwords for one account name that cost no waiting. */
  freeFailures: number;
  /** The longest wait between attempts for one account name. */
  maxDelaySeconds: number;
  /** Wrong passwords one client address may send per window, over all account names. */
  ipFailures: number;
  ipWindowSeconds: number;
}

export type Admission = { admitted: true } | { admitted: false; by: 'account' | 'ip'; retryAfterSeconds: number };

/** A run of failures is forgotten a day after it began, or at the first good password. */
const FAILURE_MEMORY_SECONDS = 24 * 3_600;

/**
 * Seconds the next attempt for an account name must wait once `failures` attempts have been
 * counted (this one included): none while free, then 1, 2, 4 … up to the policy's maximum.
 */
export function retryDelaySeconds(failures: number, policy: Pick<ThrottlePolicy, 'freeFailures' | 'maxDelaySeconds'>): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(2 ** Math.min(failures - policy.freeFailures, 30), policy.maxDelaySeconds);
}

/**
 * Slows down password guessing without letting anyone lock an account. Per account name
 * (known or not, so the answers say nothing about which accounts exist): a few free failures,
 * then one attempt per growing delay. Per client address: a number of failures per window.
 * Counters live in Redis, so every web process sees the same ones; while Redis is away each
 * process keeps its own in memory rather than refusing everyone or letting everyone through.
 */
export class LoginThrottle {
  private readonly failures: RateLimiterAbstract;
  /** Held by the attempt now under way; a second attempt inside its delay is refused. */
  private readonly turns: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;

  constructor(private readonly options: { redis: Redis | undefined; namespace: string; policy: ThrottlePolicy }) {
    const { policy } = options;
    this.failures = this.limiter('login-account-failures', { points: policy.freeFailures, duration: FAILURE_MEMORY_SECONDS });
    this.turns = this.limiter('login-account-turn', { points: 1, duration: 1 });
    this.byIp = this.limiter('login-ip-failures', { points: policy.ipFailures, duration: policy.ipWindowSeconds });
  }

  /**
   * Decides whether this attempt may check a password. An admitted attempt is counted as a
   * failure in advance (so attempts sent at once cannot all slip through before the first is
   * counted); `succeeded` takes that back.
   */
  async admit(email: string, ip: string): Promise<Admission> {
    const account = accountKey(email);
    const fromIp = await refused(this.byIp.consume(ip));
    if (fromIp) return { admitted: false, by: 'ip', retryAfterSeconds: seconds(fromIp) };

    const counted = await this.failures.penalty(account);
    const delay = retryDelaySeconds(counted.consumedPoints, this.options.policy);
    if (delay === 0) return { admitted: true };
    const early = await refused(this.turns.consume(account, 1, { customDuration: delay }));
    if (!early) return { admitted: true };
    // Refused before any password was checked: not a guess, so not a failure.
    await Promise.all([this.failures.reward(account), this.byIp.reward(ip)]);
    return { admitted: false, by: 'account', retryAfterSeconds: seconds(early) };
  }

  /** A good password: the account name's failures and waiting end, and the address's attempt is taken back. */
  async succeeded(email: string, ip: string): Promise<void> {
    const account = accountKey(email);
    await Promise.all([this.failures.delete(account), this.turns.delete(account), this.byIp.reward(ip)]);
  }

  private limiter(name: string, limits: { points: number; duration: number }): RateLimiterAbstract {
    const keyPrefix = `${this.options.namespace}:${name}`;
    const memory = new RateLimiterMemory({ keyPrefix, ...limits });
    if (!this.options.redis) return memory;
    // Not ready: straight to memory, rather than each login waiting for the reconnecting client.
    return new RateLimiterRedis({ storeClient: this.options.redis, keyPrefix, ...limits, insuranceLimiter: memory, rejectIfRedisNotReady: true });
  }
}

/** Account names as the database compares them; hashed, so Redis holds no e-mail addresses. */
const accountKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

const seconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1_000));

/** The limiter's refusal, or undefined when the points were granted; real errors are rethrown. */
async function refused(consumed: Promise<RateLimiterRes>): Promise<RateLimiterRes | undefined> {
  try {
    await consumed;
    return undefined;
  } catch (error) {
    if (error instanceof RateLimiterRes) return error;
    throw error;
  }
}
