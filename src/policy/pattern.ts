import { RE2JS, RE2JSSyntaxException } from 're2js';

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

// RE2's parse errors (re2js's Parser.ERR_* texts), in the admin's language.
const DUTCH: Record<string, string> = {
  'invalid character class range': 'ongeldig tekenbereik of ongeldige tekenklasse',
  'invalid escape sequence': 'onbekende escape met \\',
  'invalid named capture': 'ongeldige naam voor een groep',
  'invalid or unsupported Perl syntax': 'onbekende constructie met (?',
  'invalid nested repetition operator': 'herhaling van een herhaling, zoals a** of a{2}{3}',
  'invalid repeat count': 'ongeldig aantal herhalingen (hoogstens 1000)',
  'missing closing ]': 'er ontbreekt een ]',
  'missing closing )': 'er ontbreekt een )',
  'missing argument to repetition operator': 'een *, + of ? zonder iets ervoor om te herhalen',
  'trailing backslash at end of expression': 'een \\ aan het eind',
  'duplicate capture group name': 'twee groepen met dezelfde naam',
  'unexpected )': 'een ) zonder ( ervoor',
  'expression nests too deeply': 'te diep genest',
  'expression too large': 'te groot na uitschrijven van de herhalingen',
};

/**
 * What is wrong with a pattern, in Dutch for the admin's form, or undefined when it can be
 * used: too long, or not something RE2 can run — broken syntax, and backreferences and
 * lookarounds, which only a backtracking engine can do. Whatever RE2 compiles is accepted.
 */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `het patroon is langer dan ${MAX_PATTERN_LENGTH} tekens`;
  try {
    compilePattern(pattern);
    return undefined;
  } catch (err) {
    if (err instanceof RE2JSSyntaxException) return syntaxProblem(pattern, err);
    // Not a parse error (re2js's compiler refusing a program): still the pattern's fault, not a 500.
    return `ongeldig patroon: ${(err as Error).message}`;
  }
}

/** RE2's refusal of a pattern as the admin should read it. */
function syntaxProblem(pattern: string, err: RE2JSSyntaxException): string {
  const at = err.getPattern() ?? '';
  // RE2 reads `\1` as an unknown escape and `(?<=` as a bad group name: name what was meant.
  if (/^\\([1-9]|k)/.test(at)) return 'terugverwijzingen (\\1) zijn niet mogelijk';
  if (/^\(\?(<?[=!])/.test(at)) return 'lookahead en lookbehind zijn niet mogelijk';
  const what = DUTCH[err.getDescription()] ?? err.getDescription();
  // For a bracket error RE2 quotes the whole pattern, with its own (?i) before it: no help.
  const where = at && at !== `(?i)${pattern}` ? ` bij "${at}"` : '';
  return `ongeldig patroon: ${what}${where}`;
}
