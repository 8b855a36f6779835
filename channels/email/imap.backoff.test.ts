import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './imap.backoff.js';

describe('reconnectDelayMs', () => {
  it('doubles from the first wait and stops at the cap', () => {
    const upper = (attempt: number) => reconnectDelayMs(attempt, 2_000, 60_000, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 40].map(upper)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('never waits less than half its ceiling, so the wait grows whatever the dice say', () => {
    expect(reconnectDelayMs(3, 2_000, 60_000, () => 0)).toBe(8_000);
    expect(reconnectDelayMs(10, 2_000, 60_000, () => 0)).toBe(30_000);
  });
});
