import { RE2JS } from 're2js';

/** The longest pattern an admin may write; longer ones are refused, not truncated. */
export const MAX_PATTERN_LENGTH = 200;
/** The longest text a rule's pattern is run against: the start of a long mail is enough to route it. */
export const MAX_MATCH_INPUT = 20_000;

/**
 * An admin's pattern, compiled for RE2's linear-time engine (re2js), case-insensitive: it
 * takes time in proportion to the text whatever the pattern, so no pattern an admin writes
 * — `(a+)+$` included — can stall routing, and no pattern needs to be refused for its shape.
 */
export function compilePattern(pattern: string): RE2JS {
  return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
}

/**
 * What is wrong with a pattern, in Dutch for the admin's form, or undefined when it can be
 * used: too long, or not something RE2 can run — broken syntax, and backreferences and
 * lookarounds, which only a backtracking engine can do.
 */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `het patroon is langer dan ${MAX_PATTERN_LENGTH} tekens`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'terugverwijzingen (\\1) zijn niet mogelijk';
  if (/\(\?<?[=!]/.test(pattern)) return 'lookahead en lookbehind zijn niet mogelijk';
  try {
    compilePattern(pattern);
    return undefined;
  } catch (err) {
    return `ongeldig patroon: ${(err as Error).message.replace(/^error parsing regexp: /, '')}`;
  }
}
