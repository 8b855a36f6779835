import { describe, expect, it } from 'vitest';
import { addWorkingDays, amsterdamDate, formatLongDate, governmentDaysOff, isWorkingDay } from './calendar.js';

/** Noon in Amsterdam on a calendar day, as an instant. */
const at = (day: string, time = '12:00:00+01:00') => new Date(`${day}T${time}`);

describe('government days off', () => {
  it('keeps Good Friday a working day and Easter Monday a day off (2026)', () => {
    expect(isWorkingDay('2026-04-03')).toBe(true);
    expect(isWorkingDay('2026-04-06')).toBe(false);
  });

  it("moves King's Day to Saturday 26 April when the 27th is a Sunday (2025), so no weekday is lost", () => {
    expect(governmentDaysOff(2025).has('2025-04-26')).toBe(true);
    expect(governmentDaysOff(2025).has('2025-04-27')).toBe(false);
    expect(isWorkingDay('2025-04-25')).toBe(true);
    expect(isWorkingDay('2025-04-28')).toBe(true);
  });

  it('marks Liberation Day a day off every year, not only in lustrum years', () => {
    for (const year of [2025, 2026, 2027, 2029]) expect(governmentDaysOff(year).has(`${year}-05-05`)).toBe(true);
    expect(isWorkingDay('2026-05-05')).toBe(false);
  });

  it("closes on Christmas, Boxing Day and New Year's Day, Ascension and Whit Monday", () => {
    for (const day of ['2026-12-25', '2026-01-01', '2026-05-14', '2026-05-25']) expect(isWorkingDay(day)).toBe(false);
    expect(governmentDaysOff(2026).has('2026-12-26')).toBe(true);
    expect(isWorkingDay('2026-12-24')).toBe(true);
  });

  it('honours extra closed days an admin adds', () => {
    expect(isWorkingDay('2026-12-24', new Set(['2026-12-24']))).toBe(false);
  });
});

describe('addWorkingDays', () => {
  it('counts five weekdays in an ordinary week', () => {
    expect(addWorkingDays(at('2026-11-23'), 5)).toBe('2026-11-30');
  });

  it('starts counting on Monday for a message received at the weekend', () => {
    expect(addWorkingDays(at('2026-11-21'), 5)).toBe('2026-11-27');
  });

  it('skips Easter Monday but not Good Friday', () => {
    // Wed 1 Apr 2026: Thu 2, Fri 3 (Good Friday, working), Tue 7, Wed 8, Thu 9.
    expect(addWorkingDays(at('2026-04-01'), 5)).toBe('2026-04-09');
  });

  it("skips King's Day and Liberation Day", () => {
    // Thu 23 Apr 2026: Fri 24, Tue 28 (27 is King's Day), Wed 29, Thu 30, Fri 1 May.
    expect(addWorkingDays(at('2026-04-23'), 5)).toBe('2026-05-01');
    // Fri 1 May 2026: Mon 4, Wed 6 (5 May off), Thu 7, Fri 8, Mon 11.
    expect(addWorkingDays(at('2026-05-01'), 5)).toBe('2026-05-11');
  });

  it("does not lose a weekday to King's Day on a Saturday (2025)", () => {
    // Wed 23 Apr 2025: Thu 24, Fri 25, Mon 28, Tue 29, Wed 30.
    expect(addWorkingDays(at('2025-04-23'), 5)).toBe('2025-04-30');
  });

  it('skips Christmas, Boxing Day and New Year across the turn of the year', () => {
    // Wed 23 Dec 2026: Thu 24, Mon 28, Tue 29, Wed 30, Thu 31.
    expect(addWorkingDays(at('2026-12-23'), 5)).toBe('2026-12-31');
    // Thu 24 Dec 2026: Mon 28, Tue 29, Wed 30, Thu 31, Mon 4 Jan 2027 (Fri 1 Jan off).
    expect(addWorkingDays(at('2026-12-24'), 5)).toBe('2027-01-04');
  });

  it('uses the Amsterdam date, not the UTC date, of a late-evening message', () => {
    const lateMonday = new Date('2026-11-23T23:30:00Z'); // Tuesday 00:30 in Amsterdam
    expect(amsterdamDate(lateMonday)).toBe('2026-11-24');
    expect(addWorkingDays(lateMonday, 1)).toBe('2026-11-25');
  });
});

describe('formatLongDate', () => {
  it('writes the date in Dutch and English', () => {
    expect(formatLongDate('2026-12-01', 'nl')).toBe('dinsdag 1 december 2026');
    expect(formatLongDate('2026-12-01', 'en')).toBe('Tuesday, 1 December 2026');
  });
});
