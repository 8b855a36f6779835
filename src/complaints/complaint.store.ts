import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { addWorkingDays } from '../calendar.js';
import { runPrepared, type Db } from '../db/database.js';
import { audit, cases, complaints, type ComplaintStage } from '../db/schema.js';
import type { OfficeHours } from '../office-hours.js';
import { COMPLAINT_TOPIC } from '../policy/rules.schema.js';
import { amsterdamInstant } from '../sla/working-time.js';
import type { ComplaintDeadlines } from '../policy/complaint.setting.js';
import { complaintDetailsSchema, type ComplaintDetails } from './complaint.details.js';

/** What the procedure's deadlines are counted with: the office hours and the admin's deadlines (`complaint.deadlines`). */
export interface ComplaintTimes {
  hours: OfficeHours;
  deadlines: ComplaintDeadlines;
}

export type ComplaintRow = typeof complaints.$inferSelect;

/** Why a step of the procedure was refused; complaint.routes.ts says it in the agent's language. */
export type ComplaintRefusal = 'CASE_GONE' | 'WRONG_STAGE' | 'HANDLER_INVOLVED' | 'NOT_A_COMPLAINT' | 'INVOLVED_CANNOT_HANDLE' | 'COMPLIMENT_NOT_RECORDED';

/** A refusal of a step of the procedure; `message` is for the agent, in Dutch, `code` says which refusal it is. */
export class ComplaintRefused extends Error {
  override name = 'ComplaintRefused';
  constructor(
    message: string,
    readonly code: ComplaintRefusal,
  ) {
    super(message);
  }
}

/** Closing time on the day `days` working days after `from`: when a stage is due. */
export const dueAfter = (from: Date, days: number, hours: OfficeHours) => amsterdamInstant(addWorkingDays(from, days, hours.extraClosedDays), hours.closesAt);

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Every open case about a complaint that has no procedure yet gets one (its topic came from
 * the form, the classifier, a rule, or an agent's change): registered, with its deadlines
 * counted from the case's receipt and what the complainant told on the form (seed 000) taken
 * from its first message. A phone call is the exception: the agent who took it registers the
 * complaint with the caller's answers (seed 000), so the classifier's topic alone starts nothing
 * there (an agent who sets the topic does). Returns how many started.
 */
export async function startComplaints(db: Db, { hours, deadlines }: ComplaintTimes): Promise<number> {
  const waiting = await runPrepared<{ id: string | number; created_at: string; details: unknown }>(
    db,
    sql`select c.id, c.created_at, (select m.meta->'complaint' from messages m where m.case_id = c.id order by m.id limit 1) as details
          from cases c
         where c.topic = ${COMPLAINT_TOPIC} and c.status = 'open' and not exists (select 1 from complaints k where k.case_id = c.id)
           and (c.channel <> 'phone' or exists (select 1 from audit a where a.entity = 'case' and a.entity_id = c.reference and a.action = 'case.reclassify'))
         order by c.id limit 500`,
  );
  for (const row of waiting) {
    const received = new Date(row.created_at);
    const details = complaintDetailsSchema.safeParse(row.details ?? {});
    await db
      .insert(complaints)
      .values({
        caseId: Number(row.id),
        stage: 'registered',
        firstContactDue: dueAfter(received, deadlines.firstContactDays, hours),
        resolveDue: dueAfter(received, deadlines.resolveDays, hours),
        ...(details.success ? detailColumns(details.data) : {}),
      })
      .onConflictDoNothing();
  }
  return waiting.length;
}

const detailColumns = (details: ComplaintDetails) => ({
  earlierReference: details.earlierReference || null,
  lastContactOn: details.lastContactOn || null,
  employeeName: details.employeeName || null,
});

/**
 * An agent registers a complaint made by mail or phone (seed 000 asks the same as the form):
 * the case's topic becomes the complaint topic and the procedure starts at once, counted from
 * the case's receipt. On a case that already is a complaint, the details are corrected.
 */
export async function registerComplaint(
  db: Db,
  caseRow: { id: number; reference: string; topic: string | null; team: string | null },
  details: ComplaintDetails,
  team: string | null,
  actor: { id: number; name: string },
  { hours, deadlines }: ComplaintTimes,
): Promise<'registered' | 'corrected'> {
  return db.transaction(async (tx) => {
    const [caseNow] = await tx.select({ createdAt: cases.openedAt }).from(cases).where(eq(cases.id, caseRow.id)).for('update');
    if (!caseNow) throw new ComplaintRefused('Deze zaak bestaat niet meer.', 'CASE_GONE');
    const [existing] = await tx.select({ caseId: complaints.caseId }).from(complaints).where(eq(complaints.caseId, caseRow.id));
    if (existing) {
      await tx
        .update(complaints)
        .set({ ...detailColumns(details), updatedAt: sql`now()` })
        .where(eq(complaints.caseId, caseRow.id));
      await tx
        .insert(audit)
        .values({ actor: actor.name, action: 'complaint.details', entity: 'case', entityId: caseRow.reference, data: { ...details, actorId: actor.id } });
      return 'corrected';
    }
    await tx.insert(complaints).values({
      caseId: caseRow.id,
      stage: 'registered',
      firstContactDue: dueAfter(caseNow.createdAt, deadlines.firstContactDays, hours),
      resolveDue: dueAfter(caseNow.createdAt, deadlines.resolveDays, hours),
      registeredBy: actor.name,
      ...detailColumns(details),
    });
    if (caseRow.topic !== COMPLAINT_TOPIC) {
      await tx
        .update(cases)
        .set({ topic: COMPLAINT_TOPIC, team: team ?? caseRow.team, updatedAt: sql`now()` })
        .where(eq(cases.id, caseRow.id));
    }
    await tx.insert(audit).values({
      actor: actor.name,
      action: 'complaint.registered',
      entity: 'case',
      entityId: caseRow.reference,
      data: { ...details, from: caseRow.topic, actorId: actor.id },
    });
    return 'registered';
  });
}

/**
 * The complaints registered that were not acknowledged yet, oldest first. The acknowledgement
 * goes out within 3 working days (seed 004); Loket sends it the round it registers them.
 */
export async function unacknowledged(db: Db): Promise<{ caseId: number; reference: string }[]> {
  const rows = await runPrepared<{ case_id: string | number; reference: string }>(
    db,
    sql`select k.case_id, c.reference from complaints k join cases c on c.id = k.case_id
         where k.acknowledged_at is null and k.stage not in ('closed', 'escalated') order by k.case_id limit 500`,
  );
  return rows.map((row) => ({ caseId: Number(row.case_id), reference: row.reference }));
}

export async function complaintOf(db: Db, caseId: number): Promise<ComplaintRow | undefined> {
  const [row] = await db.select().from(complaints).where(eq(complaints.caseId, caseId));
  return row;
}

/** A step of the procedure with its audit row, in one transaction. */
async function step(
  db: Db,
  caseRow: { id: number; reference: string },
  actor: { id: number; name: string },
  action: string,
  data: Record<string, unknown>,
  change: Partial<typeof complaints.$inferInsert>,
  only?: readonly ComplaintStage[],
): Promise<void> {
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(complaints)
      .set({ ...change, updatedAt: sql`now()` })
      .where(and(eq(complaints.caseId, caseRow.id), only ? inArray(complaints.stage, [...only]) : undefined))
      .returning({ caseId: complaints.caseId });
    if (changed.length === 0) throw new ComplaintRefused('Deze stap past niet bij de stand van de klacht.', 'WRONG_STAGE');
    await tx.insert(audit).values({ actor: actor.name, action, entity: 'case', entityId: caseRow.reference, data: { ...data, actorId: actor.id } });
  });
}

/** The employees the complaint is about; its handler cannot be one of them. */
export async function setInvolved(db: Db, caseRow: { id: number; reference: string }, ids: number[], actor: { id: number; name: string }): Promise<void> {
  const complaint = await complaintOf(db, caseRow.id);
  if (complaint?.handlerId && ids.includes(complaint.handlerId))
    throw new ComplaintRefused('De behandelaar is een van de medewerkers over wie de klacht gaat. Kies eerst een andere behandelaar.', 'HANDLER_INVOLVED');
  await step(db, caseRow, actor, 'complaint.involved', { involved: ids }, { involvedIds: ids });
}

/** A coordinator chooses the handler: never an employee the complaint is about (seed 001). The case is theirs. */
export async function chooseHandler(
  db: Db,
  caseRow: { id: number; reference: string },
  handlerId: number,
  actor: { id: number; name: string },
): Promise<{ changed: boolean }> {
  const complaint = await complaintOf(db, caseRow.id);
  if (!complaint) throw new ComplaintRefused('Deze zaak is geen klacht.', 'NOT_A_COMPLAINT');
  if (complaint.involvedIds.includes(handlerId))
    throw new ComplaintRefused('Deze medewerker is betrokken bij de klacht en kan die niet behandelen. Kies een andere behandelaar.', 'INVOLVED_CANNOT_HANDLE');
  if (complaint.handlerId === handlerId) return { changed: false };
  await db.transaction(async (tx) => {
    await tx
      .update(complaints)
      .set({ handlerId, stage: sql`case when ${complaints.stage} = 'registered' then 'handler' else ${complaints.stage} end`, updatedAt: sql`now()` })
      .where(eq(complaints.caseId, caseRow.id));
    await tx
      .update(cases)
      .set({ assigneeId: handlerId, updatedAt: sql`now()` })
      .where(eq(cases.id, caseRow.id));
    await tx
      .insert(audit)
      .values({ actor: actor.name, action: 'complaint.handler', entity: 'case', entityId: caseRow.reference, data: { to: handlerId, actorId: actor.id } });
  });
  return { changed: true };
}

/** The handler logs the first contact with the complainant (within 2 working days, seeds 001 and 002). */
export const logFirstContact = (db: Db, caseRow: { id: number; reference: string }, how: string, actor: { id: number; name: string }) =>
  step(
    db,
    caseRow,
    actor,
    'complaint.first-contact',
    { how },
    { firstContactAt: sql`now()` as unknown as Date, firstContactHow: how, stage: 'first-contact' },
    ['handler', 'first-contact'],
  );

/** The improvement form of a complaint that is over (closed or escalated): cause, improvement, owner (seed 004). */
export const recordImprovement = (
  db: Db,
  caseRow: { id: number; reference: string },
  improvement: { cause: string; improvement: string; owner: string },
  actor: { id: number; name: string },
) => step(db, caseRow, actor, 'complaint.improvement', {}, { improvement }, ['closed', 'escalated']);

/** Urgent complaints are acted on at once (seed 004): the case gets high priority, so it heads every list sorted by it. */
export async function setUrgent(db: Db, caseRow: { id: number; reference: string }, urgent: boolean, actor: { id: number; name: string }): Promise<void> {
  await step(db, caseRow, actor, urgent ? 'complaint.urgent' : 'complaint.not-urgent', {}, { urgent });
  await db
    .update(cases)
    .set({ priority: urgent ? 'high' : 'normal', updatedAt: sql`now()` })
    .where(eq(cases.id, caseRow.id));
}

/**
 * The handler records the solution; the caller sends it with the satisfaction link. Returns
 * the link's token (only its hash is kept): asked within 5 working days (seed 001).
 */
export async function resolve(
  db: Db,
  caseRow: { id: number; reference: string },
  resolution: string,
  actor: { id: number; name: string },
  { hours, deadlines }: ComplaintTimes,
  now: Date,
): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await step(
    db,
    caseRow,
    actor,
    'complaint.resolved',
    {},
    {
      resolution,
      resolvedAt: now,
      stage: 'resolved',
      satisfactionDue: dueAfter(now, deadlines.satisfactionDays, hours),
      satisfactionTokenHash: hashOf(token),
    },
    ['handler', 'first-contact', 'extra-time'],
  );
  return token;
}

/** The answer to "is uw klacht naar tevredenheid opgelost?" by its link, or why it cannot be taken. */
export type SatisfactionOutcome = { ok: true; satisfied: boolean; reference: string } | { ok: false; reason: 'unknown' | 'expired' };

/**
 * Takes the complainant's answer once: satisfied closes the complaint and its case; not
 * satisfied gives the handler 2 more working days (seed 001), after which it escalates. A link
 * that was never made, was used, or is past its time changes nothing.
 */
export async function answerSatisfaction(
  db: Db,
  token: string,
  satisfied: boolean,
  comment: string,
  { hours, deadlines }: ComplaintTimes,
  now: Date,
): Promise<SatisfactionOutcome> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ caseId: complaints.caseId, due: complaints.satisfactionDue, reference: cases.reference })
      .from(complaints)
      .innerJoin(cases, eq(cases.id, complaints.caseId))
      .where(and(eq(complaints.satisfactionTokenHash, hashOf(token)), eq(complaints.stage, 'resolved'), isNull(complaints.satisfied)))
      .for('update');
    if (!found) return { ok: false, reason: 'unknown' };
    // The link stays good for the 5 working days it asks within, and as long again.
    if (found.due && now.getTime() > found.due.getTime() + 7 * 86_400_000) return { ok: false, reason: 'expired' };
    await tx
      .update(complaints)
      .set({
        satisfied,
        satisfactionComment: comment || null,
        satisfactionAt: now,
        satisfactionTokenHash: null,
        stage: satisfied ? 'closed' : 'extra-time',
        extraDue: satisfied ? null : dueAfter(now, deadlines.extraDays, hours),
        updatedAt: sql`now()`,
      })
      .where(eq(complaints.caseId, found.caseId));
    if (satisfied)
      await tx
        .update(cases)
        .set({ status: 'closed', closedAt: now, waitingSince: null, updatedAt: sql`now()` })
        .where(eq(cases.id, found.caseId));
    await tx.insert(audit).values({
      actor: 'Klager',
      action: satisfied ? 'complaint.satisfied' : 'complaint.not-satisfied',
      entity: 'case',
      entityId: found.reference,
      data: comment ? { comment } : {},
    });
    return { ok: true, satisfied, reference: found.reference };
  });
}

/** Complaints whose extra 2 working days passed without resolution: escalated to the director (seeds 002, 004). */
export async function escalateOverdue(db: Db, now: Date): Promise<{ caseId: number; reference: string }[]> {
  const rows = await runPrepared<{ case_id: string | number; reference: string }>(
    db,
    sql`
    with escalated as (
      update complaints set stage = 'escalated', escalated_at = ${now.toISOString()}::timestamptz, updated_at = now()
       where stage = 'extra-time' and extra_due < ${now.toISOString()}::timestamptz
      returning case_id)
    , audited as (
      insert into audit (actor, action, entity, entity_id, data)
      select 'Loket', 'complaint.escalated', 'case', c.reference, '{}'::jsonb from escalated e join cases c on c.id = e.case_id)
    select e.case_id, c.reference from escalated e join cases c on c.id = e.case_id`,
  );
  return rows.map((row) => ({ caseId: Number(row.case_id), reference: row.reference }));
}

/**
 * The stage deadlines that passed this round: first contact not logged in time, a solution not
 * recorded in time. Each is told once (the notification's source names the deadline).
 */
export async function overdueStages(db: Db, now: Date): Promise<{ caseId: number; reference: string; what: 'first-contact' | 'resolve'; due: Date }[]> {
  const rows = await runPrepared<{ case_id: string | number; reference: string; what: 'first-contact' | 'resolve'; due: string }>(
    db,
    sql`
    select k.case_id, c.reference, 'first-contact' as what, k.first_contact_due as due
      from complaints k join cases c on c.id = k.case_id
     where k.stage in ('registered', 'handler') and k.first_contact_due < ${now.toISOString()}::timestamptz
    union all
    select k.case_id, c.reference, 'resolve', k.resolve_due
      from complaints k join cases c on c.id = k.case_id
     where k.stage in ('registered', 'handler', 'first-contact') and k.resolve_due < ${now.toISOString()}::timestamptz
     limit 500`,
  );
  return rows.map((row) => ({ caseId: Number(row.case_id), reference: row.reference, what: row.what, due: new Date(row.due) }));
}
