import { createTestDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from '../test/support/postgres.js';

export type BenchDatabase = TestDatabase;

/**
 * A fresh, empty database on this machine's PostgreSQL, named `loket_bench_*` so a leftover
 * is recognisably the bench's and never confused with a test's `loket_test_*`.
 */
export function createBenchDatabase(): Promise<BenchDatabase> {
  return createTestDatabase({ namePrefix: 'loket_bench', adminUrl: process.env['BENCH_POSTGRES_URL'] ?? POSTGRES_ADMIN_URL });
}
