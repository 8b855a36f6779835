import { sql, type SQL } from 'drizzle-orm';

/**
 * The same normalization in SQL, for numbers stored before (or by channels that keep
 * the number as typed). Must stay in step with normalizePhone (src/phone-number.ts).
 */
export function normalizedPhoneSql(column: SQL): SQL {
  return sql`regexp_replace(regexp_replace(regexp_replace(replace(${column}, '(0)', ''), '[[:space:]./()-]', '', 'g'), '^00', '+'), '^\\+31', '0')`;
}

/** A plausible phone number as an agent or telephony platform writes it. */
export const PHONE_PATTERN = /^\+?[0-9][0-9 ()\-./]{5,30}$/;
