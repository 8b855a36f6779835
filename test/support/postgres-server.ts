import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server.js';
import { waitFor } from './wait.js';

export interface PrivatePostgres {
  /** A database of the server's own (trust auth on 127.0.0.1). */
  url: string;
  /** Stops the server at once (SIGKILL, as a crash would); data is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  close(): Promise<void>;
}

/** Debian's PostgreSQL binaries, the newest version installed. */
function binary(name: string): string {
  const root = '/usr/lib/postgresql';
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  if (!version) throw new Error('no PostgreSQL under /usr/lib/postgresql: run scripts/test-services.sh');
  return path.join(root, version, 'bin', name);
}

/**
 * A PostgreSQL server of the test's own (initdb into a temp dir, a free port), so a test may
 * stop and start it without touching the one other tests share. As root it runs as the
 * `postgres` user, which PostgreSQL requires.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'loket-pg-'));
  const data = path.join(dir, 'data');
  if (asRoot) {
    const owner = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(owner.stdout.trim()), Number(group.stdout.trim()));
  }
  const run = (command: string, args: string[]) =>
    asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' }) : spawnSync(command, args, { encoding: 'utf8' });
  const init = run(binary('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let server: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    if (server && server.exitCode === null && server.signalCode === null) return;
    const args = ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'max_connections=50'];
    const child = asRoot
      ? spawn('runuser', ['-u', 'postgres', '--', binary('postgres'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(binary('postgres'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server = child;
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`postgres exited: ${output}`);
        const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query('select 1');
          return true;
        } catch {
          return undefined;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      `postgres on port ${port}`,
      20_000,
      100,
    );
  };

  const stop = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The postmaster itself (under runuser when root): SIGQUIT is its immediate shutdown, as
    // close to a crash as it gets, and runuser exits with it.
    const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGQUIT');
    await exited;
  };

  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
