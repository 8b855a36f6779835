import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

/** How far a request's timestamp may lie from our clock, either way. */
export const MAX_SKEW_SECONDS = 5 * 60;
/** How long a seen signature is remembered: longer than the skew window, so a replay always hits. */
export const REPLAY_WINDOW_SECONDS = 600;

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'bad';

/** hex HMAC-SHA256 over `${timestamp}.${rawBody}`: what the telephony platform sends. */
export function signTelephony(secret: string, timestamp: string, rawBody: Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Checks the timestamp window and the signature over the raw bytes (as received: a
 * re-serialized JSON body would not match). Constant-time on the signature.
 */
export function checkTelephonySignature(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  rawBody: Uint8Array,
  nowSeconds = Math.floor(Date.now() / 1_000),
): SignatureCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return 'stale';
  if (!/^[0-9a-f]{64}$/i.test(signature)) return 'bad';
  const expected = Buffer.from(signTelephony(secret, timestamp, rawBody), 'hex');
  const sent = Buffer.from(signature, 'hex');
  return timingSafeEqual(expected, sent) ? 'ok' : 'bad';
}

/**
 * Remembers a valid signature; false when it was seen before (a replay). Shared through
 * Redis so a replay to another web process is caught too.
 */
export async function firstSighting(redis: Redis, namespace: string, signature: string): Promise<boolean> {
  const key = `${namespace}:telephony:seen:${signature.toLowerCase()}`;
  return (await redis.set(key, '1', 'EX', REPLAY_WINDOW_SECONDS, 'NX')) === 'OK';
}

/** Lets a signature through again: its event was refused by us, not by the platform. */
export async function forgetSighting(redis: Redis, namespace: string, signature: string): Promise<void> {
  await redis.del(`${namespace}:telephony:seen:${signature.toLowerCase()}`);
}
