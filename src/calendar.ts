import Holidays from 'date-holidays';

/** A calendar date without a time, `YYYY-MM-DD`. */
export type PlainDate = string;

export const TIME_ZONE = 'Europe/Amsterdam';

const dutch = new Holidays('NL');
const daysOffByYear = new Map<number, Set<PlainDate>>();

/**
 * The days off of Dutch central government in a year: the public holidays of
 * date-holidays plus Liberation Day (5 May), which it lists as a school day only.
 * Good Friday stays a working day.
 */
export function governmentDaysOff(year: number): Set<PlainDate> {
  let days = daysOffByYear.get(year);
  if (!days) {
    days = new Set(
      dutch
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    days.add(`${year}-05-05`);
    daysOffByYear.set(year, days);
  }
  return days;
}

const dateInZone = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Amsterdam calendar date of an instant. */
export function amsterdamDate(instant: Date): PlainDate {
  return dateInZone.format(instant);
}

function toUtcNoon(day: PlainDate): Date {
  return new Date(`${day}T12:00:00Z`);
}

function nextDay(day: PlainDate): PlainDate {
  const d = toUtcNoon(day);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Monday–Friday and not a day off (government days off plus any extra closed days). */
export function isWorkingDay(day: PlainDate, extraClosedDays: ReadonlySet<PlainDate> = new Set()): boolean {
  const weekday = toUtcNoon(day).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  if (extraClosedDays.has(day)) return false;
  return !governmentDaysOff(Number(day.slice(0, 4))).has(day);
}

/**
 * The date `count` working days after the Amsterdam date of `from`; the day of
 * receipt itself never counts, so a message on Friday with count 1 is due Monday.
 */
export function addWorkingDays(from: Date, count: number, extraClosedDays: ReadonlySet<PlainDate> = new Set()): PlainDate {
  let day = amsterdamDate(from);
  let left = count;
  while (left > 0) {
    day = nextDay(day);
    if (isWorkingDay(day, extraClosedDays)) left -= 1;
  }
  return day;
}

// Built once: constructing an Intl.DateTimeFormat costs far more than formatting with one,
// and every acknowledgement formats a date (bench:pipeline showed it per message).
const longDate = {
  nl: new Intl.DateTimeFormat('nl-NL', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
} as const;

/** "dinsdag 1 december 2026" (nl) or "Tuesday, 1 December 2026" (en). */
export function formatLongDate(day: PlainDate, locale: 'nl' | 'en'): string {
  return (locale === 'nl' ? longDate.nl : longDate.en).format(toUtcNoon(day));
}
