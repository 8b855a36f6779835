import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { asc, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { accessLog } from '../db/schema.js';
import { GroupCommit } from '../group-commit.js';
import type { Logger } from '../logger.js';

/** One access to personal data: who, what, which case. */
export interface Access {
  account: { id: number | null; name: string; role: string };
  action: string;
  reference: string | null;
  detail: Record<string, unknown>;
}

/** The hash a chain starts from. */
export const GENESIS = 'loket-access-log';

/** Any 64-bit key of Loket's own: the advisory lock that puts appends in one line. */
const APPEND_LOCK = 7_402_351_017;

/** The row's SHA-256 over the hash before it and everything the row says, in a fixed order. */
export function rowHash(
  prevHash: string,
  row: { at: Date; accountId: number | null; accountName: string; role: string; action: string; reference: string | null; detail: string },
): string {
  const fields = [prevHash, row.at.toISOString(), row.accountId, row.accountName, row.role, row.action, row.reference, row.detail];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/**
 * Appends accesses to the chain: under a transaction-scoped advisory lock, so the rows of two
 * processes never both follow the same row.
 */
export async function appendAccess(db: Db, accesses: readonly Access[], at = new Date()): Promise<void> {
  if (accesses.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${APPEND_LOCK})`);
    const [last] = await tx
      .select({ hash: accessLog.hash })
      .from(accessLog)
      .orderBy(sql`${accessLog.id} desc`)
      .limit(1);
    let prevHash = last?.hash ?? GENESIS;
    const rows = accesses.map((access) => {
      const row = {
        at,
        accountId: access.account.id,
        accountName: access.account.name,
        role: access.account.role,
        action: access.action,
        reference: access.reference,
        detail: JSON.stringify(access.detail),
      };
      const hash = rowHash(prevHash, row);
      const written = { ...row, prevHash, hash };
      prevHash = hash;
      return written;
    });
    await tx.insert(accessLog).values(rows);
  });
}

/** The chain checked from its start: intact, or the first row that does not follow (removed, altered or inserted). */
export type ChainCheck = { intact: true; rows: number } | { intact: false; rows: number; brokenAt: number; reason: string };

export async function verifyChain(db: Db, batch = 5_000): Promise<ChainCheck> {
  let prevHash = GENESIS;
  let afterId = 0;
  let rows = 0;
  for (;;) {
    const page = await db.select().from(accessLog).where(gt(accessLog.id, afterId)).orderBy(asc(accessLog.id)).limit(batch);
    for (const row of page) {
      if (row.prevHash !== prevHash) return { intact: false, rows, brokenAt: row.id, reason: 'a row before it is missing or was changed' };
      if (rowHash(prevHash, row) !== row.hash) return { intact: false, rows, brokenAt: row.id, reason: 'the row was changed' };
      prevHash = row.hash;
      afterId = row.id;
      rows += 1;
    }
    if (page.length < batch) return { intact: true, rows };
  }
}

/** What a route does with personal data, when it answers without error. */
type Recorded = { action: string; detail?: (request: FastifyRequest) => Record<string, unknown> };

/**
 * The routes that show or change a person's data, by the route's own URL. A route that takes a
 * case's :reference and is not named here is logged too: reading it is a view, anything else a change.
 */
const RECORDED: Record<string, Recorded> = {
  'GET /werkplek/zaken/:reference': { action: 'case.view' },
  'GET /werkplek/bijlagen/:sha256': { action: 'attachment.download' },
  'GET /werkplek/antwoorden/:outboxId/bijlagen/:sha256': { action: 'attachment.download' },
  'GET /werkplek/zaken': { action: 'case.list', detail: (request) => ({ query: request.query }) },
  'GET /werkplek/zaken/rijen': { action: 'case.list', detail: (request) => ({ query: request.query }) },
  'GET /werkplek/terugbellen': { action: 'callback.list' },
  'GET /werkplek/afdrukken': { action: 'print.list' },
  'GET /werkplek/afdrukken/:file': { action: 'print.download' },
  'GET /werkplek/brief/:id': { action: 'letter.view' },
  'GET /werkplek/brief/:id/scan/:n': { action: 'letter.scan' },
  'GET /werkplek/chats': { action: 'chat.list' },
  'GET /werkplek/klachten': { action: 'complaint.list' },
  'GET /api/v1/calls/:callId': { action: 'call.view' },
};

/**
 * What an open case page does by itself, on the case already logged as viewed: the beat that
 * tells colleagues it is open (every few seconds), the agent's own draft saved as they type,
 * and a template filled in for the composer. Logged, they would bury the views a privacy
 * officer looks for under thousands of rows a day that show nothing new.
 */
const PAGE_OWN: ReadonlySet<string> = new Set([
  'POST /werkplek/zaken/:reference/aanwezig',
  'POST /werkplek/zaken/:reference/concept',
  'GET /werkplek/zaken/:reference/sjablonen/:key',
]);

function recordedFor(request: FastifyRequest): Recorded | undefined {
  const url = request.routeOptions.url;
  if (!url) return undefined;
  if (PAGE_OWN.has(`${request.method} ${url}`)) return undefined;
  const named = RECORDED[`${request.method} ${url}`];
  if (named) return named;
  if (!url.includes(':reference') || !url.startsWith('/werkplek/')) return undefined;
  const what = url.split('/').slice(4).join('.') || 'case';
  return { action: request.method === 'GET' ? `case.view.${what}` : `case.change.${what}` };
}

/**
 * Writes an access-log row for every answer of a recorded route to a signed-in person, before
 * the answer leaves: a view that cannot be logged is not shown (500), so none goes unrecorded.
 * Live updates of an open page (event streams) and what the page does by itself (PAGE_OWN)
 * are the same view and are not logged again.
 */
export function registerAccessLog(app: FastifyInstance, deps: { db: Db; log: Logger }): void {
  // Accesses that come while a batch is written go together: one locked append serves many pages.
  const appends = new GroupCommit<Access, void>(async (batch) => {
    await appendAccess(deps.db, batch);
    return batch.map(() => undefined);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const principal = request.principal;
    if (!principal || reply.statusCode >= 400) return payload;
    const recorded = recordedFor(request);
    if (!recorded) return payload;
    const reference = (request.params as { reference?: unknown } | undefined)?.reference;
    // Not written, not shown: the error answer (500) replaces the page.
    await appends
      .run({
        account: {
          id: principal.kind === 'user' ? principal.id : null,
          name: principal.kind === 'user' ? principal.name : `token: ${principal.name}`,
          role: principal.role,
        },
        action: recorded.action,
        reference: typeof reference === 'string' ? reference : null,
        detail: { method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ...(recorded.detail?.(request) ?? {}) },
      })
      .catch((err: unknown) => {
        deps.log.error({ err, action: recorded.action }, 'access not logged; the page is not shown');
        throw err;
      });
    return payload;
  });
}
