import type { BenchChild } from './child.js';
import type { Send } from './load.js';

/** One pipeline under measurement: how to start a message and how to see it finished. */
export interface SystemUnderTest {
  name: string;
  child: BenchChild;
  send: Send;
  /** How many messages have been finished so far, over the whole run. */
  finishedCount(): Promise<number>;
  /** When each of these keys was finished (epoch ms, PostgreSQL's clock = this machine's). */
  finishedAt(keys: string[]): Promise<Map<string, number>>;
  /** CPU ms used so far by the PostgreSQL backends of this system's database. */
  databaseCpuMs(): Promise<number>;
}

/** Reads `key, at_ms` rows into a map. */
export function toFinishedMap(rows: Array<{ key: string; at_ms: string | number }>): Map<string, number> {
  return new Map(rows.map((row) => [row.key, Number(row.at_ms)]));
}
