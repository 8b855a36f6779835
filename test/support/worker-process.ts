import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type TestLoket } from './loket.js';
import { REDIS_URL } from './prefixes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface LoketProcess {
  child: ChildProcess;
  /** What the process wrote to stdout and stderr, for a failing test's message. */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Loket as its own operating-system process (`node --import tsx src/main.ts`), so a
 * test can SIGKILL or SIGTERM it. Node itself is the child: signals reach Loket, not a wrapper.
 */
export function startLoketProcess(env: Record<string, string>): LoketProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', LOG_LEVEL: 'warn', CHAT_CONVERSATIONS_PER_HOUR: '100000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => chunks.join('').slice(-20_000),
    exited,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A ROLE=worker process on the same database, Redis, queues and data folder as a web TestLoket. */
export function startWorkerOf(web: TestLoket, env: Record<string, string> = {}): LoketProcess {
  return startLoketProcess({
    ROLE: 'worker',
    DATABASE_URL: web.db!.url,
    REDIS_URL,
    QUEUE_PREFIX: web.config.QUEUE_PREFIX,
    DATA_DIR: web.dataDir,
    LOG_LEVEL: 'warn',
    ...env,
  });
}
