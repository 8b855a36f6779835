import { z } from 'zod';
import { CHANNEL_NAMES } from '../message.js';
import { PRIORITIES } from './rules.schema.js';

/** One promise: for the cases it matches (channel, topic and priority, each optional), when the first answer and the answer are due. */
const targetSchema = z.object({
  channel: z.enum(CHANNEL_NAMES).optional(),
  topic: z.string().min(1).max(100).optional(),
  priority: z.enum(PRIORITIES).optional(),
  /** Working hours until the first answer (a reply by an agent, not the acknowledgement). */
  firstResponseHours: z.number('Vul een aantal uren in.').positive('Meer dan 0 uur.').max(1_000, 'Hoogstens 1.000 uur.'),
  /** Working days until the answer: the date the acknowledgement promises, due at closing time that day. */
  answerDays: z.number('Vul een aantal werkdagen in.').int('Een heel aantal werkdagen.').min(0, 'Minstens 0.').max(60, 'Hoogstens 60.'),
});
export type SlaTarget = z.infer<typeof targetSchema>;

/**
 * The contact center's promises (admin setting `sla.targets`): the first target that matches a
 * case applies (the last one should match everything), a warning goes out `warnHours` working
 * hours before the answer is due, and `promisePercent` is the share the figures are held to.
 */
export const slaSettingSchema = z.object({
  targets: z.array(targetSchema).min(1, 'Minstens één afspraak.').max(100),
  warnHours: z.number('Vul een aantal uren in.').min(0).max(1_000),
  promisePercent: z.number('Vul een percentage in.').min(1).max(100),
});
export type SlaSetting = z.infer<typeof slaSettingSchema>;

/**
 * "90% of form, mail and post questions answered within 5 working days": every channel gets
 * 5 working days for the answer and one working day (14 office hours) for the first reply;
 * a chat's first reply is due within a quarter of an hour. Warned one working day ahead.
 */
export const DEFAULT_SLA: SlaSetting = {
  targets: [
    { channel: 'chat', firstResponseHours: 0.25, answerDays: 1 },
    { firstResponseHours: 14, answerDays: 5 },
  ],
  warnHours: 14,
  promisePercent: 90,
};

/** The first target that matches the case; the default's last (catch-all) target otherwise. */
export function slaTargetFor(setting: SlaSetting, facts: { channel: string; topic: string; priority: string }): SlaTarget {
  const matches = (target: SlaTarget) =>
    (!target.channel || target.channel === facts.channel) &&
    (!target.topic || target.topic === facts.topic) &&
    (!target.priority || target.priority === facts.priority);
  return setting.targets.find(matches) ?? DEFAULT_SLA.targets[DEFAULT_SLA.targets.length - 1]!;
}
