import { readFile } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CHAT_REDIRECT_KIND } from '../channels/chat/conversation.store.js';
import type { Conversation } from './chat.load.js';
import type { LoopSecond } from './chat.loop.js';
import { sleep } from './clock.js';
import type { BenchDatabase } from './database.js';
import { percentile } from './stats.js';

export interface Spread {
  p50: number;
  p99: number;
}

export interface LoopFigures {
  /** Mean over the window's seconds of each second's p99. */
  p99: number;
  max: number;
  seconds: number;
}

/** The child's event-loop seconds that fall inside [from, to]. */
export async function loopFigures(file: string, from: number, to: number): Promise<LoopFigures> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const seconds = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LoopSecond)
    .filter((s) => s.at > from + 1_000 && s.at <= to);
  return {
    p99: seconds.reduce((sum, s) => sum + s.p99, 0) / seconds.length,
    max: Math.max(...seconds.map((s) => s.max)),
    seconds: seconds.length,
  };
}

export interface QueueDepth {
  /** Jobs waiting (not yet picked up) at the fullest sample. */
  maxWaiting: number;
  meanWaiting: number;
  maxActive: number;
}

/**
 * Samples how many jobs wait in each of Loket's queues every `everyMs` until stopped:
 * a queue that backs up is where the time goes. A few Redis commands per sample.
 */
export function sampleQueues(redisUrl: string, prefix: string, names: string[], everyMs = 250): { stop(): Promise<Map<string, QueueDepth>> } {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = names.map((name) => new Queue(name, { connection: redis, prefix }));
  const samples = new Map<string, { waiting: number[]; active: number[] }>(names.map((n) => [n, { waiting: [], active: [] }]));
  let running = true;
  const done = (async () => {
    while (running) {
      for (const queue of queues) {
        const counts = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active');
        const sample = samples.get(queue.name)!;
        sample.waiting.push((counts['wait'] ?? 0) + (counts['prioritized'] ?? 0) + (counts['delayed'] ?? 0));
        sample.active.push(counts['active'] ?? 0);
      }
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      for (const queue of queues) await queue.close();
      redis.disconnect();
      return new Map(
        [...samples].map(([name, { waiting, active }]) => [
          name,
          {
            maxWaiting: Math.max(0, ...waiting),
            meanWaiting: waiting.reduce((a, b) => a + b, 0) / Math.max(1, waiting.length),
            maxActive: Math.max(0, ...active),
          },
        ]),
      );
    },
  };
}

/** Where one answer's time went inside Loket, from the stamps its rows carry. */
export interface Stages {
  /** emit → messages.received_at: socket, rate limiter, payload check, conversation touched. */
  intoLoket: Spread;
  /** received_at → routed_at (the route transaction's start): stored, route job queued and picked up. */
  toRoute: Spread;
  /** routed_at → the redirect's outbox row (policy transaction's start): routing itself. */
  routing: Spread;
  /** outbox.created_at → claimed_at: policy committed, deliver job queued and picked up. */
  toDeliver: Spread;
  /** claimed_at → the visitor has the line: publish through Redis, adapter, websocket. */
  toVisitor: Spread;
  /** Answered conversations the rows were found for. */
  matched: number;
  /** Server side, whether or not the visitor was still waiting: emit → redirect sent (outbox.sent_at). */
  emitToSent: Spread;
  /** Measured messages stored / whose redirect was sent by the time the run had drained. */
  stored: number;
  sent: number;
  /** Redirects sent per second in the measured window, answers to warm-up messages included. */
  sentPerSecond: number;
}

const spread = (values: number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/**
 * Splits Loket's answer latency into stages by joining each measured conversation with
 * its message and redirect rows. PostgreSQL's now() is the transaction's start, so each
 * boundary is when that step began; client and server share this machine's clock.
 */
export async function loketStages(database: BenchDatabase, measured: readonly Conversation[], window: { from: number; to: number }): Promise<Stages> {
  const rows = await database.query<{
    key: string;
    received: string;
    routed: string | null;
    redirect: string | null;
    claimed: string | null;
    sent: string | null;
  }>(
    `select m.external_id as key,
            extract(epoch from m.received_at) * 1000 as received,
            extract(epoch from m.routed_at) * 1000 as routed,
            extract(epoch from o.created_at) * 1000 as redirect,
            extract(epoch from o.claimed_at) * 1000 as claimed,
            extract(epoch from o.sent_at) * 1000 as sent
       from messages m left join outbox o on o.message_id = m.id and o.kind = $1
      where m.channel = 'chat' and m.external_id = any($2)`,
    [CHAT_REDIRECT_KIND, measured.map((c) => `${c.conversationId}:${c.clientId}`)],
  );
  const [rate] = await database.query<{ n: number }>(
    `select count(*)::int as n from outbox where kind = $1 and sent_at >= to_timestamp($2 / 1000.0) and sent_at < to_timestamp($3 / 1000.0)`,
    [CHAT_REDIRECT_KIND, window.from, window.to],
  );
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const stages = {
    intoLoket: [] as number[],
    toRoute: [] as number[],
    routing: [] as number[],
    toDeliver: [] as number[],
    toVisitor: [] as number[],
    emitToSent: [] as number[],
  };
  for (const c of measured) {
    const row = byKey.get(`${c.conversationId}:${c.clientId}`);
    if (row?.sent == null) continue;
    stages.emitToSent.push(Number(row.sent) - c.emittedAt);
    if (c.answeredAt === undefined) continue;
    const [received, routed, redirect, claimed] = [row.received, row.routed, row.redirect, row.claimed].map(Number) as [number, number, number, number];
    stages.intoLoket.push(received - c.emittedAt);
    stages.toRoute.push(routed - received);
    stages.routing.push(redirect - routed);
    stages.toDeliver.push(claimed - redirect);
    stages.toVisitor.push(c.answeredAt - claimed);
  }
  return {
    intoLoket: spread(stages.intoLoket),
    toRoute: spread(stages.toRoute),
    routing: spread(stages.routing),
    toDeliver: spread(stages.toDeliver),
    toVisitor: spread(stages.toVisitor),
    matched: stages.intoLoket.length,
    emitToSent: spread(stages.emitToSent),
    stored: rows.length,
    sent: stages.emitToSent.length,
    sentPerSecond: ((rate?.n ?? 0) * 1_000) / (window.to - window.from),
  };
}
