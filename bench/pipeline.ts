/**
 * npm run bench:pipeline — Loket's web-form pipeline against a bare three-queue BullMQ
 * chain on the same Redis and PostgreSQL, in one run. Both systems run in a child
 * process of their own (see loket.child.ts for why); this process is only the client.
 *
 * Environment (defaults in brackets):
 *   BENCH_N [2000] burst size          BENCH_CONCURRENCY [64] concurrent senders in the burst
 *   BENCH_WARMUP [200] unmeasured first BENCH_PACED_RATE [500] / BENCH_PACED_SECONDS [10]
 *   BENCH_WAIT_SECONDS [300] per phase  BENCH_TIMEOUT_SECONDS [900] the whole run
 *   REDIS_URL, BENCH_POSTGRES_URL (admin URL of the local server),
 *   BENCH_CPU_PROF_DIR (write V8 CPU profiles of the children there),
 *   BENCH_LOG_LEVEL [silent] Loket's log level, to see why a run stalls.
 *   BENCH_LOKET_TOPOLOGY [all] `web+worker` runs Loket as in docker-compose.yml, one web and
 *     one worker process (CPU and memory of both added up).
 *   The bench runs compiled (npm run bench:pipeline builds dist/ first), as Loket does in production.
 * Loket's own variables (ROUTE_CONCURRENCY, DATABASE_POOL_SIZE, ...) reach Loket and
 * the baseline alike, so a tuning experiment changes both sides.
 */
import { loadavg } from 'node:os';
import { startBaselineSystem } from './baseline.system.js';
import { anchorClock, sleep } from './clock.js';
import { intFromEnv, measureAlone, runBench } from './harness.js';
import { burst, paced, type LoadResult } from './load.js';
import { startLoketSystem } from './loket.system.js';
import { printReport, type RunSettings, type SystemReport } from './report.js';
import { summarize, type PhaseSummary } from './stats.js';
import type { SystemUnderTest } from './system.js';

const settings: RunSettings & { waitSeconds: number; timeoutSeconds: number } = {
  n: intFromEnv('BENCH_N', 2_000),
  concurrency: intFromEnv('BENCH_CONCURRENCY', 64),
  warmup: intFromEnv('BENCH_WARMUP', 200),
  pacedRate: intFromEnv('BENCH_PACED_RATE', 500),
  pacedSeconds: intFromEnv('BENCH_PACED_SECONDS', 10),
  waitSeconds: intFromEnv('BENCH_WAIT_SECONDS', 300),
  timeoutSeconds: intFromEnv('BENCH_TIMEOUT_SECONDS', 900),
  loadAtStart: loadavg()[0]!,
};
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** Open-loop pacing must not grow without bound when a system stalls. */
const PACED_MAX_IN_FLIGHT = 1_000;

/**
 * Waits until the system has finished `expected` messages in all. Polling only decides
 * when to stop waiting; the latencies come from the stored timestamps, not from here.
 */
async function waitFinished(system: SystemUnderTest, expected: number): Promise<void> {
  const deadline = Date.now() + settings.waitSeconds * 1_000;
  for (let done = await system.finishedCount(); done < expected; done = await system.finishedCount()) {
    if (Date.now() > deadline)
      throw new Error(`${system.name}: ${done} of ${expected} messages finished after ${settings.waitSeconds} s (BENCH_LOG_LEVEL=warn shows why)`);
    // Rarely: each count is a scan on the machine under test, and the figures do not depend on it.
    await sleep(100);
  }
}

function assertNoErrors(system: SystemUnderTest, phase: string, load: LoadResult): void {
  if (load.errors > 0) throw new Error(`${system.name} ${phase}: ${load.errors} sends failed; first: ${load.firstError}`);
}

interface Phase {
  load: LoadResult;
  summary: PhaseSummary;
}

/** Runs one load, waits until every message it started is finished, and joins the times. */
async function runPhase(system: SystemUnderTest, name: string, alreadyFinished: number, run: () => Promise<LoadResult>): Promise<Phase> {
  anchorClock();
  const load = await run();
  assertNoErrors(system, name, load);
  await waitFinished(system, alreadyFinished + load.samples.length);
  const summary = summarize(load.samples, await system.finishedAt(load.samples.map((s) => s.key)));
  process.stderr.write(
    `${system.name} ${name}: ${summary.count} messages, ${summary.throughput.toFixed(0)}/s, p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms\n`,
  );
  return { load, summary };
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1_000;

/** CPU and query counters of everything involved, to take differences across a phase. */
async function counters(system: SystemUnderTest) {
  return { child: await system.child.stats(), databaseCpuMs: await system.databaseCpuMs(), client: process.cpuUsage() };
}

/** Warm-up, burst and paced phases against one system; returns its measurements. */
async function measure(system: SystemUnderTest): Promise<SystemReport> {
  const warmup = await runPhase(system, 'warm-up', 0, () => burst(settings.warmup, settings.concurrency, system.send));
  let finished = warmup.load.samples.length;
  const before = await counters(system);
  const burstRun = await runPhase(system, 'burst', finished, () => burst(settings.n, settings.concurrency, system.send));
  const after = await counters(system);
  finished += burstRun.load.samples.length;
  const pacedRun = await runPhase(system, 'paced', finished, () => paced(settings.pacedRate, settings.pacedSeconds, PACED_MAX_IN_FLIGHT, system.send));
  const end = await system.child.stats();

  const n = burstRun.summary.count;
  const perMessage = (later: number, earlier: number) => (later - earlier) / n;
  const firstStart = burstRun.load.samples.reduce((min, s) => Math.min(min, s.startedAt), Number.POSITIVE_INFINITY);
  return {
    name: system.name,
    burst: burstRun.summary,
    acceptedRate: n / ((burstRun.load.lastAnsweredAt - firstStart) / 1_000),
    paced: { ...pacedRun.summary, cappedStarts: pacedRun.load.cappedStarts },
    peakRssMb: end.peakRss / 1024 / 1024,
    cpuMsPerMessage: perMessage(after.child.cpuMs, before.child.cpuMs),
    databaseCpuMsPerMessage: perMessage(after.databaseCpuMs, before.databaseCpuMs),
    clientCpuMsPerMessage: perMessage(cpuMs(after.client), cpuMs(before.client)),
    pgQueriesPerMessage: perMessage(after.child.pgQueries, before.child.pgQueries),
    redisCommandsPerMessage: perMessage(after.child.redisCommands, before.child.redisCommands),
  };
}

runBench(settings.timeoutSeconds, async () => {
  const loket = await measureAlone((cleanup) => startLoketSystem(cleanup, REDIS_URL), measure);
  const base = await measureAlone((cleanup) => startBaselineSystem(cleanup, REDIS_URL), measure);
  printReport(settings, loket, base);
});
