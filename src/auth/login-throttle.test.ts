import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from './login-throttle.js';

describe('retryDelaySeconds', () => {
  const policy = { freeFailures: 3, maxDelaySeconds: 60 };

  it('asks no wait before the free failures are used up', () => {
    expect([1, 2].map((failures) => retryDelaySeconds(failures, policy))).toEqual([0, 0]);
  });

  it('doubles the wait with each failure after them, from one second', () => {
    expect([3, 4, 5, 6, 7, 8].map((failures) => retryDelaySeconds(failures, policy))).toEqual([1, 2, 4, 8, 16, 32]);
  });

  it('never asks more than the maximum, however many failures', () => {
    expect([9, 10, 100, 10_000].map((failures) => retryDelaySeconds(failures, policy))).toEqual([60, 60, 60, 60]);
  });
});
