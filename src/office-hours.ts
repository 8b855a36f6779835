import { amsterdamDate, isWorkingDay, TIME_ZONE, type PlainDate } from './calendar.js';

export interface OfficeHours {
  /** Minutes after midnight, Amsterdam time: 08:00 → 480. */
  opensAt: number;
  closesAt: number;
  extraClosedDays: ReadonlySet<PlainDate>;
}

/** Monday–Friday 08:00–22:00 Europe/Amsterdam, closed on the days off of central government. */
export const DEFAULT_OFFICE_HOURS: OfficeHours = { opensAt: 8 * 60, closesAt: 22 * 60, extraClosedDays: new Set() };

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Whether the contact center is open at this instant. */
export function isOpen(at: Date, hours: OfficeHours = DEFAULT_OFFICE_HOURS): boolean {
  if (!isWorkingDay(amsterdamDate(at), hours.extraClosedDays)) return false;
  const [hour = '0', minute = '0'] = clock.format(at).split(':');
  const minutes = Number(hour) * 60 + Number(minute);
  return minutes >= hours.opensAt && minutes < hours.closesAt;
}
