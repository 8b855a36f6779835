import { createHash, randomBytes } from 'node:crypto';
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

/** A browser that signed in is remembered for half a year (the device cookie lives as long). */
export const DEVICE_SECONDS = 180 * 24 * 3_600;

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
  /** Device tokens this process issued or saw while Redis was away (hash → account). */
  private readonly devices = new Map<string, string>();

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
  async admit(email: string, ip: string, device?: string): Promise<Admission> {
    const account = await this.laneOf(email, device);
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

  /**
   * A good password: the lane's failures and waiting end, the address's attempt is taken back,
   * and the browser gets (or keeps) a device token of this account: from now on its attempts
   * have a lane of their own, which nobody guessing elsewhere can keep closed.
   */
  async succeeded(email: string, ip: string, device?: string): Promise<string> {
    const lane = await this.laneOf(email, device);
    await Promise.all([this.failures.delete(lane), this.turns.delete(lane), this.byIp.reward(ip)]);
    return this.trustDevice(email, lane === accountKey(email) ? undefined : device);
  }

  /**
   * Where an attempt is counted: the account name's shared lane, or, for a browser that signed
   * in to this account before (its device token, OWASP's "device cookies"), a lane of its own.
   * Guessing from anywhere closes the shared lane only; the owner's browser still gets its turn.
   */
  private async laneOf(email: string, device: string | undefined): Promise<string> {
    const account = accountKey(email);
    if (!device || device.length > 100) return account;
    const key = this.deviceKey(device);
    const owner = await this.readDevice(key);
    return owner === account ? `${account}:${key.slice(-24)}` : account;
  }

  /** Remembers this browser as one that signed in to the account; returns its token (the one it had, when still good). */
  private async trustDevice(email: string, current: string | undefined): Promise<string> {
    const token = current ?? randomBytes(24).toString('base64url');
    const key = this.deviceKey(token);
    const { redis } = this.options;
    try {
      if (redis?.status === 'ready') await redis.set(key, accountKey(email), 'EX', DEVICE_SECONDS);
      else this.devices.set(key, accountKey(email));
    } catch {
      this.devices.set(key, accountKey(email));
    }
    return token;
  }

  private async readDevice(key: string): Promise<string | undefined> {
    const { redis } = this.options;
    try {
      if (redis?.status === 'ready') return (await redis.get(key)) ?? this.devices.get(key);
    } catch {
      // Redis away: this process's own memory of devices, as the counters do.
    }
    return this.devices.get(key);
  }

  private deviceKey(token: string): string {
    return `${this.options.namespace}:login-device:${createHash('sha256').update(token).digest('hex')}`;
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
