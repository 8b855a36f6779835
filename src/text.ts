import { z } from 'zod';

/**
 * The one place that says which characters text may hold at Loket's boundaries. NUL is
 * refused everywhere (PostgreSQL cannot store it in text). One-line fields (names, subjects,
 * numbers, file names) also refuse control characters — CR and LF would start a new header
 * or line in a mail — and bidirectional overrides, which make text read otherwise than it is
 * stored ("\u202e" turns "fdp.exe" around).
 */
const NUL = '\u0000';
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const NOT_ONE_LINE = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const NOT_ONE_LINE_ALL = new RegExp(NOT_ONE_LINE.source, 'g');

/** The message of the zod issue these refinements raise; forms turn it into their own words. */
export const UNSAFE_TEXT = 'unsafe_text';

/** A string schema that also refuses control characters and bidirectional overrides. */
export const oneLine = <S extends z.ZodType<string>>(schema: S) => schema.refine((value) => !NOT_ONE_LINE.test(value), { message: UNSAFE_TEXT });

/** A string schema (of text with lines) that also refuses NUL. */
export const noNul = <S extends z.ZodType<string>>(schema: S) => schema.refine((value) => !value.includes(NUL), { message: UNSAFE_TEXT });

/** A required one-line field: trimmed, 1 to `max` characters. */
export const oneLineText = (max: number) => oneLine(z.string().trim().min(1).max(max));

/** A required field of text with lines: trimmed, 1 to `max` characters, no NUL. */
export const multiLineText = (max: number) => noNul(z.string().trim().min(1).max(max));

/** Text from outside that is kept anyway (a mail's subject, a sender's name): what a one-line field refuses becomes a space. */
export const cleanOneLine = (value: string) =>
  value
    .replace(NOT_ONE_LINE_ALL, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();

/** Text with lines from outside that is kept anyway (a mail's body): NUL removed. */
export const cleanText = (value: string) => value.replaceAll(NUL, '');

/**
 * Where in a parsed body, query or route parameters a string holds NUL, as the path to it
 * (`['fields', 'name']`; `[]` for the value itself), if anywhere. A path, not a joined string:
 * a key may itself hold a dot.
 */
export function nulAt(value: unknown, path: readonly string[] = []): readonly string[] | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulAt(item, [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes(NUL) ? [...path, key.replaceAll(NUL, '\\0')] : nulAt(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
