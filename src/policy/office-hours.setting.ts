import { z } from 'zod';
import { DEFAULT_OFFICE_HOURS, type OfficeHours } from '../office-hours.js';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'een tijd als 08:00');
const day = z.iso.date('een datum als 2026-12-24');

/** Office hours as admins edit them (setting `office.hours`). */
export const officeHoursSettingSchema = z
  .object({
    opensAt: time,
    closesAt: time,
    extraClosedDays: z.array(day).max(366).default([]),
  })
  .strict()
  .refine((hours) => hours.opensAt < hours.closesAt, { path: ['closesAt'], message: 'sluitingstijd moet na openingstijd liggen' });

export type OfficeHoursSetting = z.infer<typeof officeHoursSettingSchema>;

export const DEFAULT_OFFICE_HOURS_SETTING: OfficeHoursSetting = { opensAt: '08:00', closesAt: '22:00', extraClosedDays: [] };

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The setting as `isOpen` reads it. */
export function toOfficeHours(setting: OfficeHoursSetting): OfficeHours {
  return { opensAt: minutes(setting.opensAt), closesAt: minutes(setting.closesAt), extraClosedDays: new Set(setting.extraClosedDays) };
}

/**
 * The office hours for synchronous callers (the chat's online flag): the last value read,
 * refreshed in the background when older than `maxAgeMs`, so a change shows within about
 * two seconds without a query per call.
 */
export class OfficeHoursSource {
  private hours: OfficeHours = DEFAULT_OFFICE_HOURS;
  private readAt = 0;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<OfficeHoursSetting>,
    private readonly onError: (err: unknown) => void,
    private readonly maxAgeMs = 1_000,
  ) {}

  /** Reads the setting now (at start-up, so the first answer is not the default). */
  async refresh(): Promise<void> {
    this.reading ??= this.read()
      .then((setting) => {
        this.hours = toOfficeHours(setting);
        this.readAt = Date.now();
      })
      .catch(this.onError)
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }

  current(): OfficeHours {
    if (Date.now() - this.readAt >= this.maxAgeMs) void this.refresh();
    return this.hours;
  }
}
