/**
 * npm run bench:chat — Loket's chat under visitors whose questions are not for the chat:
 * each visitor starts a conversation on a topic outside the chat list and sends one
 * message, every interval; Loket stores it, routes it, applies the chat policy and its
 * deliver worker sends the automatic redirect back through the socket.io Redis adapter.
 * The same clients then drive a bare socket.io echo server on the same Redis as baseline.
 * Both servers run in a child process (chat.child.ts, chat.echo.child.ts); the visitors
 * run in this process, whose CPU and event-loop delay are printed so a reader can judge.
 *
 * Environment (defaults in brackets):
 *   BENCH_CHAT_VISITORS [500]   BENCH_CHAT_INTERVAL_MS [2000]   BENCH_CHAT_SECONDS [60] measured
 *   BENCH_CHAT_WARMUP_SECONDS [5] unmeasured, at full load, before it
 *   BENCH_CHAT_ANSWER_TIMEOUT_MS [10000] a later answer or ack is an error
 *   BENCH_CHAT_TIMEOUT_SECONDS [600] the whole run
 *   REDIS_URL, BENCH_POSTGRES_URL (admin URL of the local server), BENCH_LOG_LEVEL [silent],
 *   BENCH_CPU_PROF_DIR (V8 CPU profiles of the servers),
 *   BENCH_LOKET_NODE_OPTIONS [--max-old-space-size=1024, as in production] Node's options for Loket.
 * Loket's own variables (ROUTE_CONCURRENCY, DELIVER_CONCURRENCY, DATABASE_POOL_SIZE, ...)
 * reach Loket through its own configuration loader.
 */
import { loadavg } from 'node:os';
import { backendCpuMs } from './backend-cpu.js';
import type { ChildStats } from './child.js';
import { loketStages, loopFigures, sampleQueues, type QueueDepth } from './chat.diagnostics.js';
import { runVisitors, type VisitorLoadResult, type VisitorLoadSettings } from './chat.load.js';
import { printChatReport, type ChatRunSettings, type ChatSystemReport } from './chat.report.js';
import { startChatEcho, startChatLoket, type ChatSystem } from './chat.systems.js';
import { anchorClock, clock } from './clock.js';
import { intFromEnv, measureAlone, runBench } from './harness.js';
import { percentile, summarize } from './stats.js';

const settings: ChatRunSettings & { runTimeoutSeconds: number } = {
  visitors: intFromEnv('BENCH_CHAT_VISITORS', 500),
  intervalMs: intFromEnv('BENCH_CHAT_INTERVAL_MS', 2_000),
  seconds: intFromEnv('BENCH_CHAT_SECONDS', 60),
  warmupSeconds: intFromEnv('BENCH_CHAT_WARMUP_SECONDS', 5, { allowZero: true }),
  timeoutMs: intFromEnv('BENCH_CHAT_ANSWER_TIMEOUT_MS', 10_000),
  runTimeoutSeconds: intFromEnv('BENCH_CHAT_TIMEOUT_SECONDS', 600),
  loadAtStart: loadavg()[0]!,
};
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The figures of one system that are taken when the warm-up ends and again when the run has drained. */
async function snapshot(system: ChatSystem): Promise<{ child: ChildStats; databaseCpuMs: number; at: number }> {
  const [child, databaseCpuMs] = await Promise.all([system.child.stats(), system.loket ? backendCpuMs(system.loket.database) : Promise.resolve(0)]);
  return { child, databaseCpuMs, at: clock() };
}

function spreadOf(values: number[]) {
  const sorted = values.sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Joins what the visitors saw with what the server reported into one system's report. */
async function reportOf(
  system: ChatSystem,
  load: VisitorLoadResult,
  idle: ChildStats,
  before: Awaited<ReturnType<typeof snapshot>>,
  queues?: Map<string, QueueDepth>,
): Promise<ChatSystemReport> {
  const after = await snapshot(system);
  const measured = load.conversations.filter((c) => c.measured);
  const answered = measured.filter((c) => c.answeredAt !== undefined);
  const summary = summarize(
    measured.map((c) => ({ key: c.clientId, startedAt: c.emittedAt, scheduledAt: c.scheduledAt })),
    new Map(answered.map((c) => [c.clientId, c.answeredAt!])),
  );
  const latencies = answered.map((c) => c.answeredAt! - c.emittedAt).sort((a, b) => a - b);
  const percentOfCore = (cpuMs: number, windowMs = after.at - before.at) => (100 * cpuMs) / windowMs;
  // Per message sent: a message that was never answered still cost its share.
  const perMessage = (later: number, earlier: number) => (later - earlier) / measured.length;
  return {
    name: system.name,
    sent: measured.length,
    answered: answered.length,
    closed: measured.filter((c) => c.closed).length,
    errors: load.errors,
    skippedCycles: load.skippedCycles,
    lateAnswers: load.lateAnswers,
    latency: { p50: summary.p50, p90: percentile(latencies, 90), p99: summary.p99, max: summary.max },
    messageAck: spreadOf(measured.flatMap((c) => (c.ackedAt === undefined ? [] : [c.ackedAt - c.emittedAt]))),
    startAck: spreadOf(measured.map((c) => c.startAckedAt - c.startedAt)),
    startLagP99: percentile(
      measured.map((c) => Math.max(0, c.startedAt - c.scheduledAt)).sort((a, b) => a - b),
      99,
    ),
    throughput: summary.throughput,
    peakRssMb: after.child.peakRss / 1024 / 1024,
    idleRssMb: idle.rss / 1024 / 1024,
    serverCpuMsPerMessage: perMessage(after.child.cpuMs, before.child.cpuMs),
    databaseCpuMsPerMessage: perMessage(after.databaseCpuMs, before.databaseCpuMs),
    clientCpuMsPerMessage: load.clientCpuMs / measured.length,
    pgQueriesPerMessage: perMessage(after.child.pgQueries, before.child.pgQueries),
    redisCommandsPerMessage: perMessage(after.child.redisCommands, before.child.redisCommands),
    cpuPercent: {
      server: percentOfCore(after.child.cpuMs - before.child.cpuMs),
      database: percentOfCore(after.databaseCpuMs - before.databaseCpuMs),
      client: percentOfCore(load.clientCpuMs, load.measuredTo - load.measuredFrom),
    },
    clientLoop: load.clientLoopDelay,
    serverLoop: await loopFigures(system.loopFile, load.measuredFrom, load.measuredTo),
    queues,
    stages: system.loket ? await loketStages(system.loket.database, measured, { from: load.measuredFrom, to: load.measuredTo }) : undefined,
  };
}

/** Runs the visitors against one system and gathers its figures. */
async function measure(system: ChatSystem): Promise<ChatSystemReport> {
  anchorClock();
  const load: VisitorLoadSettings = {
    url: system.url,
    visitors: settings.visitors,
    intervalMs: settings.intervalMs,
    warmupSeconds: settings.warmupSeconds,
    seconds: settings.seconds,
    timeoutMs: settings.timeoutMs,
  };
  const idle = await system.child.stats();
  let before: Promise<Awaited<ReturnType<typeof snapshot>>> | undefined;
  let sampler: ReturnType<typeof sampleQueues> | undefined;
  const result = await runVisitors(load, () => {
    before = snapshot(system);
    if (system.loket) sampler = sampleQueues(REDIS_URL, system.loket.prefix, ['route', 'deliver']);
  });
  if (!before) throw new Error(`${system.name}: the run ended before its warm-up did`);
  const queues = await sampler?.stop();
  const report = await reportOf(system, result, idle, await before, queues);
  process.stderr.write(
    `${system.name}: ${report.answered}/${report.sent} answered, ${report.throughput.toFixed(0)}/s, ` +
      `p50 ${report.latency.p50.toFixed(1)} ms, p99 ${report.latency.p99.toFixed(1)} ms, ${[...report.errors.values()].reduce((s, e) => s + e.count, 0)} errors\n`,
  );
  return report;
}

runBench(settings.runTimeoutSeconds, async () => {
  const loket = await measureAlone((cleanup) => startChatLoket(cleanup, REDIS_URL), measure);
  const base = await measureAlone((cleanup) => startChatEcho(cleanup, REDIS_URL), measure);
  printChatReport(settings, loket, base);
});
