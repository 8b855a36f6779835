import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** One second of a process's event loop, as a chat bench child records it. */
export interface LoopSecond {
  /** Epoch ms at the end of the second. */
  at: number;
  p50: number;
  p99: number;
  max: number;
  rss: number;
}

/**
 * Appends one LoopSecond (a JSON line) to `file` every second: how late the child's
 * event loop ran. The stats protocol of child.ts carries no such figure, and the parent
 * picks the seconds of its measured window from the file afterwards. No file, no cost.
 */
export function recordEventLoop(file: string | undefined): () => void {
  if (!file) return () => undefined;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const ms = (ns: number) => ns / 1e6;
  const timer = setInterval(() => {
    const second: LoopSecond = {
      at: Date.now(),
      p50: ms(delay.percentile(50)),
      p99: ms(delay.percentile(99)),
      max: ms(delay.max),
      rss: process.memoryUsage.rss(),
    };
    appendFileSync(file, `${JSON.stringify(second)}\n`);
    delay.reset();
  }, 1_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    delay.disable();
  };
}
