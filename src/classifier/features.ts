import { StemmerEn, StopwordsEn } from '@nlpjs/lang-en-min';
import { StemmerNl, StopwordsNl } from '@nlpjs/lang-nl';
import type { Locale } from '../message.js';

/**
 * What the classifier reads of a message: its words as stems (Snowball, from nlp.js's
 * language packages), pairs of neighbouring stems, and the letter groups (3 to 5 letters)
 * inside each word. The letter groups carry what stems miss: the parts of Dutch compounds
 * ("thuiswerkvergoeding" shares "vergoed" with "vergoeding"), misspellings ("decleratie"
 * still shares most of "declaratie") and words the training set never had.
 */
const LANGUAGES = {
  nl: { stemmer: new StemmerNl(), stopwords: new StopwordsNl() },
  en: { stemmer: new StemmerEn(), stopwords: new StopwordsEn() },
} as const;

/** Letters and digits, lower case, accents folded ("privé" → "prive"). */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** The words of a text, normalized: runs of letters and digits (a hyphen joins, "e-mail" → "email"). */
export function words(text: string): string[] {
  return (
    normalize(text)
      .replace(/(\p{L})-(\p{L})/gu, '$1$2')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * A line where the question ends and the signature or the quoted earlier mail begins:
 * "Met vriendelijke groet", "Groetjes", "Kind regards", "-- ", "Op … schreef …:".
 */
const CLOSING =
  /^\s*(?:(?:met\s+)?(?:vriendelijke|hartelijke|beste|collegiale)\s+groet(?:en)?|groet(?:en|jes)?|mvg|gr\.?|(?:kind|best|warm)\s+regards|regards|cheers|--\s*|op .{4,80} schreef .*:|on .{4,80} wrote:|-{2,}\s*(?:oorspronkelijk|original) .*|verzonden (?:vanaf|met) .*|sent from .*)\s*[,.!]?\s*$/i;

/** The part of a message that holds the question: without quoted lines and from its closing on. */
export function questionPart(text: string): string {
  const kept: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (CLOSING.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return kept.join('\n');
}

/**
 * Dutch endings Snowball leaves: diminutives (-je, -tje, -pje, -jes: "strookje" → "strook")
 * and plurals in -ies ("declaraties" → "declaratie"), taken off first.
 */
function dutchBase(word: string): string {
  if (word.length > 6 && /(?:tjes|pjes)$/.test(word)) return word.slice(0, -4);
  if (word.length > 5 && /(?:tje|pje)$/.test(word)) return word.slice(0, -3);
  if (word.length > 5 && word.endsWith('jes')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('je')) return word.slice(0, -2);
  if (word.length > 5 && word.endsWith('ies')) return word.slice(0, -1);
  return word;
}

/**
 * Words that say someone writes, not what about: greetings, forms of address, "a question".
 * Left out like stop words, so a chat's "Hallo, ik heb een vraag" carries no topic at all.
 */
const GENERIC = new Set([
  ...['hallo', 'hoi', 'hey', 'hai', 'beste', 'geachte', 'goedemorgen', 'goedemiddag', 'goedenavond', 'goeiemorgen', 'goeiemiddag', 'dag', 'groet', 'groeten'],
  ...['groetjes', 'mvg', 'vriendelijke', 'vriendelijk', 'heer', 'mevrouw', 'vraag', 'vragen', 'vraagje', 'hello', 'hi', 'dear', 'good', 'morning', 'afternoon'],
  ...['question', 'questions', 'regards', 'sir', 'madam'],
]);

/** Whether a normalized word carries meaning: not a stop word, not a greeting, not one letter. */
const meaningful = (word: string, locale: Locale) => word.length >= 2 && !GENERIC.has(word) && !LANGUAGES[locale].stopwords.isStopword(word);

/** The stems of a text's words that carry meaning (stop words and greetings left out), in order. */
export function stems(text: string, locale: Locale = 'nl'): string[] {
  const { stemmer } = LANGUAGES[locale];
  const out: string[] = [];
  for (const word of words(text)) {
    if (!meaningful(word, locale)) continue;
    out.push(locale === 'nl' ? stemmer.stemWord(dutchBase(word)) : stemmer.stemWord(word));
  }
  return out;
}

/** How strongly each kind of feature counts (each kind is scaled to length 1 first). */
const GROUP_WEIGHTS = { word: 1, pair: 0.6, letters: 1 } as const;

/** A message as features: name → value (each group scaled to unit length, then weighted). */
export function features(input: { subject: string; text: string }, locale: Locale = 'nl'): Map<string, number> {
  const question = `${input.subject}\n${questionPart(input.text.slice(0, 20_000))}`;
  const stemmed = stems(question, locale);
  const groups: Record<keyof typeof GROUP_WEIGHTS, Map<string, number>> = { word: new Map(), pair: new Map(), letters: new Map() };
  const add = (group: Map<string, number>, name: string) => group.set(name, (group.get(name) ?? 0) + 1);
  for (const [i, stem] of stemmed.entries()) {
    add(groups.word, `w:${stem}`);
    if (i > 0) add(groups.pair, `p:${stemmed[i - 1]}_${stem}`);
  }
  for (const word of words(question)) {
    if (word.length < 3 || !meaningful(word, locale)) continue;
    const padded = `_${word}_`;
    for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= padded.length; i++) add(groups.letters, `l:${padded.slice(i, i + n)}`);
  }
  const vector = new Map<string, number>();
  for (const [kind, group] of Object.entries(groups) as [keyof typeof GROUP_WEIGHTS, Map<string, number>][]) {
    // Counts dampened (a word said five times is not five times the evidence), then unit length.
    let norm = 0;
    for (const [name, count] of group) {
      const value = 1 + Math.log(count);
      group.set(name, value);
      norm += value * value;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [name, value] of group) vector.set(name, (value / norm) * GROUP_WEIGHTS[kind]);
  }
  return vector;
}
