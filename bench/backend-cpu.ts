import { readFile } from 'node:fs/promises';
import type { BenchDatabase } from './database.js';

/** Linux reports process CPU in USER_HZ ticks, which is 100 per second on every mainstream build. */
const TICKS_PER_SECOND = 100;

async function cpuTicksOf(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm) ": state is field 3, utime 14 and stime 15 (1-based).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // the backend ended between listing and reading: its time is lost, not invented
  }
}

/**
 * CPU time (ms) used so far by the PostgreSQL backends serving one database: the
 * database-side cost of a system, which the child's own CPU figure leaves out. It
 * includes the bench's own completion polls, a small and equal share for both systems.
 * Only meaningful for a PostgreSQL on this machine, which is the only kind the bench uses.
 */
export async function backendCpuMs(database: BenchDatabase): Promise<number> {
  const rows = await database.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database.name]);
  const ticks = await Promise.all(rows.map((row) => cpuTicksOf(row.pid)));
  return (ticks.reduce((sum, t) => sum + t, 0) * 1_000) / TICKS_PER_SECOND;
}
