import { sql, type SQL } from 'drizzle-orm';

/**
 * One spelling per Dutch number, so a caller is recognised however the number was
 * written: `+31 6-1234 5678`, `0031612345678` and `06 12345678` all become `0612345678`.
 * Foreign numbers keep their country code as `+<digits>`.
 */
export function normalizePhone(input: string): string {
  const compact = input.replace(/\(0\)/g, '').replace(/[\s\-.()/]/g, '');
  const international = compact.replace(/^00/, '+');
  if (international.startsWith('+31')) return `0${international.slice(3)}`;
  return international;
}

/**
 * The same normalization in SQL, for numbers stored before (or by channels that keep
 * the number as typed). Must stay in step with normalizePhone.
 */
export function normalizedPhoneSql(column: SQL): SQL {
  return sql`regexp_replace(regexp_replace(regexp_replace(replace(${column}, '(0)', ''), '[[:space:]./()-]', '', 'g'), '^00', '+'), '^\\+31', '0')`;
}
