import { RE2JSSyntaxException } from 're2js';
import { z } from 'zod';
import { compilePattern, MAX_PATTERN_LENGTH } from '../policy/pattern.js';
import { TEMPLATE_VARIABLES } from '../policy/templates.js';

const dutch = z.locales.nl().localeError;
const zodEnglish = z.locales.en().localeError;

/** Zod's own English for an issue the admin pages have no words of their own for; `input` is what was at its path. */
function english(issue: z.core.$ZodIssue, input: unknown): string {
  const said = zodEnglish({ ...issue, input } as z.core.$ZodRawIssue);
  return (typeof said === 'string' ? said : said?.message) ?? issue.message;
}

const amount = (n: number | bigint) => new Intl.NumberFormat('en-GB').format(n);

/**
 * Plain Dutch for the checks a setting's schema leaves to zod (a missing field, a number
 * out of range); the schemas' own messages win. Zod's Dutch locale for the rest.
 */
export const settingErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'vul dit in' : `minstens ${issue.minimum} tekens`;
      if (issue.origin === 'array') return `minstens ${issue.minimum} nodig`;
      if (issue.origin === 'number') return `minstens ${issue.minimum}`;
      break;
    case 'too_big':
      if (issue.origin === 'string') return `hoogstens ${issue.maximum} tekens`;
      if (issue.origin === 'array') return `hoogstens ${issue.maximum}`;
      if (issue.origin === 'number') return `hoogstens ${issue.maximum}`;
      break;
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return 'een heel getal';
      if (issue.expected === 'string') return 'vul een tekst in';
      if (issue.expected === 'boolean') return 'ja of nee (true/false)';
      break;
    case 'invalid_value':
      return `kies een van: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `onbekend veld: ${issue.keys.join(', ')}`;
    default:
      // The rest (formats, unions, custom checks) carry the schema's own message or zod's Dutch.
      break;
  }
  return dutch(issue);
};

/** What a number field counts, so an English message can say it ("At least 1 working day."). */
const UNITS: Record<string, readonly [one: string, many: string]> = {
  maxPerAgent: ['conversation', 'conversations'],
  keepTryingHours: ['hour', 'hours'],
  firstResponseHours: ['working hour', 'working hours'],
  warnHours: ['working hour', 'working hours'],
  answerDays: ['working day', 'working days'],
  firstContactDays: ['working day', 'working days'],
  resolveDays: ['working day', 'working days'],
  satisfactionDays: ['working day', 'working days'],
  extraDays: ['working day', 'working days'],
  questionMonths: ['month', 'months'],
  complaintMonths: ['month', 'months'],
  chatMonths: ['month', 'months'],
  callMonths: ['month', 'months'],
  letterMonths: ['month', 'months'],
};

/** The field an issue is about: the last name on its path (a list index after it is a line of that field). */
const fieldOf = (path: readonly PropertyKey[]) => path.findLast((part): part is string => typeof part === 'string') ?? '';

/** What the candidate holds at a path, for a message that quotes it. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((at, part) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[part] : undefined), value);
}

const quoted = (value: unknown) => `"${typeof value === 'string' ? value : JSON.stringify(value)}"`;

/**
 * The English of each issue a setting's schema found, in order. The schemas (src/policy) write
 * their own messages in Dutch; the English is chosen by the issue's kind and its field, never
 * read from the Dutch text. `key` is the setting (or `message`, the dry run's typed message).
 */
export function englishMessages(key: string, issues: readonly z.core.$ZodIssue[], value: unknown): string[] {
  // A template text with unknown variables has one issue per variable, in the order they appear.
  const seen = new Map<string, number>();
  return issues.map((issue) => {
    const nth = seen.get(issue.path.join('/')) ?? 0;
    seen.set(issue.path.join('/'), nth + 1);
    return englishMessage(key, issue, value, nth);
  });
}

function englishMessage(key: string, issue: z.core.$ZodIssue, value: unknown, nth: number): string {
  const field = fieldOf(issue.path);
  const unit = UNITS[field];
  const count = (n: number | bigint) => (unit ? `${amount(n)} ${Number(n) === 1 ? unit[0] : unit[1]}` : amount(n));
  const input = valueAt(value, issue.path);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'fill this in' : `at least ${amount(issue.minimum)} characters`;
      if (issue.origin === 'array')
        return key === 'topics' && issue.path.length === 0 ? 'there must be at least one topic' : `at least ${amount(issue.minimum)} needed`;
      if (issue.origin === 'number') return issue.inclusive === false ? `more than ${count(issue.minimum)}` : `at least ${count(issue.minimum)}`;
      break;
    case 'too_big':
      if (issue.origin === 'string') return `at most ${amount(issue.maximum)} characters`;
      if (issue.origin === 'array' || issue.origin === 'number') return `at most ${count(issue.maximum)}`;
      break;
    case 'invalid_type':
      if (issue.expected === 'int') return unit ? `enter a whole number of ${unit[1]}` : 'enter a whole number';
      if (issue.expected === 'number') return unit ? `enter the number of ${unit[1]}` : 'enter a number';
      if (issue.expected === 'string') return 'enter a text';
      if (issue.expected === 'boolean') return 'yes or no (true/false)';
      break;
    case 'invalid_value':
      return `choose one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field: ${issue.keys.join(', ')}`;
    case 'invalid_format':
      return formatMessage(field, issue) ?? english(issue, input);
    case 'custom':
      return customMessage(key, field, issue.path, value, nth) ?? english(issue, input);
    default:
      break;
  }
  return english(issue, input);
}

/** A value that does not have the form its field asks for. */
function formatMessage(field: string, issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_format' && issue.format === 'date') return 'a date like 2026-12-24';
  if (field === 'id') return 'lowercase letters, digits and hyphens, at most 50';
  if (field === 'key') return 'lowercase letters, digits and hyphens';
  if (field === 'senders') return 'an address (name@domain.nl) or a domain (@domain.nl)';
  if (field === 'opensAt' || field === 'closesAt') return 'a time like 08:00';
  return undefined;
}

/** The schemas' own checks (refinements), by the field they name; `value` is the whole candidate. */
function customMessage(key: string, field: string, path: readonly PropertyKey[], value: unknown, nth: number): string | undefined {
  const at = valueAt(value, path);
  switch (field) {
    case 'closesAt':
      return 'the closing time must be after the opening time';
    case 'then':
      return 'a rule must have at least one action';
    case 'id':
      return `id ${quoted(at)} occurs twice`;
    case 'key':
      if (key === 'topics') return `topic ${quoted(at)} occurs twice`;
      return `template ${String(at)} (${String(valueAt(value, [...path.slice(0, -1), 'locale']))}) occurs twice`;
    case 'subjectMatches':
    case 'bodyMatches':
      return typeof at === 'string' ? patternProblem(at) : undefined;
    case 'subject':
    case 'body': {
      const name = typeof at === 'string' ? unknownVariables(at)[nth] : undefined;
      return name === undefined ? undefined : `unknown variable {${name}}; allowed: ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(' ')}`;
    }
    default:
      return undefined;
  }
}

/** The variables in a template text that templates do not know, as the schema finds them. */
const unknownVariables = (text: string) =>
  [...text.matchAll(/\{([^{}]*)\}/g)].map(([, name]) => name ?? '').filter((name) => !(TEMPLATE_VARIABLES as readonly string[]).includes(name));

/**
 * Why RE2 refuses a pattern, in English: the schema's check (policy/pattern.ts) says it in
 * Dutch only. RE2's own descriptions are English already.
 */
function patternProblem(pattern: string): string {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    compilePattern(pattern);
    return 'invalid pattern';
  } catch (err) {
    if (!(err instanceof RE2JSSyntaxException)) return `invalid pattern: ${(err as Error).message}`;
    const at = err.getPattern() ?? '';
    // RE2 reads `\1` as an unknown escape and `(?<=` as a bad group name: name what was meant.
    if (/^\\([1-9]|k)/.test(at)) return 'backreferences (\\1) are not possible';
    if (/^\(\?(<?[=!])/.test(at)) return 'lookahead and lookbehind are not possible';
    // For a bracket error RE2 quotes the whole pattern, with its own (?i) before it: no help.
    const where = at && at !== `(?i)${pattern}` ? ` at "${at}"` : '';
    return `invalid pattern: ${err.getDescription()}${where}`;
  }
}
