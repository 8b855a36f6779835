import type { FastifyInstance } from 'fastify';
import { sql, type SQL } from 'drizzle-orm';
import { runPrepared, type Db } from '../db/database.js';
import { audit } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { RetentionPeriods } from '../policy/retention.setting.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { languageSwitch, uiLocale } from '../workspace/language.js';
import { stripCases } from './erasure.js';

/** Cases stripped per transaction: small enough that a round never holds the tables for long. */
const BATCH = 200;
/** Batches per round at most; the rest waits for the next round (the work resumes where it stopped). */
const MAX_BATCHES = 50;
/** Held by the process erasing a batch (pg_try_advisory_xact_lock). */
const RETENTION_LOCK = 7_402_017;

export const RETENTION_KINDS = ['complaint', 'question', 'chat', 'call', 'letter'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** A case's kind for retention: a complaint (it has a procedure), else by channel. */
const KIND = sql`case when exists (select 1 from complaints k where k.case_id = c.id) then 'complaint'
                  when c.channel = 'chat' then 'chat' when c.channel = 'phone' then 'call' when c.channel = 'post' then 'letter'
                  else 'question' end`;

/** The closed, not yet erased cases whose period has passed, oldest closing first. */
function due(periods: RetentionPeriods, now: Date): SQL {
  const months: Record<RetentionKind, number> = {
    complaint: periods.complaintMonths,
    question: periods.questionMonths,
    chat: periods.chatMonths,
    call: periods.callMonths,
    letter: periods.letterMonths,
  };
  const limit = sql`case ${KIND} ${sql.join(
    RETENTION_KINDS.map((kind) => sql`when ${kind} then ${now.toISOString()}::timestamptz - make_interval(months => ${months[kind]}::int)`),
    sql` `,
  )} end`;
  // The shortest period first, on the partial index of closed cases not erased; then each kind's own.
  const shortest = Math.min(...Object.values(months));
  return sql`c.status = 'closed' and c.erased_at is null
             and c.closed_at < ${now.toISOString()}::timestamptz - make_interval(months => ${shortest}::int) and c.closed_at < ${limit}`;
}

/** What the next round would remove, per kind, with the first cases of each (the dry run). */
export async function retentionDryRun(db: Db, periods: RetentionPeriods, now: Date): Promise<{ kind: RetentionKind; cases: number; first: string[] }[]> {
  const rows = await runPrepared<{ kind: RetentionKind; cases: string | number; first: string[] }>(
    db,
    sql`select kind, count(*) as cases, (array_agg(reference order by closed_at))[1:20] as first
          from (select ${KIND} as kind, c.reference, c.closed_at from cases c where ${due(periods, now)}) d
         group by kind order by kind`,
  );
  return rows.map((row) => ({ kind: row.kind, cases: Number(row.cases), first: row.first }));
}

/**
 * One round (hourly, in worker processes): the cases past their period are stripped of their
 * personal data in batches, each batch its own transaction and audit row; progress is the
 * cases' erased_at, so a round cut off resumes where it stopped.
 */
export async function retentionRound(deps: {
  db: Db;
  periods: () => Promise<RetentionPeriods>;
  emlDir: string;
  clock: () => Date;
  log: Logger;
}): Promise<Record<string, number>> {
  const periods = await deps.periods();
  const now = deps.clock();
  let erased = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    // One batch at a time across all processes: a second worker's round finds the lock taken and stops.
    const rows = await deps.db.transaction(async (tx) => {
      const [lock] = await runPrepared<{ got: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${RETENTION_LOCK}) as got`);
      if (!lock?.got) return undefined;
      const found = await runPrepared<{ id: string | number; reference: string }>(
        tx,
        sql`select c.id, c.reference from cases c where ${due(periods, now)} order by c.closed_at, c.id limit ${BATCH}`,
      );
      if (found.length === 0) return found;
      const result = await stripCases(
        tx as unknown as Db,
        found.map((row) => Number(row.id)),
        { emlDir: deps.emlDir },
      );
      await tx.insert(audit).values({
        actor: 'Loket',
        action: 'retention.erased',
        entity: 'retention',
        entityId: now.toISOString().slice(0, 10),
        data: { references: found.map((row) => row.reference), ...result },
      });
      return found;
    });
    if (!rows || rows.length === 0) break;
    erased += rows.length;
    if (rows.length < BATCH) break;
  }
  if (erased > 0) deps.log.info({ erased }, 'retention: personal data of closed cases past their period removed');
  return { retentionErased: erased };
}

const TEXTS = {
  nl: {
    title: 'Proefdraai bewaartermijnen',
    back: 'Terug naar de bewaartermijnen',
    intro: 'Dit zou de volgende ronde (elke nacht) verwijderen; er is nu niets verwijderd.',
    none: 'Geen zaken over hun bewaartermijn.',
    caption: 'Zaken per soort',
    kind: 'Soort',
    cases: 'Zaken',
    first: 'De eerste',
    kinds: { complaint: 'Klachten', question: 'Vragen (mail en formulier)', chat: 'Chats', call: 'Telefoongesprekken', letter: 'Brieven' },
  },
  en: {
    title: 'Retention periods: dry run',
    back: 'Back to the retention periods',
    intro: 'This is what the next round (every night) would remove; nothing has been removed now.',
    none: 'No cases past their retention period.',
    caption: 'Cases per kind',
    kind: 'Kind',
    cases: 'Cases',
    first: 'The first',
    kinds: { complaint: 'Complaints', question: 'Questions (mail and form)', chat: 'Chats', call: 'Phone calls', letter: 'Letters' },
  },
} as const;

/** GET /admin/bewaartermijnen/proefdraai: what the next round would remove, nothing removed; in the admin's language. */
export function registerRetentionDryRun(app: FastifyInstance, deps: { db: Db; periods: () => Promise<RetentionPeriods>; clock: () => Date }): void {
  app.get('/admin/bewaartermijnen/proefdraai', async (request, reply) => {
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const periods = await deps.periods();
    const rows = await retentionDryRun(deps.db, periods, deps.clock());
    const body = html`<p><a href="/admin/bewaartermijnen">${t.back}</a></p>
<h1>${t.title}</h1>
<p>${t.intro}</p>
${
  rows.length === 0
    ? html`<p id="dry-run">${t.none}</p>`
    : html`<table id="dry-run"><caption class="visually-hidden">${t.caption}</caption>
<thead><tr><th scope="col">${t.kind}</th><th scope="col">${t.cases}</th><th scope="col">${t.first}</th></tr></thead>
<tbody>${rows.map((row) => html`<tr data-kind="${row.kind}"><td>${t.kinds[row.kind]}</td><td>${row.cases}</td><td>${row.first.join(', ')}</td></tr>`)}</tbody></table>`
}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang, title: t.title, body, wide: true, header: languageSwitch(request) }));
  });
}
