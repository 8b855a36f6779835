/**
 * How long the reader waits before connecting again after its `attempt`-th failure in a row:
 * doubling from `firstMs` up to `capMs`, with equal jitter (half fixed, half random), so
 * readers of many mailboxes do not return together and the wait really grows.
 */
export function reconnectDelayMs(attempt: number, firstMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, firstMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}
