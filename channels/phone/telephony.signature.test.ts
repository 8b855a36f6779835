import { describe, expect, it } from 'vitest';
import { checkTelephonySignature, signTelephony } from './telephony.signature.js';

const SECRET = 'telefonie-geheim-0123456789';
const body = Buffer.from('{"type":"newCall","callId":"c-1","at":"2025-01-06T09:00:00Z"}');
const now = 1_736_154_000;

describe('checkTelephonySignature', () => {
  it('accepts the platform signature over timestamp and raw body', () => {
    const timestamp = String(now);
    expect(checkTelephonySignature(SECRET, { timestamp, signature: signTelephony(SECRET, timestamp, body) }, body, now)).toBe('ok');
  });

  it('refuses a changed body, another secret, and a timestamp more than five minutes off', () => {
    const timestamp = String(now);
    const signature = signTelephony(SECRET, timestamp, body);
    expect(checkTelephonySignature(SECRET, { timestamp, signature }, Buffer.from(`${body} `), now)).toBe('bad');
    expect(checkTelephonySignature('een-ander-geheim-0123456', { timestamp, signature }, body, now)).toBe('bad');
    const old = String(now - 301);
    expect(checkTelephonySignature(SECRET, { timestamp: old, signature: signTelephony(SECRET, old, body) }, body, now)).toBe('stale');
    const future = String(now + 301);
    expect(checkTelephonySignature(SECRET, { timestamp: future, signature: signTelephony(SECRET, future, body) }, body, now)).toBe('stale');
    expect(checkTelephonySignature(SECRET, { timestamp }, body, now)).toBe('missing');
    expect(checkTelephonySignature(SECRET, { timestamp, signature: 'abc' }, body, now)).toBe('bad');
  });
});
