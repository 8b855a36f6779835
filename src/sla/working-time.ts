import { addWorkingDays, amsterdamDate, isWorkingDay, TIME_ZONE, type PlainDate } from '../calendar.js';
import type { OfficeHours } from '../office-hours.js';

/**
 * Working time: the minutes the contact center is open (office hours on working days, Dutch
 * central-government days off and the admin's extra closed days excluded), in Amsterdam time.
 * What the SLA clock counts.
 */

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' });

/** The UTC offset of Amsterdam at an instant, in minutes (60 in winter, 120 in summer). */
function offsetMinutes(at: Date): number {
  const name = offsetFormat.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT+00:00';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/** The instant of a local Amsterdam time on a date (minutes after midnight). */
export function amsterdamInstant(day: PlainDate, minutesAfterMidnight: number): Date {
  const asUtc = Date.parse(`${day}T00:00:00Z`) + minutesAfterMidnight * 60_000;
  // The offset at the guessed instant, then again at the corrected one (right across a DST change).
  const first = asUtc - offsetMinutes(new Date(asUtc)) * 60_000;
  return new Date(asUtc - offsetMinutes(new Date(first)) * 60_000);
}

function dayAfter(day: PlainDate): PlainDate {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The open interval of a day, or undefined when the contact center is closed that day. */
function openOn(day: PlainDate, hours: OfficeHours): { from: number; to: number } | undefined {
  if (!isWorkingDay(day, hours.extraClosedDays) || hours.closesAt <= hours.opensAt) return undefined;
  return { from: amsterdamInstant(day, hours.opensAt).getTime(), to: amsterdamInstant(day, hours.closesAt).getTime() };
}

/** Days looked at before giving up (no open day for a year: settings that close everything). */
const MAX_DAYS = 400;

/** The instant `minutes` of working time after `from`; counted from the next opening when closed at `from`. */
export function addWorkingMinutes(from: Date, minutes: number, hours: OfficeHours): Date {
  let left = Math.max(0, minutes) * 60_000;
  let day = amsterdamDate(from);
  let cursor = from.getTime();
  for (let i = 0; i < MAX_DAYS; i++, day = dayAfter(day)) {
    const open = openOn(day, hours);
    if (!open || cursor >= open.to) continue;
    const start = Math.max(cursor, open.from);
    if (start + left <= open.to) return new Date(start + left);
    left -= open.to - start;
    cursor = open.to;
  }
  throw new Error('no working time within a year: check the office hours');
}

/** Working minutes between two instants (0 when `to` is not after `from`). */
export function workingMinutesBetween(from: Date, to: Date, hours: OfficeHours): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = 0;
  let day = amsterdamDate(from);
  const last = amsterdamDate(to);
  for (let i = 0; i < MAX_DAYS * 20; i++, day = dayAfter(day)) {
    const open = openOn(day, hours);
    if (open) total += Math.max(0, Math.min(open.to, to.getTime()) - Math.max(open.from, from.getTime()));
    if (day === last) break;
  }
  return Math.round(total / 60_000);
}

/** Working minutes in one open day, for "working days left" (14 hours at 08:00–22:00). */
export const minutesPerWorkingDay = (hours: OfficeHours) => Math.max(1, hours.closesAt - hours.opensAt);

/**
 * A case's promise counted from `from` (its receipt, or its reopening): the answer at closing
 * time on the target's working day, and the first reply after the target's working hours.
 */
export function deadlinesFrom(
  from: Date,
  target: { answerDays: number; firstResponseHours: number },
  hours: OfficeHours,
): { answerBy: PlainDate; answerDue: Date; firstResponseDue: Date } {
  const answerBy = addWorkingDays(from, target.answerDays, hours.extraClosedDays);
  return {
    answerBy,
    answerDue: amsterdamInstant(answerBy, hours.closesAt),
    firstResponseDue: addWorkingMinutes(from, Math.round(target.firstResponseHours * 60), hours),
  };
}
