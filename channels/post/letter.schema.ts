import { z } from 'zod';
import { amsterdamDate } from '../../src/calendar.js';
import { multiLineText, oneLine, oneLineText } from '../../src/text.js';

const optionalTrimmed = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

const DUTCH_POSTAL_CODE = /^([1-9]\d{3})\s?([A-Za-z]{2})$/;
const isDutch = (country: string | undefined) => !country || /^(nederland|the netherlands|nl)$/i.test(country);

/** The fields of the letter entry form (the scans come apart, as files). */
export const letterFieldsSchema = z
  .strictObject({
    /** Checked by the access hook before the handler runs; allowed here so it is no unknown field. */
    _csrf: z.string().optional(),
    senderName: oneLineText(200),
    street: oneLineText(200),
    postalCode: oneLineText(20),
    city: oneLineText(100),
    country: optionalTrimmed(oneLine(z.string().trim().max(100))),
    letterDate: optionalTrimmed(z.iso.date().refine((day) => day <= amsterdamDate(new Date()), { message: 'in the future' })),
  })
  .superRefine((fields, ctx) => {
    if (isDutch(fields.country) && !DUTCH_POSTAL_CODE.test(fields.postalCode)) {
      ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'not a Dutch postal code' });
    }
  })
  .transform((fields) => ({
    ...fields,
    // One spelling, so the address prints the way PostNL sorts it: "2511 AB".
    postalCode: isDutch(fields.country)
      ? fields.postalCode.replace(DUTCH_POSTAL_CODE, (_, d: string, l: string) => `${d} ${l.toUpperCase()}`)
      : fields.postalCode,
  }));
export type LetterFields = z.infer<typeof letterFieldsSchema>;
export type LetterField = Exclude<keyof LetterFields, '_csrf'> | 'scans';

/** The review form: the text the agent checked. */
export const reviewFieldsSchema = z.strictObject({
  _csrf: z.string().optional(),
  text: multiLineText(100_000),
});
