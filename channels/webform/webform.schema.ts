import { z } from 'zod';
import { identityTokenSchema } from '../../src/auth/portal-identity.js';
import { multiLineText, noNul, oneLine, oneLineText } from '../../src/text.js';

const optionalTrimmed = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

/**
 * Line breaks as one LF: a browser posts a text box's breaks as CRLF, but its maxlength counted
 * each as one character, so 20,000 characters typed must not come out over the limit.
 */
const oneLineEnd = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value);

/** The fields of a contact-form submission, JSON or multipart alike (files come apart). */
export const webformFieldsSchema = z.strictObject({
  name: oneLineText(200),
  email: z.string().trim().pipe(z.email().max(320)),
  employeeNumber: optionalTrimmed(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,20}$/),
  ),
  topic: optionalTrimmed(oneLine(z.string().trim().max(100))),
  /** Only for a complaint (seed 000): the registration number it is about, the date of the last contact, the employee's name. */
  complaintReference: optionalTrimmed(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$/),
  ),
  complaintLastContact: optionalTrimmed(z.iso.date()),
  complaintEmployee: optionalTrimmed(oneLineText(200)),
  subject: oneLineText(200),
  message: z.preprocess(oneLineEnd, multiLineText(20_000)),
  submissionId: optionalTrimmed(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{8,100}$/),
  ),
  lang: optionalTrimmed(z.enum(['nl', 'en'])),
  /** The employees' portal's ID token, when the form runs inside it (src/auth/portal-identity.ts). */
  identity: optionalTrimmed(identityTokenSchema),
  /** The honeypot: hidden from people, filled by bots. */
  website: noNul(z.string().max(2_000)).optional(),
});
export type WebformFields = z.infer<typeof webformFieldsSchema>;
export type WebformField = keyof WebformFields | 'attachments';

/** A JSON attachment: the bytes as base64. */
export const jsonAttachmentSchema = z.strictObject({
  filename: oneLineText(255),
  contentType: z.string().max(255).optional(),
  content: z.base64(),
});

export const jsonSubmissionSchema = z.looseObject({
  attachments: z.array(jsonAttachmentSchema).optional(),
});
