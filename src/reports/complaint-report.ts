import { sql } from 'drizzle-orm';
import { runPrepared, type Db } from '../db/database.js';
import { COMPLAINT_STAGES, type ComplaintStage } from '../db/schema.js';
import type { Period } from './report.period.js';

/** A deadline of the procedure: met, missed (late, or past due and not done), or still running. */
export interface DeadlineFigure {
  met: number;
  missed: number;
  running: number;
}

/** The quarterly complaint report's figures (seeds 001 and 002): the complaints registered in the quarter. */
export interface ComplaintReport {
  period: Period;
  total: number;
  urgent: number;
  byTopic: { topic: string; count: number }[];
  byTeam: { team: string; count: number }[];
  byStage: Record<ComplaintStage, number>;
  firstContact: DeadlineFigure;
  resolution: DeadlineFigure;
  escalated: number;
  satisfaction: { satisfied: number; notSatisfied: number; noAnswer: number; notAsked: number };
  improvements: { cause: string; improvement: string; owner: string }[];
  compliments: number;
}

/**
 * The complaints registered (Amsterdam days) in `period`, counted by PostgreSQL: per topic,
 * team and stage; the first contact (2 working days) and the resolution (2 weeks) met or
 * missed by `now`; escalations; the complainants' verdicts; the improvement forms. Erased
 * complaints keep their stages and dates, so they are counted; their texts are gone.
 */
export async function complaintReport(db: Db, period: Period, now: Date): Promise<ComplaintReport> {
  const at = now.toISOString();
  const inQuarter = sql`(k."created_at" at time zone 'Europe/Amsterdam')::date between ${period.from}::date and ${period.to}::date`;
  const [summary, topics, teams, stages, improvements, compliments] = await Promise.all([
    runPrepared<Record<string, number>>(
      db,
      sql`select count(*)::int as total,
                 count(*) filter (where k."urgent")::int as urgent,
                 count(*) filter (where k."first_contact_at" <= k."first_contact_due")::int as first_met,
                 count(*) filter (where k."first_contact_at" > k."first_contact_due" or (k."first_contact_at" is null and k."first_contact_due" < ${at}::timestamptz))::int as first_missed,
                 count(*) filter (where k."first_contact_at" is null and k."first_contact_due" >= ${at}::timestamptz)::int as first_running,
                 count(*) filter (where k."resolved_at" <= k."resolve_due")::int as resolve_met,
                 count(*) filter (where k."resolved_at" > k."resolve_due" or (k."resolved_at" is null and k."resolve_due" < ${at}::timestamptz))::int as resolve_missed,
                 count(*) filter (where k."resolved_at" is null and k."resolve_due" >= ${at}::timestamptz)::int as resolve_running,
                 count(*) filter (where k."escalated_at" is not null)::int as escalated,
                 count(*) filter (where k."satisfied")::int as satisfied,
                 count(*) filter (where k."satisfied" = false)::int as not_satisfied,
                 count(*) filter (where k."satisfied" is null and k."satisfaction_due" is not null)::int as no_answer,
                 count(*) filter (where k."satisfied" is null and k."satisfaction_due" is null)::int as not_asked
            from "complaints" k where ${inQuarter}`,
    ),
    runPrepared<{ topic: string; count: number }>(
      db,
      sql`select c."topic", count(*)::int as count from "complaints" k join "cases" c on c."id" = k."case_id" where ${inQuarter} group by 1 order by 2 desc, 1`,
    ),
    runPrepared<{ team: string; count: number }>(
      db,
      sql`select coalesce(c."team", '') as team, count(*)::int as count from "complaints" k join "cases" c on c."id" = k."case_id" where ${inQuarter} group by 1 order by 2 desc, 1`,
    ),
    runPrepared<{ stage: ComplaintStage; count: number }>(db, sql`select k."stage", count(*)::int as count from "complaints" k where ${inQuarter} group by 1`),
    runPrepared<{ improvement: { cause: string; improvement: string; owner: string } }>(
      db,
      sql`select k."improvement" from "complaints" k where ${inQuarter} and k."improvement" is not null order by k."created_at"`,
    ),
    runPrepared<{ count: number }>(db, sql`select count(*)::int as count from "compliments" k where ${inQuarter}`),
  ]);
  const s = summary[0] ?? {};
  const n = (key: string) => Number(s[key] ?? 0);
  const byStage = Object.fromEntries(COMPLAINT_STAGES.map((stage) => [stage, stages.find((row) => row.stage === stage)?.count ?? 0])) as Record<
    ComplaintStage,
    number
  >;
  return {
    period,
    total: n('total'),
    urgent: n('urgent'),
    byTopic: topics,
    byTeam: teams,
    byStage,
    firstContact: { met: n('first_met'), missed: n('first_missed'), running: n('first_running') },
    resolution: { met: n('resolve_met'), missed: n('resolve_missed'), running: n('resolve_running') },
    escalated: n('escalated'),
    satisfaction: { satisfied: n('satisfied'), notSatisfied: n('not_satisfied'), noAnswer: n('no_answer'), notAsked: n('not_asked') },
    improvements: improvements.map((row) => row.improvement),
    compliments: Number(compliments[0]?.count ?? 0),
  };
}
