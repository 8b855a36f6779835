import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { waitFor } from './wait.js';

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** A client of the test's own, for FLUSHALL and inspection. */
  client: Redis;
  /** Stops the server (nothing is saved: it comes back empty). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (a no-op while it runs). */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing is answered. */
  freeze(): void;
  /** Lets a frozen server go on (SIGCONT). */
  thaw(): void;
  /** Stops it for good and closes the client. */
  close(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free port, without persistence, so a test may
 * FLUSHALL it or stop it without touching the Redis other tests share.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let server: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    if (server && server.exitCode === null && server.signalCode === null) return;
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server = child;
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG';
        },
        `redis-server on port ${port}`,
        10_000,
        50,
      );
    } finally {
      probe.disconnect();
    }
  };

  const stop = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };

  await start();
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
  client.on('error', () => undefined); // the test stops this server on purpose
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    client,
    stop,
    start,
    freeze: () => void server?.kill('SIGSTOP'),
    thaw: () => void server?.kill('SIGCONT'),
    close: async () => {
      client.disconnect();
      server?.kill('SIGCONT');
      await stop();
    },
  };
}
