import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_HOURS, isOpen } from './office-hours.js';

describe('office hours', () => {
  it('are Monday to Friday from 08:00 to 22:00 in Amsterdam, summer and winter time alike', () => {
    expect(isOpen(new Date('2026-11-23T07:00:00Z'))).toBe(true); // Mon 08:00 CET
    expect(isOpen(new Date('2026-11-23T06:59:00Z'))).toBe(false); // Mon 07:59 CET
    expect(isOpen(new Date('2026-11-23T20:59:00Z'))).toBe(true); // Mon 21:59 CET
    expect(isOpen(new Date('2026-11-23T21:00:00Z'))).toBe(false); // Mon 22:00 CET
    expect(isOpen(new Date('2026-06-15T06:00:00Z'))).toBe(true); // Mon 08:00 CEST
    expect(isOpen(new Date('2026-06-15T05:59:00Z'))).toBe(false);
  });

  it('are closed at the weekend and on days off', () => {
    expect(isOpen(new Date('2026-11-21T12:00:00Z'))).toBe(false); // Saturday
    expect(isOpen(new Date('2026-12-25T12:00:00Z'))).toBe(false); // Christmas, a Friday
    expect(isOpen(new Date('2026-05-05T10:00:00Z'))).toBe(false); // Liberation Day
    expect(isOpen(new Date('2026-04-03T10:00:00Z'))).toBe(true); // Good Friday is a working day
  });

  it('close on extra days an admin adds', () => {
    expect(isOpen(new Date('2026-12-24T10:00:00Z'), { ...DEFAULT_OFFICE_HOURS, extraClosedDays: new Set(['2026-12-24']) })).toBe(false);
  });
});
