/** The longest pattern an admin may write; longer ones are refused, not truncated. */
export const MAX_PATTERN_LENGTH = 200;
/** The longest text a rule's pattern is run against: the start of a long mail is enough to route it. */
export const MAX_MATCH_INPUT = 20_000;

/**
 * Why a pattern is unsafe or invalid, or undefined when it may be used. Refused: longer than
 * MAX_PATTERN_LENGTH, invalid syntax, backreferences and lookarounds (which need backtracking),
 * and a quantified group that holds a quantifier or an alternation — `(a+)+`, `(a|aa)*` —
 * the shapes that backtrack catastrophically.
 */
export function unsafePattern(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `het patroon is langer dan ${MAX_PATTERN_LENGTH} tekens`;
  try {
    new RegExp(pattern, 'i');
  } catch (err) {
    return `ongeldig patroon: ${(err as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'terugverwijzingen (\\1) zijn niet toegestaan';
  if (/\(\?<?[=!]/.test(pattern)) return 'lookahead en lookbehind zijn niet toegestaan';
  // Per open group: whether it holds a quantifier or an alternation so far.
  const groups: { risky: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') groups.push({ risky: false });
    else if (c === '|' && groups.length > 0) groups[groups.length - 1]!.risky = true;
    else if ((c === '*' || c === '+' || c === '{') && groups.length > 0) groups[groups.length - 1]!.risky = true;
    else if (c === ')') {
      const group = groups.pop();
      const next = pattern[i + 1];
      const quantified = next === '*' || next === '+' || next === '{';
      if (group?.risky && quantified) return 'geneste herhaling zoals (a+)+ of (a|b)* is niet toegestaan';
      if (group?.risky && groups.length > 0) groups[groups.length - 1]!.risky = true;
    }
  }
  return undefined;
}
