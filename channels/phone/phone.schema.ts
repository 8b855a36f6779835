import { z } from 'zod';
import { PHONE_PATTERN } from './phone-number.js';
import { multiLineText, oneLineText } from '../../src/text.js';

/** An empty form field is an absent one. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

export const CALL_OUTCOMES = ['beantwoord', 'doorverwezen', 'terugbellen'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The telephony platform's id of a call; also part of a message's external id. */
export const callIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._:@-]{1,200}$/);

/** A checkbox: `on` from a form, a boolean from JSON; absent means unchecked. */
const checkbox = z.preprocess((value) => value === true || value === 'on' || value === 'true' || value === '1', z.boolean());

/** A call an agent logs, from the workspace form or the JSON API alike. */
export const callLogFieldsSchema = z.strictObject({
  callerName: optional(oneLineText(200)),
  phone: optional(z.string().trim().regex(PHONE_PATTERN)),
  employeeNumber: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,20}$/),
  ),
  topic: optional(oneLineText(100)),
  summary: multiLineText(20_000),
  outcome: z.enum(CALL_OUTCOMES),
  callback: checkbox,
  callId: optional(callIdSchema),
  /** The form's idempotency key: a double submit is one message. */
  submissionId: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{8,100}$/),
  ),
  /** The call-back task (outbox row) this call completes. */
  callbackOf: optional(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)),
});
export type CallLogFields = z.infer<typeof callLogFieldsSchema>;
export type CallLogField = keyof CallLogFields;

/** ISO 8601 or unix seconds: platforms differ. */
const eventTime = z.union([
  z
    .number()
    .int()
    .positive()
    .transform((seconds) => new Date(seconds * 1_000)),
  z.iso.datetime({ offset: true }).transform((iso) => new Date(iso)),
]);

/** One event of the telephony platform (CTI), as signed and posted to us. */
export const telephonyEventSchema = z.object({
  type: z.enum(['newCall', 'answer', 'hangup']),
  callId: callIdSchema,
  /** A withheld number ("anonymous", empty) is kept as no number rather than refusing the event. */
  from: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((value) => (value && PHONE_PATTERN.test(value) ? value : undefined)),
  agent: z.string().trim().min(1).max(200).optional(),
  at: eventTime,
});
export type TelephonyEvent = z.infer<typeof telephonyEventSchema>;
