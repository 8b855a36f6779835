import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { runPrepared, type Db } from '../db/database.js';

/**
 * What stays of a message's channel details after erasure: facts reports count, never who or what.
 * (A call's outcome, whether a call-back was asked, a mail's automatic kind.)
 */
const KEPT_META = ['outcome', 'callback', 'suppressAutoReply', 'automatic', 'bounce', 'tooLarge'];

/** Audit rows whose data names the person (a contact changed, a complaint's details, the complainant's comment). */
const PERSONAL_AUDIT = ['case.contact', 'complaint.details', 'complaint.registered', 'complaint.satisfied', 'complaint.not-satisfied'];

/**
 * Strips the personal data of cases (issue 20: erasure on request, and retention): names,
 * addresses, numbers, subjects, bodies, attachments and raw sources, letters' OCR text and
 * scans, callers' numbers, chat visitors, notes, drafts, the complaint's words, notifications'
 * texts, the audit rows that name the person, and the .eml files of answers. What reports count
 * stays: channel, topic, team, dates, deadlines, the complaint's stages and outcome. One
 * transaction; the files after it. Returns how much went.
 */
export async function stripCases(
  db: Db,
  caseIds: readonly number[],
  options: { emlDir?: string } = {},
): Promise<{ cases: number; blobs: number; files: number }> {
  if (caseIds.length === 0) return { cases: 0, blobs: 0, files: 0 };
  const ids = sql.param([...caseIds]);
  const { outboxIds, blobs } = await db.transaction(async (tx) => {
    const files = await runPrepared<{ sha256: string }>(
      tx,
      sql`select a.sha256 from attachments a join messages m on m.id = a.message_id where m.case_id = any(${ids}::bigint[])
          union select raw_sha256 from messages where case_id = any(${ids}::bigint[]) and raw_sha256 is not null
          union select f->>'sha256' from outbox o cross join jsonb_array_elements(o.attachments) f where o.case_id = any(${ids}::bigint[])
          union select f->>'sha256' from letters l join messages m on m.id = l.message_id cross join jsonb_array_elements(l.scans) f where m.case_id = any(${ids}::bigint[])`,
    );
    const outbox = await runPrepared<{ id: string | number }>(tx, sql`select id from outbox where case_id = any(${ids}::bigint[])`);
    await tx.execute(
      sql`update cases set sender = '{}'::jsonb, subject = '', mentions = null, erased_at = now(), updated_at = now() where id = any(${ids}::bigint[])`,
    );
    await tx.execute(sql`delete from attachments a using messages m where m.id = a.message_id and m.case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`update letters l set sender = '{}'::jsonb, ocr_text = null, ocr_error = null, scans = '[]'::jsonb
                          from messages m where m.id = l.message_id and m.case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`update calls c set caller_number = null from messages m where m.id = c.message_id and m.case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`update messages set sender = '{}'::jsonb, subject = '', text = '', html = null, raw_sha256 = null,
                          external_id = 'erased-' || id, thread = '{"references": []}'::jsonb,
                          meta = (select coalesce(jsonb_object_agg(key, value), '{}'::jsonb) from jsonb_each(meta) where key = any(${sql.param(KEPT_META)}::text[]))
                          where case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`update outbox set recipient = '{}'::jsonb, subject = '', body = '', attachments = '[]'::jsonb, meta = '{}'::jsonb, receipt = null, last_error = null
                          where case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`update case_notes set text = '' where case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`delete from answer_drafts where case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`delete from thread_keys where case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`update conversations set visitor = '{}'::jsonb where case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`update complaints set earlier_reference = null, employee_name = null, resolution = null, satisfaction_comment = null
                          where case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`update compliments set note = null where case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`update notifications n set text = 'Zaak ' || c.reference || ': de persoonsgegevens zijn verwijderd.' from cases c
                          where c.id = n.case_id and n.case_id = any(${ids}::bigint[])`);
    await tx.execute(sql`update audit a set data = '{}'::jsonb from cases c
                          where a.entity = 'case' and a.entity_id = c.reference and c.id = any(${ids}::bigint[]) and a.action = any(${sql.param(PERSONAL_AUDIT)}::text[])`);
    // The bytes go when nothing else still uses them (content-addressed: another case may share a file).
    const removed = await runPrepared<{ sha256: string }>(
      tx,
      sql`delete from blobs b where b.sha256 = any(${sql.param(files.map((f) => f.sha256))}::text[])
            and not exists (select 1 from attachments a where a.sha256 = b.sha256)
            and not exists (select 1 from messages m where m.raw_sha256 = b.sha256)
            and not exists (select 1 from quarantine q where q.raw_sha256 = b.sha256)
            and not exists (select 1 from outbox o where o.attachments @> jsonb_build_array(jsonb_build_object('sha256', b.sha256)))
            and not exists (select 1 from letters l where l.scans @> jsonb_build_array(jsonb_build_object('sha256', b.sha256)))
          returning b.sha256`,
    );
    return { outboxIds: outbox.map((row) => Number(row.id)), blobs: removed.length };
  });
  const files = options.emlDir ? await removeEmlFiles(options.emlDir, outboxIds) : 0;
  return { cases: caseIds.length, blobs, files };
}

/** The .eml files of the answers (`loket.outbox.<id>@<domain>.eml`, channels/email/mail.transport.ts). */
async function removeEmlFiles(dir: string, outboxIds: readonly number[]): Promise<number> {
  if (outboxIds.length === 0) return 0;
  const names = await readdir(dir).catch(() => [] as string[]);
  const wanted = new Set(outboxIds.map(String));
  const doomed = names.filter((name) => wanted.has(/^loket\.outbox\.(\d+)@/.exec(name)?.[1] ?? ''));
  await Promise.all(doomed.map((name) => rm(path.join(dir, name), { force: true })));
  return doomed.length;
}
