import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';
import { mailboxState, quarantine } from '../../src/db/schema.js';
import { storeBlob } from '../../src/intake.js';

export interface QuarantineEntry {
  source: string;
  externalId: string;
  reason: 'unparseable' | 'too-large' | 'invalid';
  error?: string;
  raw?: Uint8Array;
  headers?: string;
  size?: number;
}

/** What the IMAP reader keeps in PostgreSQL: where it stands, what it has, what it refused. */
export class MailboxStore {
  constructor(private readonly db: Db) {}

  async state(mailbox: string): Promise<{ uidValidity: number; lastUid: number } | undefined> {
    const [row] = await this.db.select().from(mailboxState).where(eq(mailboxState.mailbox, mailbox));
    return row;
  }

  async advance(mailbox: string, uidValidity: number, lastUid: number): Promise<void> {
    await this.db
      .insert(mailboxState)
      .values({ mailbox, uidValidity, lastUid })
      .onConflictDoUpdate({ target: mailboxState.mailbox, set: { uidValidity, lastUid, updatedAt: sql`now()` } });
  }

  /** Keeps a mail that could not be taken in, raw bytes included, for admins to look at. */
  async quarantine(entry: QuarantineEntry): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rawSha256 = entry.raw ? await storeBlob(tx, entry.raw) : undefined;
      await tx
        .insert(quarantine)
        .values({
          channel: 'email',
          source: entry.source,
          externalId: entry.externalId,
          reason: entry.reason,
          error: entry.error?.slice(0, 2_000),
          rawSha256,
          headers: entry.headers,
          size: entry.size ?? entry.raw?.byteLength,
        })
        .onConflictDoNothing();
    });
  }
}
