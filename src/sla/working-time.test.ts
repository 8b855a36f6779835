import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_HOURS } from '../office-hours.js';
import { addWorkingMinutes, amsterdamInstant, workingMinutesBetween } from './working-time.js';

const hours = DEFAULT_OFFICE_HOURS;
const at = (iso: string) => new Date(iso);

describe('working time', () => {
  it('knows Amsterdam time in winter and in summer', () => {
    expect(amsterdamInstant('2026-03-27', 8 * 60).toISOString()).toBe('2026-03-27T07:00:00.000Z');
    expect(amsterdamInstant('2026-03-30', 8 * 60).toISOString()).toBe('2026-03-30T06:00:00.000Z');
  });

  it('counts only office hours on working days: Friday evening to Monday morning is two hours', () => {
    // Friday 4 December 2026, 21:00 in Amsterdam.
    const friday = at('2026-12-04T20:00:00Z');
    expect(addWorkingMinutes(friday, 120, hours).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(workingMinutesBetween(friday, at('2026-12-07T08:00:00Z'), hours)).toBe(120);
  });

  it('skips Christmas and the weekend after it', () => {
    // Thursday 24 December 2026, 21:00; 25 December is a day off, then a weekend.
    expect(addWorkingMinutes(at('2026-12-24T20:00:00Z'), 120, hours).toISOString()).toBe('2026-12-28T08:00:00.000Z');
  });

  it('starts counting at the next opening when the message came in at night', () => {
    expect(addWorkingMinutes(at('2026-12-08T03:00:00Z'), 30, hours).toISOString()).toBe('2026-12-08T07:30:00.000Z');
    expect(workingMinutesBetween(at('2026-12-08T03:00:00Z'), at('2026-12-08T07:30:00Z'), hours)).toBe(30);
  });

  it('measures a pause of a whole working day as one working day, and an extra closed day as none', () => {
    expect(workingMinutesBetween(at('2026-12-08T09:00:00Z'), at('2026-12-09T09:00:00Z'), hours)).toBe(14 * 60);
    const closed = { ...hours, extraClosedDays: new Set(['2026-12-08']) };
    expect(workingMinutesBetween(at('2026-12-08T09:00:00Z'), at('2026-12-09T09:00:00Z'), closed)).toBe(2 * 60);
  });
});
