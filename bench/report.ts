import { cpus, loadavg } from 'node:os';
import type { PhaseSummary } from './stats.js';

/** Everything measured about one system in one run. */
export interface SystemReport {
  name: string;
  burst: PhaseSummary;
  /** Burst: messages per second answered to the client (HTTP 202 / add), before any routing. */
  acceptedRate: number;
  paced: PhaseSummary & { cappedStarts: number };
  peakRssMb: number;
  /** CPU of the system's own process per message during the burst (client and servers excluded). */
  cpuMsPerMessage: number;
  /** CPU of the PostgreSQL backends of the system's database per message during the burst. */
  databaseCpuMsPerMessage: number;
  /** CPU of this (client) process per message during the burst: fetch for Loket, queue adds for the baseline. */
  clientCpuMsPerMessage: number;
  pgQueriesPerMessage: number;
  redisCommandsPerMessage: number;
}

export interface RunSettings {
  n: number;
  concurrency: number;
  warmup: number;
  pacedRate: number;
  pacedSeconds: number;
  /** 1-minute load average when the run began: other work on the machine skews every figure. */
  loadAtStart: number;
}

const totalCpu = (r: SystemReport) => r.cpuMsPerMessage + r.databaseCpuMsPerMessage + r.clientCpuMsPerMessage;
const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/** The table the bench prints; targets are marked, not enforced (a bench never fails on speed). */
export function printReport(settings: RunSettings, loket: SystemReport, base: SystemReport): void {
  const ratio = loket.burst.throughput / base.burst.throughput;
  const rows: Array<[string, string, string, string]> = [
    ['burst msgs/s (first POST → last ack sent)', f(loket.burst.throughput, 0), f(base.burst.throughput, 0), f(ratio, 2)],
    ['burst accepted msgs/s (202 / add answered)', f(loket.acceptedRate, 0), f(base.acceptedRate, 0), f(loket.acceptedRate / base.acceptedRate, 2)],
    ['burst latency p50 ms', f(loket.burst.p50), f(base.burst.p50), f(loket.burst.p50 / base.burst.p50, 2)],
    ['burst latency p99 ms', f(loket.burst.p99), f(base.burst.p99), f(loket.burst.p99 / base.burst.p99, 2)],
    ['burst latency max ms', f(loket.burst.max), f(base.burst.max), ''],
    [`paced achieved msgs/s (target ${settings.pacedRate})`, f(loket.paced.throughput, 0), f(base.paced.throughput, 0), ''],
    ['paced latency p50 ms', f(loket.paced.p50), f(base.paced.p50), f(loket.paced.p50 / base.paced.p50, 2)],
    ['paced latency p99 ms', f(loket.paced.p99), f(base.paced.p99), f(loket.paced.p99 / base.paced.p99, 2)],
    ['paced latency max ms', f(loket.paced.max), f(base.paced.max), ''],
    ['paced latency p99 from scheduled start ms', f(loket.paced.p99FromSchedule), f(base.paced.p99FromSchedule), ''],
    ['paced client start lag p99 ms', f(loket.paced.lagP99, 2), f(base.paced.lagP99, 2), ''],
    ['peak RSS of the process MB', f(loket.peakRssMb, 0), f(base.peakRssMb, 0), f(loket.peakRssMb / base.peakRssMb, 2)],
    ['CPU ms per message (burst, process)', f(loket.cpuMsPerMessage, 2), f(base.cpuMsPerMessage, 2), f(loket.cpuMsPerMessage / base.cpuMsPerMessage, 2)],
    [
      'PostgreSQL backend CPU ms per message (burst)',
      f(loket.databaseCpuMsPerMessage, 2),
      f(base.databaseCpuMsPerMessage, 2),
      f(loket.databaseCpuMsPerMessage / base.databaseCpuMsPerMessage, 2),
    ],
    ['client process CPU ms per message (burst)', f(loket.clientCpuMsPerMessage, 2), f(base.clientCpuMsPerMessage, 2), ''],
    ['CPU ms per message, all three above', f(totalCpu(loket), 2), f(totalCpu(base), 2), f(totalCpu(loket) / totalCpu(base), 2)],
    ['PostgreSQL queries per message', f(loket.pgQueriesPerMessage), f(base.pgQueriesPerMessage), ''],
    ['Redis commands per message', f(loket.redisCommandsPerMessage), f(base.redisCommandsPerMessage), ''],
    ['messages never finished', String(loket.burst.missing + loket.paced.missing), String(base.burst.missing + base.paced.missing), ''],
  ];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length), ['', 'Loket', 'baseline', 'Loket/baseline'][column]!.length));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join('  ');
  const out = [
    '',
    `Loket pipeline bench — burst N=${settings.n} at concurrency ${settings.concurrency} (after ${settings.warmup} warm-up), ` +
      `paced ${settings.pacedRate}/s for ${settings.pacedSeconds} s; ${cpus().length} cores, ` +
      `load average ${f(settings.loadAtStart, 2)} at start and ${f(loadavg()[0]!, 2)} at end`,
    'latency = client start (POST / queue add) → acknowledgement sent (outbox.sent_at / last insert), same clock',
    '',
    line(['', 'Loket', 'baseline', 'Loket/baseline']),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `target burst ratio ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'} (${f(ratio, 2)})`,
    // Judged from the scheduled start: a system that cannot take the rate must not pass
    // because the client was held back from offering it.
    `target paced p99 ≤ 25 ms: ${loket.paced.p99FromSchedule <= 25 ? 'met' : 'NOT met'} ` +
      `(${f(loket.paced.p99FromSchedule)} ms from scheduled start, ${f(loket.paced.p99)} ms from POST start)`,
    ...[loket, base]
      .filter((r) => r.paced.lagP99 > 5)
      .map(
        (r) =>
          `note: ${r.name}'s paced starts ran late (lag p99 ${f(r.paced.lagP99, 0)} ms` +
          (r.paced.cappedStarts > 0
            ? `; ${r.paced.cappedStarts} starts waited for the in-flight cap: it could not take ${settings.pacedRate}/s)`
            : '; the client process itself was starved of CPU)') +
          '; "from scheduled start" includes that wait',
      ),
    '',
  ];
  process.stdout.write(out.join('\n'));
}
