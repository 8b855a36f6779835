import { createRequire } from 'node:module';
import type { ChildStats } from './child.js';

type ToChild = { type: 'stats' } | { type: 'stop' };

const require = createRequire(import.meta.url);

/**
 * Counts every query that reaches PostgreSQL through node-postgres and every command
 * ioredis sends, by wrapping the prototypes both libraries share in this process.
 * Counting only; a bench aid, never used by Loket itself.
 */
function installCounters(): { pgQueries: () => number; redisCommands: () => number } {
  let pgQueries = 0;
  let redisCommands = 0;
  const pg = require('pg') as { Client: { prototype: { query: (...args: unknown[]) => unknown } } };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    pgQueries += 1;
    return query.apply(this, args);
  };
  const { Redis } = require('ioredis') as { Redis: { prototype: { sendCommand: (...args: unknown[]) => unknown } } };
  const sendCommand = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function (this: unknown, ...args: unknown[]) {
    redisCommands += 1;
    return sendCommand.apply(this, args);
  };
  return { pgQueries: () => pgQueries, redisCommands: () => redisCommands };
}

/** The child half of the protocol in child.ts: ready, stats on request, stop on request. */
export function serveParent(start: () => Promise<{ url?: string; stop: () => Promise<void> }>): void {
  const counters = installCounters();
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  const stats = (): ChildStats => {
    const rss = process.memoryUsage.rss();
    const cpu = process.cpuUsage();
    return {
      rss,
      peakRss: Math.max(peakRss, rss),
      cpuMs: (cpu.user + cpu.system) / 1_000,
      pgQueries: counters.pgQueries(),
      redisCommands: counters.redisCommands(),
    };
  };
  const send = (message: unknown) => process.send?.(message);
  // An orphaned child (the parent died) must not keep Redis and PostgreSQL connections open.
  process.on('disconnect', () => process.exit(1));

  start().then(
    ({ url, stop }) => {
      process.on('message', (message: ToChild) => {
        if (message.type === 'stats') send({ type: 'stats', stats: stats() });
        if (message.type === 'stop') {
          clearInterval(sampler);
          stop().then(
            () => process.exit(0),
            (err: unknown) => {
              process.stderr.write(`bench child failed to stop: ${String(err)}\n`);
              process.exit(1);
            },
          );
        }
      });
      send({ type: 'ready', url });
    },
    (err: unknown) => {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      // Exit only once the message has left, or the parent sees a bare exit.
      process.send?.({ type: 'failed', error }, () => process.exit(1));
    },
  );
}
