/**
 * Wall-clock epoch milliseconds with sub-millisecond resolution. PostgreSQL stamps
 * completions with the wall clock, so the client must too; performance.now() adds the
 * resolution Date.now() lacks. Re-anchored at each phase so NTP slewing cannot
 * accumulate between the two clocks over a long run.
 */
let offset = Date.now() - performance.now();
export const clock = () => offset + performance.now();
export function anchorClock(): void {
  offset = Date.now() - performance.now();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
