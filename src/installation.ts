import type { Db } from './db/database.js';
import { installation } from './db/schema.js';

/** This database's own id (made by its first migration), for names in shared places such as queue job ids. */
export async function installationId(db: Db): Promise<string> {
  const [row] = await db.select({ id: installation.id }).from(installation).limit(1);
  if (!row) throw new Error('the installation row is missing: the database was not migrated');
  return row.id;
}
