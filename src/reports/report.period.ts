import { z } from 'zod';
import { amsterdamDate, type PlainDate } from '../calendar.js';

/** The kinds of period a report covers. */
export const PERIOD_KINDS = ['week', 'maand', 'kwartaal', 'eigen'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** A report's period: Amsterdam calendar days, both included. */
export interface Period {
  kind: PeriodKind;
  from: PlainDate;
  to: PlainDate;
}

/** A custom period may span at most this many days (a little over a year). */
export const MAX_PERIOD_DAYS = 400;

const day = (value: PlainDate) => new Date(`${value}T12:00:00Z`);
const plain = (at: Date): PlainDate => at.toISOString().slice(0, 10);
const addDays = (value: PlainDate, days: number) => {
  const at = day(value);
  at.setUTCDate(at.getUTCDate() + days);
  return plain(at);
};

/** Days from `from` to `to`, both counted. */
export const daysIn = (period: Pick<Period, 'from' | 'to'>) => Math.round((day(period.to).getTime() - day(period.from).getTime()) / 86_400_000) + 1;

/** Monday of the ISO week `value` is in. */
export const mondayOf = (value: PlainDate) => addDays(value, -((day(value).getUTCDay() + 6) % 7));

/** The week (Monday to Sunday), month or quarter around `anchor`. */
export function periodAround(kind: Exclude<PeriodKind, 'eigen'>, anchor: PlainDate): Period {
  const [year, month] = [Number(anchor.slice(0, 4)), Number(anchor.slice(5, 7))];
  if (kind === 'week') {
    const from = mondayOf(anchor);
    return { kind, from, to: addDays(from, 6) };
  }
  const firstMonth = kind === 'maand' ? month : Math.floor((month - 1) / 3) * 3 + 1;
  const months = kind === 'maand' ? 1 : 3;
  const from = `${year}-${String(firstMonth).padStart(2, '0')}-01`;
  const next = new Date(Date.UTC(year, firstMonth - 1 + months, 1, 12));
  return { kind, from, to: addDays(plain(next), -1) };
}

/** "2026-Q4" for the quarter `period` starts in. */
export const quarterName = (from: PlainDate) => `${from.slice(0, 4)}-Q${Math.floor((Number(from.slice(5, 7)) - 1) / 3) + 1}`;

/** The quarter named "2026-Q4". */
export function quarterPeriod(name: string): Period {
  const match = /^(\d{4})-Q([1-4])$/.exec(name);
  if (!match) throw new Error(`not a quarter: ${name}`);
  return periodAround('kwartaal', `${match[1]}-${String((Number(match[2]) - 1) * 3 + 1).padStart(2, '0')}-01`);
}

/** A date field of the form: an empty field (the browser sends every field) is no date. */
const plainDate = z.preprocess((value) => (value === '' ? undefined : value), z.iso.date().optional());

/**
 * A report's query string: the period (`periode`, with `datum` a day in it, or `van`/`tot`
 * for a custom one) and the filters (`kanaal`, `onderwerp`, `team`). Field names and Dutch
 * messages are what the form shows; an error names its field.
 */
export const reportQuery = z
  .object({
    periode: z.enum(PERIOD_KINDS).default('maand'),
    datum: plainDate,
    van: plainDate,
    tot: plainDate,
    kanaal: z.string().trim().max(20).optional(),
    onderwerp: z.string().trim().max(100).optional(),
    team: z.string().trim().max(100).optional(),
  })
  .superRefine((query, context) => {
    if (query.periode !== 'eigen') return;
    if (!query.van) context.addIssue({ code: 'custom', path: ['van'], message: 'Vul de eerste dag van de periode in.' });
    if (!query.tot) context.addIssue({ code: 'custom', path: ['tot'], message: 'Vul de laatste dag van de periode in.' });
    if (query.van && query.tot && query.van > query.tot) context.addIssue({ code: 'custom', path: ['tot'], message: 'De laatste dag ligt voor de eerste.' });
    else if (query.van && query.tot && daysIn({ from: query.van, to: query.tot }) > MAX_PERIOD_DAYS)
      context.addIssue({ code: 'custom', path: ['tot'], message: `Een periode is hoogstens ${MAX_PERIOD_DAYS} dagen.` });
  });
export type ReportQuery = z.infer<typeof reportQuery>;

/** Which cases a report counts: all, or those of one channel, topic or team (empty means all). */
export interface ReportFilter {
  channel?: string | undefined;
  topic?: string | undefined;
  team?: string | undefined;
}

/** The period and filters a valid query asks for; `now` gives the default anchor (today). */
export function reportScope(query: ReportQuery, now: Date): { period: Period; filter: ReportFilter } {
  const period: Period =
    query.periode === 'eigen' ? { kind: 'eigen', from: query.van!, to: query.tot! } : periodAround(query.periode, query.datum ?? amsterdamDate(now));
  const nonEmpty = (value: string | undefined) => (value ? value : undefined);
  return { period, filter: { channel: nonEmpty(query.kanaal), topic: nonEmpty(query.onderwerp), team: nonEmpty(query.team) } };
}

/** The days of a period, or the Mondays of its weeks when it is long (over two months): the chart's buckets. */
export function buckets(period: Period): { unit: 'day' | 'week'; starts: PlainDate[] } {
  const unit = daysIn(period) > 62 ? 'week' : 'day';
  const starts: PlainDate[] = [];
  for (let at = unit === 'week' ? mondayOf(period.from) : period.from; at <= period.to; at = addDays(at, unit === 'week' ? 7 : 1)) starts.push(at);
  return { unit, starts };
}
