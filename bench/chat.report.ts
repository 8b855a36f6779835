import { cpus, loadavg } from 'node:os';
import type { LoopFigures, QueueDepth, Spread, Stages } from './chat.diagnostics.js';

/** Everything measured about one chat server in one run (the measured window unless said otherwise). */
export interface ChatSystemReport {
  name: string;
  /** Conversations whose chat:message was emitted. */
  sent: number;
  answered: number;
  /** chat:closed { reason: 'redirected' } arrivals. */
  closed: number;
  /** Over the whole run, warm-up included, by kind: count and the first one's detail. */
  errors: Map<string, { count: number; first: string }>;
  /** Cycles a visitor let pass while still waiting for an answer (whole run). */
  skippedCycles: number;
  lateAnswers: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  messageAck: Spread;
  startAck: Spread;
  /** How late cycles started against their schedule: the client's own lag. */
  startLagP99: number;
  /** Answers per second over the measured window. */
  throughput: number;
  peakRssMb: number;
  /** The server's RSS once started, before any visitor connected. */
  idleRssMb: number;
  serverCpuMsPerMessage: number;
  databaseCpuMsPerMessage: number;
  clientCpuMsPerMessage: number;
  /** Through node-postgres and ioredis in the server process (child.side.ts counts them). */
  pgQueriesPerMessage: number;
  redisCommandsPerMessage: number;
  /** Each process's CPU over the measured window (warm-up end to drained), in % of one core. */
  cpuPercent: { server: number; database: number; client: number };
  clientLoop: { p99: number; max: number };
  serverLoop: LoopFigures;
  queues?: Map<string, QueueDepth>;
  stages?: Stages;
}

export interface ChatRunSettings {
  visitors: number;
  intervalMs: number;
  seconds: number;
  warmupSeconds: number;
  timeoutMs: number;
  loadAtStart: number;
}

export const TARGETS = { p99Ms: 50, rssMb: 300 } as const;

const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const ratio = (a: number, b: number) => f(a / b, 2);
const errorCount = (r: ChatSystemReport) => [...r.errors.values()].reduce((sum, e) => sum + e.count, 0);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, column) => Math.max(h.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function loketDetail(loket: ChatSystemReport): string[] {
  const out: string[] = [];
  const stages = loket.stages;
  if (stages) {
    const rows: Array<[string, Spread]> = [
      ['emit → received (socket, rate limit, payload check, touch)', stages.intoLoket],
      ['received → route began (store message, route queue)', stages.toRoute],
      ['route began → redirect row (routing, policy)', stages.routing],
      ['redirect row → deliver claimed (deliver queue)', stages.toDeliver],
      ['claimed → visitor has it (publish, adapter, websocket)', stages.toVisitor],
    ];
    out.push('', `where Loket's answer time goes (${stages.matched} answers joined with their rows; stage = one step's start to the next's)`);
    out.push(
      ...table(
        ['', 'p50 ms', 'p99 ms'],
        rows.map(([name, s]) => [name, f(s.p50), f(s.p99)]),
      ),
    );
    out.push(
      '',
      `server side, answered in time or not: ${stages.stored} of the measured messages stored, ${stages.sent} redirects sent by the end; ` +
        `emit → redirect sent p50 ${f(stages.emitToSent.p50)} ms, p99 ${f(stages.emitToSent.p99)} ms; ${f(stages.sentPerSecond, 0)} redirects sent/s in the window`,
    );
  }
  if (loket.queues) {
    out.push('', "Loket's queues, sampled every 250 ms in the measured window");
    out.push(
      ...table(
        ['', 'max waiting', 'mean waiting', 'max active'],
        [...loket.queues].map(([name, q]) => [name, String(q.maxWaiting), f(q.meanWaiting, 2), String(q.maxActive)]),
      ),
    );
  }
  return out;
}

function errorLines(r: ChatSystemReport): string[] {
  return [...r.errors].map(([kind, e]) => `  ${r.name} error ${kind}: ${e.count} (first: ${e.first})`);
}

/** The table the chat bench prints; targets are marked, not enforced (a bench never fails on speed). */
export function printChatReport(settings: ChatRunSettings, loket: ChatSystemReport, base: ChatSystemReport): void {
  const row = (name: string, get: (r: ChatSystemReport) => number, digits = 1, withRatio = true): string[] => [
    name,
    f(get(loket), digits),
    f(get(base), digits),
    withRatio ? ratio(get(loket), get(base)) : '',
  ];
  const rows = [
    row('messages sent (chat:message emitted)', (r) => r.sent, 0, false),
    row('answered (system line arrived)', (r) => r.answered, 0, false),
    row('chat:closed redirected', (r) => r.closed, 0, false),
    row('errors (whole run, warm-up included)', errorCount, 0, false),
    row('cycles skipped, visitor still waiting (whole run)', (r) => r.skippedCycles, 0, false),
    row('answers after their timeout (whole run)', (r) => r.lateAnswers, 0, false),
    row('messages sent/s (measured window)', (r) => r.sent / settings.seconds, 0, false),
    row('answers/s', (r) => r.throughput, 0),
    row('emit → answer p50 ms', (r) => r.latency.p50),
    row('emit → answer p90 ms', (r) => r.latency.p90),
    row('emit → answer p99 ms', (r) => r.latency.p99),
    row('emit → answer max ms', (r) => r.latency.max),
    row('chat:message ack p50 ms', (r) => r.messageAck.p50),
    row('chat:message ack p99 ms', (r) => r.messageAck.p99),
    row('chat:start ack p50 ms', (r) => r.startAck.p50),
    row('chat:start ack p99 ms', (r) => r.startAck.p99),
    row('RSS of the server process before visitors MB', (r) => r.idleRssMb, 0),
    row('peak RSS of the server process MB', (r) => r.peakRssMb, 0),
    row('server process CPU ms per message sent', (r) => r.serverCpuMsPerMessage, 2),
    row('server process CPU % of one core', (r) => r.cpuPercent.server, 0, false),
    row('PostgreSQL backend CPU ms per message sent', (r) => r.databaseCpuMsPerMessage, 2, false),
    row('PostgreSQL backend CPU % of one core', (r) => r.cpuPercent.database, 0, false),
    row('PostgreSQL queries per message sent', (r) => r.pgQueriesPerMessage, 1, false),
    row('Redis commands per message sent', (r) => r.redisCommandsPerMessage, 1),
    row('server event-loop delay p99 ms (mean of 1-s windows)', (r) => r.serverLoop.p99),
    row('server event-loop delay max ms', (r) => r.serverLoop.max),
    row('client process CPU ms per message sent', (r) => r.clientCpuMsPerMessage, 2, false),
    row('client process CPU % of one core', (r) => r.cpuPercent.client, 0, false),
    row('client event-loop delay p99 ms', (r) => r.clientLoop.p99, 1, false),
    row('client event-loop delay max ms', (r) => r.clientLoop.max, 1, false),
    row('client cycle start lag p99 ms', (r) => r.startLagP99, 1, false),
  ];
  const p99Met = loket.latency.p99 <= TARGETS.p99Ms;
  const rssMet = loket.peakRssMb <= TARGETS.rssMb;
  const errorsMet = errorCount(loket) === 0 && loket.answered === loket.sent;
  const out = [
    '',
    `Loket chat bench — ${settings.visitors} visitors, one conversation (chat:start + chat:message) each every ${settings.intervalMs} ms ` +
      `(${f((settings.visitors * 1_000) / settings.intervalMs, 0)} messages/s offered) for ${settings.seconds} s after ${settings.warmupSeconds} s warm-up; ` +
      `topics outside the chat list, so every message gets the automatic redirect; ${cpus().length} cores, ` +
      `load average ${f(settings.loadAtStart, 2)} at start and ${f(loadavg()[0]!, 2)} at end`,
    'latency = chat:message emitted → chat:message { from: "system" } received on that socket (same process, same clock); ' +
      'baseline = bare socket.io + Redis adapter echo, same clients',
    '',
    ...table(['', 'Loket', 'baseline', 'Loket/baseline'], rows),
    ...loketDetail(loket),
    '',
    `target p99 ≤ ${TARGETS.p99Ms} ms: ${p99Met ? 'met' : 'NOT met'} (${f(loket.latency.p99)} ms)`,
    `target server RSS ≤ ${TARGETS.rssMb} MB: ${rssMet ? 'met' : 'NOT met'} (${f(loket.peakRssMb, 0)} MB)`,
    `target zero errors: ${errorsMet ? 'met' : 'NOT met'} (${errorCount(loket)} errors, ${loket.sent - loket.answered} unanswered)`,
    ...errorLines(loket),
    ...errorLines(base),
    ...[loket, base]
      .filter((r) => r.startLagP99 > 5)
      .map((r) => `note: cycles against ${r.name} started late (lag p99 ${f(r.startLagP99, 0)} ms): the client was starved or a cycle ran past its interval`),
    '',
  ];
  process.stdout.write(out.join('\n'));
}
