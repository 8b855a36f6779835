import { spawn, type ChildProcess } from 'node:child_process';
import { sleep, waitFor } from './wait.js';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';

const DOVECOT = process.env['DOVECOT_BIN'] ?? '/usr/sbin/dovecot';
export const HOST = '127.0.0.1';

/** Dovecot's master died while starting (bad config, a port taken); carries the log tail. */
export class DovecotExitedError extends Error {
  override name = 'DovecotExitedError';
  constructor(log: string) {
    super(`dovecot exited during start-up:\n${tail(log)}`);
  }
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * One Dovecot master in the foreground (`dovecot -F -c config`) in a process group of its
 * own, so that halting it also ends the imap/lmtp/auth children that hold the listeners.
 */
export class DovecotProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    private readonly config: string,
    private readonly logFile: string,
    private readonly baseDir: string,
  ) {
    if (!existsSync(DOVECOT)) throw new Error(`${DOVECOT} is missing: run scripts/test-services.sh`);
    installExitHook();
  }

  /** Dovecot's log file plus what the master wrote to stdout/stderr. */
  readLog(): string {
    const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '(no log file)';
    return this.output ? `${log}\n--- dovecot stdout/stderr ---\n${this.output}` : log;
  }

  /** Starts the master and resolves once IMAP greets `* OK` and LMTP greets `220`. */
  async start(imapPort: number, lmtpPort: number, timeoutMs: number): Promise<void> {
    if (this.child) return;
    rmSync(path.join(this.baseDir, 'master.pid'), { force: true }); // left behind by a SIGKILL
    const proc = spawn(DOVECOT, ['-F', '-c', this.config], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    proc.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    proc.once('exit', () => running.delete(proc));
    running.add(proc);
    this.child = proc;
    try {
      await waitUntil(
        async () => {
          if (proc.exitCode !== null || proc.signalCode !== null) throw new DovecotExitedError(this.readLog());
          return (await greets(imapPort, '* OK')) && (await greets(lmtpPort, '220 '));
        },
        `Dovecot on IMAP ${imapPort} / LMTP ${lmtpPort}`,
        timeoutMs,
      );
    } catch (err) {
      await this.halt({ hard: true });
      if (err instanceof DovecotExitedError) throw err;
      throw new Error(`${(err as Error).message}\n${tail(this.readLog())}`, { cause: err });
    }
  }

  /**
   * SIGTERM (Dovecot cuts off its clients and exits in about a second) or, with `hard`,
   * SIGKILL at once; then SIGKILL for whatever is left of the group. With `ports`, waits until
   * they refuse connections, so the next start can bind them again.
   */
  async halt({ hard = false, ports = [] }: { hard?: boolean; ports?: number[] } = {}): Promise<void> {
    const proc = this.child;
    this.child = undefined;
    if (!proc) return;
    const exited = proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((r) => proc.once('exit', r));
    if (!hard) proc.kill('SIGTERM');
    const clean = hard ? false : await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    killGroup(proc.pid, 'SIGKILL');
    if (!clean) await Promise.race([exited, sleep(5_000)]);
    // The master gone is not enough: a login or LMTP child still dying keeps the master's
    // sockets answering, and the next master refuses to start ("Dovecot is already running?").
    await waitUntil(async () => !groupAlive(proc.pid), `Dovecot's processes (group ${proc.pid}) to end`, 5_000);
    if (ports.length > 0) {
      await waitUntil(async () => !(await Promise.all(ports.map(accepts))).some(Boolean), `ports ${ports.join(', ')} to close`, 10_000);
    }
  }
}

/** A port nobody listens on right now (another process may take it before Dovecot does). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

/** Polls `check` until it yields a value; a DovecotExitedError ends the wait at once. */
export function waitUntil<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs: number, everyMs = 50): Promise<T> {
  return waitFor(check, what, timeoutMs, everyMs, (err) => err instanceof DovecotExitedError);
}

const tail = (log: string) => log.split('\n').slice(-30).join('\n');

/** Connects and reads the first line; true when it starts with `expected`. */
function greets(port: number, expected: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    let data = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data.includes('\n')) done(data.startsWith(expected));
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(true), 1_000); // neither accepted nor refused: something holds it
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Whether any process of the group is still there (zombies not yet reaped count: signal 0 reaches them). */
function groupAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** A test process that ends without stop() must not leave Dovecots holding ports. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const proc of running) killGroup(proc.pid, 'SIGKILL');
  });
}
