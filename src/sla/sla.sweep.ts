import { and, eq, isNull, sql } from 'drizzle-orm';
import { amsterdamDate } from '../calendar.js';
import { runPrepared, type Db } from '../db/database.js';
import { casePauses, cases } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { MailTransport } from '../mail.js';
import type { OfficeHours } from '../office-hours.js';
import type { SlaSetting } from '../policy/sla.setting.js';
import type { Notifier, Said } from '../workspace/notifications.js';
import type { UiLocale } from '../workspace/language.js';
import { addWorkingMinutes, workingMinutesBetween } from './working-time.js';
import { ANSWER_KIND } from '../channel.js';
import { timeLeftText } from './sla.view.js';
import { escalateOverdue, overdueStages, startComplaints, unacknowledged } from '../complaints/complaint.store.js';
import { stagesDueBy } from '../complaints/complaint.deadlines.js';
import { slaTargetFor } from '../policy/sla.setting.js';
import { acknowledgeComplaint, tellProgress, type ComplaintLetterDeps } from '../complaints/complaint.letters.js';
import { DEFAULT_COMPLAINT_DEADLINES, type ComplaintDeadlines } from '../policy/complaint.setting.js';

export interface SlaSweepDeps {
  db: Db;
  notifier: Pick<Notifier, 'sla'>;
  /** Loket's own mail (SMTP_URL, or .eml files): the warnings to the people told. */
  mail: MailTransport;
  mailFrom: string;
  mailDomain: string;
  /** The settings as they stand: office hours, the promises and the complaint procedure's deadlines. */
  hours: () => Promise<OfficeHours>;
  sla: () => Promise<SlaSetting>;
  complaintDeadlines?: () => Promise<ComplaintDeadlines>;
  /** How the procedure writes to complainants (acknowledgement, escalation); without it, it does not. */
  letters?: ComplaintLetterDeps;
  /** Tells the workspace's open pages that a case changed (its badge). */
  changed: (caseId: number, reference: string) => void;
  clock?: () => Date;
  log: Logger;
}

/** Cases looked at per round at most (warnings and breaches); the rest the next round. */
const BATCH = 500;

/**
 * One round of the SLA clock (every minute, in worker processes):
 * 1. a pause that ended (the citizen wrote again, or the case closed) is measured in working
 *    time and moves the case's answer deadline on by it — recorded, not guessed: it ends at
 *    the citizen's message;
 * 2. an open case not waiting for the citizen whose answer is due within `warnHours` working
 *    hours is warned of, once; one whose answer is overdue is a breach, once. Both go to its
 *    assignee and the coordinators, in the workspace (live) and by mail.
 */
export async function sweepSla(deps: SlaSweepDeps): Promise<Record<string, number>> {
  const now = deps.clock?.() ?? new Date();
  const [hours, setting] = await Promise.all([deps.hours(), deps.sla()]);
  const paused = await endPauses(deps, hours, now);
  const warned = await tell(deps, 'sla-warning', hours, setting, now);
  const breached = await tell(deps, 'sla-breach', hours, setting, now);
  const firstWarned = await warnFirstResponse(deps, hours, setting, now);
  const firstLate = await tellFirstResponseLate(deps, now);
  // The complaint procedure's clock: new complaints registered, unresolved ones past their extra days escalated.
  const complaintsStarted = await startComplaints(deps.db, { hours, deadlines: (await deps.complaintDeadlines?.()) ?? DEFAULT_COMPLAINT_DEADLINES });
  let complaintsAcknowledged = 0;
  for (const { caseId, reference } of deps.letters ? await unacknowledged(deps.db) : []) {
    const outcome = await acknowledgeComplaint(deps.letters!, caseId);
    if (outcome !== 'written') continue;
    complaintsAcknowledged += 1;
    deps.changed(caseId, reference);
  }
  const escalated = await escalateOverdue(deps.db, now);
  for (const { caseId, reference } of escalated) {
    await deps.notifier.sla(
      caseId,
      'complaint',
      {
        nl: `Klacht ${reference} is geëscaleerd naar de directeur: de klager was niet tevreden en de extra termijn is voorbij.`,
        en: `Complaint ${reference} was escalated to the director: the complainant was not satisfied and the extra time has passed.`,
      },
      `complaint:escalated:${caseId}`,
    );
    deps.changed(caseId, reference);
    // And the complainant hears where their complaint went (seed 004: kept informed).
    if (deps.letters) await tellProgress(deps.letters, caseId, { kind: 'escalated' });
  }
  // A stage of the procedure nearly due: warned once, like a case's answer (warnHours ahead, in working time).
  let stagesWarned = 0;
  for (const soon of await stagesDueBy(deps.db, new Date(now.getTime() + calendarDaysFor(setting.warnHours, hours) * 86_400_000), now)) {
    if (workingMinutesBetween(now, soon.due, hours) > setting.warnHours * 60) continue;
    const left = timeLeftText(now, soon.due, hours);
    const text: Said =
      soon.what === 'first-contact'
        ? {
            nl: `Klacht ${soon.reference}: het eerste contact met de klager moet ${left.nl} zijn (uiterlijk ${formatInstant(soon.due, 'nl')}).`,
            en: `Complaint ${soon.reference}: the first contact with the complainant is due ${left.en} (by ${formatInstant(soon.due, 'en')}).`,
          }
        : {
            nl: `Klacht ${soon.reference}: de oplossing moet ${left.nl} klaar zijn (uiterlijk ${formatInstant(soon.due, 'nl')}).`,
            en: `Complaint ${soon.reference}: the solution is due ${left.en} (by ${formatInstant(soon.due, 'en')}).`,
          };
    const told = await deps.notifier.sla(soon.caseId, 'complaint', text, `complaint:warn:${soon.what}:${soon.due.toISOString()}`);
    if (told.length > 0) {
      stagesWarned += 1;
      deps.changed(soon.caseId, soon.reference);
    }
  }
  // A stage of the procedure past its deadline: the handler (or, without one, the coordinators) told once.
  let stagesOverdue = 0;
  for (const late of await overdueStages(deps.db, now)) {
    const text: Said =
      late.what === 'first-contact'
        ? {
            nl: `Klacht ${late.reference}: het eerste contact met de klager had uiterlijk ${formatInstant(late.due, 'nl')} moeten zijn.`,
            en: `Complaint ${late.reference}: the first contact with the complainant was due by ${formatInstant(late.due, 'en')}.`,
          }
        : {
            nl: `Klacht ${late.reference}: de oplossing had uiterlijk ${formatInstant(late.due, 'nl')} klaar moeten zijn.`,
            en: `Complaint ${late.reference}: the solution was due by ${formatInstant(late.due, 'en')}.`,
          };
    const told = await deps.notifier.sla(late.caseId, 'complaint', text, `complaint:${late.what}:${late.due.toISOString()}`);
    if (told.length > 0) {
      stagesOverdue += 1;
      deps.changed(late.caseId, late.reference);
    }
  }
  return {
    slaPausesEnded: paused,
    slaWarnings: warned,
    slaBreaches: breached,
    slaFirstResponseWarnings: firstWarned,
    slaFirstResponsesLate: firstLate,
    complaintsStarted,
    complaintsAcknowledged,
    complaintsEscalated: escalated.length,
    stagesWarned,
    stagesOverdue,
  };
}

async function endPauses(deps: SlaSweepDeps, hours: OfficeHours, now: Date): Promise<number> {
  const ended = await runPrepared<{ id: string | number; case_id: string | number; started_at: string; ended_at: string }>(
    deps.db,
    sql`
    select p.id, p.case_id, p.started_at,
           coalesce((select min(m.received_at) from messages m where m.case_id = p.case_id and m.received_at > p.started_at),
                    c.closed_at, ${now.toISOString()}::timestamptz) as ended_at
      from case_pauses p join cases c on c.id = p.case_id
     where p.working_minutes is null and (c.waiting_since is null or c.status = 'closed')
     order by p.id limit ${BATCH}`,
  );
  for (const pause of ended) {
    const startedAt = new Date(pause.started_at);
    const endedAt = new Date(pause.ended_at);
    const minutes = workingMinutesBetween(startedAt, endedAt, hours);
    await deps.db.transaction(async (tx) => {
      const [applied] = await tx
        .update(casePauses)
        .set({ endedAt, workingMinutes: minutes })
        .where(and(eq(casePauses.id, Number(pause.id)), isNull(casePauses.workingMinutes)))
        .returning({ id: casePauses.id });
      if (!applied || minutes === 0) return;
      const [row] = await tx
        .select({ answerDue: cases.answerDue, reference: cases.reference })
        .from(cases)
        .where(eq(cases.id, Number(pause.case_id)));
      if (!row?.answerDue) return;
      const due = addWorkingMinutes(row.answerDue, minutes, hours);
      // The promise moves with the clock: its date too, so "due today" and "overdue" follow.
      await tx
        .update(cases)
        .set({ answerDue: due, answerBy: amsterdamDate(due), slaWarnedAt: null, updatedAt: sql`now()` })
        .where(eq(cases.id, Number(pause.case_id)));
      deps.changed(Number(pause.case_id), row.reference);
    });
  }
  return ended.length;
}

/** Days of the calendar that `warnHours` working hours can span at most (weekends, a holiday week). */
const calendarDaysFor = (warnHours: number, hours: OfficeHours) => Math.ceil(warnHours / Math.max(1, (hours.closesAt - hours.opensAt) / 60)) * 2 + 5;

async function tell(deps: SlaSweepDeps, kind: 'sla-warning' | 'sla-breach', hours: OfficeHours, setting: SlaSetting, now: Date): Promise<number> {
  const marker = kind === 'sla-warning' ? sql`sla_warned_at` : sql`sla_breached_at`;
  // A first cut in calendar time (through the index of open cases by deadline), then the exact one in working time.
  const horizon = kind === 'sla-breach' ? now : new Date(now.getTime() + calendarDaysFor(setting.warnHours, hours) * 86_400_000);
  const candidates = await runPrepared<{ id: string | number; reference: string; answer_due: string; subject: string }>(
    deps.db,
    sql`
    select id, reference, answer_due, subject from cases
     where status = 'open' and sla_breached_at is null and answer_due <= ${horizon.toISOString()}::timestamptz
       and waiting_since is null and ${marker} is null
     order by answer_due limit ${BATCH}`,
  );
  let told = 0;
  for (const candidate of candidates) {
    const due = new Date(candidate.answer_due);
    // In deadline order: the first one outside the warning time ends the round.
    if (kind === 'sla-warning' && workingMinutesBetween(now, due, hours) > setting.warnHours * 60) break;
    const id = Number(candidate.id);
    // Marked first, by whoever gets there: two sweeps at once tell it once.
    const [marked] = await runPrepared<{ id: string | number }>(
      deps.db,
      sql`update cases set ${marker} = now() where id = ${id} and ${marker} is null and status = 'open' returning id`,
    );
    if (!marked) continue;
    told += 1;
    const left = timeLeftText(now, due, hours);
    const text: Said =
      kind === 'sla-warning'
        ? {
            nl: `Zaak ${candidate.reference} moet ${left.nl} beantwoord zijn (uiterlijk ${formatInstant(due, 'nl')}).`,
            en: `Case ${candidate.reference} must be answered ${left.en} (by ${formatInstant(due, 'en')}).`,
          }
        : {
            nl: `Zaak ${candidate.reference} is over de termijn: het antwoord was uiterlijk ${formatInstant(due, 'nl')} beloofd.`,
            en: `Case ${candidate.reference} is past its deadline: the answer was promised by ${formatInstant(due, 'en')}.`,
          };
    await tellPeople(deps, { id, reference: candidate.reference, subject: candidate.subject }, kind, text, `sla:${kind}:${candidate.answer_due}`, due, now);
  }
  return told;
}

/** The mail that goes with a workspace notification, in its person's language. */
const MAIL = {
  nl: {
    subjects: {
      'sla-warning': 'Termijn loopt af',
      'sla-breach': 'Termijn verstreken',
      'sla-first-warning': 'Eerste reactie bijna te laat',
      'sla-first': 'Nog geen eerste reactie',
    },
    subject: (what: string, reference: string) => `${what}: zaak ${reference}`,
    body: (text: string, subject: string, reference: string) =>
      `${text}\n\nOnderwerp: ${subject || '(geen onderwerp)'}\nDe zaak staat in de werkplek onder ${reference}.\n`,
  },
  en: {
    subjects: {
      'sla-warning': 'Deadline approaching',
      'sla-breach': 'Deadline passed',
      'sla-first-warning': 'First reply nearly late',
      'sla-first': 'No first reply yet',
    },
    subject: (what: string, reference: string) => `${what}: case ${reference}`,
    body: (text: string, subject: string, reference: string) =>
      `${text}\n\nSubject: ${subject || '(no subject)'}\nThe case is in the workspace under ${reference}.\n`,
  },
} as const;

/** Tells the case's assignee and the coordinators, in the workspace (once per `source`) and by mail; false when all were told before. */
async function tellPeople(
  deps: SlaSweepDeps,
  found: { id: number; reference: string; subject: string },
  kind: keyof typeof MAIL.nl.subjects,
  text: Said,
  source: string,
  due: Date,
  now: Date,
): Promise<boolean> {
  const people = await deps.notifier.sla(found.id, kind === 'sla-first-warning' ? 'sla-warning' : kind, text, source);
  if (people.length === 0) return false;
  deps.changed(found.id, found.reference);
  for (const person of people) {
    const words = MAIL[person.locale];
    await deps.mail
      .send({
        from: deps.mailFrom,
        to: { name: person.name, address: person.email },
        subject: words.subject(words.subjects[kind], found.reference),
        text: words.body(text[person.locale], found.subject, found.reference),
        messageId: `<loket.sla.${kind}.${found.id}.${due.getTime()}.${encodeURIComponent(person.email)}@${deps.mailDomain}>`,
        date: now,
        automatic: true,
      })
      .catch((err: unknown) => deps.log.warn({ err, caseRef: found.reference, kind }, 'sla mail not sent; the workspace shows it'));
  }
  return true;
}

/** Cases whose first reply must come from an agent: not chats or calls (answered as they happen), not waiting, not answered yet. */
const NEEDS_FIRST_REPLY = sql`status = 'open' and waiting_since is null and channel not in ('chat', 'phone')
  and not exists (select 1 from outbox o where o.case_id = cases.id and o.kind in (${ANSWER_KIND}, 'chat-answer'))`;

/**
 * The first reply is nearly due and no agent answered yet: warned once, when a quarter of its
 * working time is left (a working day's reply is warned of 3.5 office hours ahead). Once per
 * deadline: the notification's source names it, and only those told now get a mail.
 */
async function warnFirstResponse(deps: SlaSweepDeps, hours: OfficeHours, setting: SlaSetting, now: Date): Promise<number> {
  const longest = Math.max(...setting.targets.map((target) => target.firstResponseHours));
  const horizon = new Date(now.getTime() + calendarDaysFor(longest / 4, hours) * 86_400_000);
  const soon = await runPrepared<{
    id: string | number;
    reference: string;
    first_response_due: string;
    subject: string;
    channel: string;
    topic: string;
    priority: string;
  }>(
    deps.db,
    sql`
    select id, reference, first_response_due, subject, channel, topic, priority from cases
     where sla_first_breached_at is null and first_response_due > ${now.toISOString()}::timestamptz
       and first_response_due <= ${horizon.toISOString()}::timestamptz and ${NEEDS_FIRST_REPLY}
     order by first_response_due limit ${BATCH}`,
  );
  let warned = 0;
  for (const row of soon) {
    const due = new Date(row.first_response_due);
    const target = slaTargetFor(setting, row);
    if (workingMinutesBetween(now, due, hours) > (target.firstResponseHours * 60) / 4) continue;
    const left = timeLeftText(now, due, hours);
    const text: Said = {
      nl: `Zaak ${row.reference} heeft nog geen eerste reactie; die moet ${left.nl} komen (uiterlijk ${formatInstant(due, 'nl')}).`,
      en: `Case ${row.reference} has no first reply yet; it is due ${left.en} (by ${formatInstant(due, 'en')}).`,
    };
    if (
      await tellPeople(
        deps,
        { id: Number(row.id), reference: row.reference, subject: row.subject },
        'sla-first-warning',
        text,
        `sla:first-warning:${row.first_response_due}`,
        due,
        now,
      )
    )
      warned += 1;
  }
  return warned;
}

/**
 * The first reply's deadline passed with no answer from an agent (an acknowledgement is no
 * reply): told once, as a breach. Chats and calls are answered while they happen; a case that
 * waits for the citizen was replied to.
 */
async function tellFirstResponseLate(deps: SlaSweepDeps, now: Date): Promise<number> {
  const late = await runPrepared<{ id: string | number; reference: string; first_response_due: string; subject: string }>(
    deps.db,
    sql`
    update cases c set sla_first_breached_at = now()
     where c.id in (
       select id from cases
        where sla_first_breached_at is null and first_response_due < ${now.toISOString()}::timestamptz and ${NEEDS_FIRST_REPLY}
        order by first_response_due limit ${BATCH})
       and c.sla_first_breached_at is null
    returning c.id, c.reference, c.first_response_due, c.subject`,
  );
  for (const row of late) {
    const due = new Date(row.first_response_due);
    const text: Said = {
      nl: `Zaak ${row.reference} heeft nog geen eerste reactie: die was uiterlijk ${formatInstant(due, 'nl')} beloofd.`,
      en: `Case ${row.reference} has no first reply yet: it was promised by ${formatInstant(due, 'en')}.`,
    };
    await tellPeople(
      deps,
      { id: Number(row.id), reference: row.reference, subject: row.subject },
      'sla-first',
      text,
      `sla:first:${row.first_response_due}`,
      due,
      now,
    );
  }
  return late.length;
}

const instantFormat = (locale: string) =>
  new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' });
const INSTANT = { nl: instantFormat('nl-NL'), en: instantFormat('en-GB') } as const;
const formatInstant = (at: Date, lang: UiLocale) => INSTANT[lang].format(at);
