import { sql } from 'drizzle-orm';
import { runPrepared, type Db } from '../db/database.js';

/**
 * The procedure's stage deadlines still ahead and before `horizon`: first contact not logged,
 * a solution not recorded. The SLA clock warns of those within its warning time.
 */
export async function stagesDueBy(
  db: Db,
  horizon: Date,
  now: Date,
): Promise<{ caseId: number; reference: string; what: 'first-contact' | 'resolve'; due: Date }[]> {
  const rows = await runPrepared<{ case_id: string | number; reference: string; what: 'first-contact' | 'resolve'; due: string }>(
    db,
    sql`
    select k.case_id, c.reference, 'first-contact' as what, k.first_contact_due as due
      from complaints k join cases c on c.id = k.case_id
     where k.stage in ('registered', 'handler') and k.first_contact_due > ${now.toISOString()}::timestamptz
       and k.first_contact_due <= ${horizon.toISOString()}::timestamptz
    union all
    select k.case_id, c.reference, 'resolve', k.resolve_due
      from complaints k join cases c on c.id = k.case_id
     where k.stage in ('registered', 'handler', 'first-contact') and k.resolve_due > ${now.toISOString()}::timestamptz
       and k.resolve_due <= ${horizon.toISOString()}::timestamptz
     limit 500`,
  );
  return rows.map((row) => ({ caseId: Number(row.case_id), reference: row.reference, what: row.what, due: new Date(row.due) }));
}
