import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a bench child reports about itself. */
export interface ChildStats {
  rss: number;
  peakRss: number;
  /** User + system CPU time of the child so far, in ms. */
  cpuMs: number;
  pgQueries: number;
  redisCommands: number;
}

type ToParent = { type: 'ready'; url?: string } | { type: 'stats'; stats: ChildStats } | { type: 'stopped' } | { type: 'failed'; error: string };
type ToChild = { type: 'stats' } | { type: 'stop' };

export interface BenchChild {
  pid: number;
  url?: string;
  stats(): Promise<ChildStats>;
  /** Asks the child to close everything and exit; kills it when it does not within the time given. */
  stop(timeoutMs?: number): Promise<void>;
}

function nextMessage<T extends ToParent['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<ToParent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`bench child ${child.pid} sent no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: ToParent) => {
      if (message.type === 'failed') done(new Error(`bench child failed: ${message.error}`));
      else if (message.type === type) done(undefined, message as Extract<ToParent, { type: T }>);
    };
    const onExit = (code: number | null) => done(new Error(`bench child exited (${code}) before ${type}`));
    const done = (err?: Error, message?: Extract<ToParent, { type: T }>) => {
      clearTimeout(timer);
      child.off('message', onMessage).off('exit', onExit);
      if (err) reject(err);
      else resolve(message!);
    };
    child.on('message', onMessage).on('exit', onExit);
  });
}

/** BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of each child there (open in Chrome DevTools). */
function profilingArgs(): string[] {
  const dir = process.env['BENCH_CPU_PROF_DIR'];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * The path of a bench module next to this one, by name without extension: the compiled
 * `.js` when the bench runs compiled (npm run bench:*, as Loket runs in production), the
 * `.ts` under tsx.
 */
export function benchModule(name: string): string {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./${name}${extension}`, import.meta.url));
}

/**
 * Starts a bench child (a module next to this one, see benchModule) under the same loader
 * as this process, with extra environment, and waits until it says it is ready.
 */
export async function startChild(name: string, env: Record<string, string>): Promise<BenchChild> {
  const child = fork(benchModule(name), [], {
    env: { ...process.env, ...env },
    execArgv: [...process.execArgv, ...profilingArgs()],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const send = (message: ToChild) => child.send(message);
  let ready: { url?: string };
  try {
    ready = await nextMessage(child, 'ready', 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    pid: child.pid!,
    url: ready.url,
    stats: async () => {
      const reply = nextMessage(child, 'stats', 10_000);
      send({ type: 'stats' });
      return (await reply).stats;
    },
    stop: async (timeoutMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
