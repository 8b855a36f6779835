/** A topic as the classifier sees it. */
export interface TopicRule {
  key: string;
  keywords: { nl: string[]; en: string[] };
  weight: number;
  position: number;
}

export const FALLBACK_TOPIC = 'overig';

/** Lower case, accents folded, everything but letters, digits and hyphens a space. */
export function normalizeText(text: string): string {
  return ` ${text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, ' ')
    .trim()} `;
}

/**
 * How often a keyword occurs. A one-word keyword matches at the start of a word,
 * so `salaris` finds `salarisstrook`; a keyword of six letters or more also inside
 * a word, so `wachtwoord` finds `inlogwachtwoord`. A phrase matches as a whole.
 */
export function countKeyword(normalized: string, keyword: string): number {
  const pattern = keywordPattern(keyword);
  return pattern ? (normalized.match(pattern)?.length ?? 0) : 0;
}

// Every message is matched against every keyword of every topic: compile each keyword once
// (bench:pipeline showed the compiling per message). Bounded by the admins' keyword lists;
// String.match with a global pattern resets lastIndex, so sharing a RegExp is safe.
const patterns = new Map<string, RegExp | null>();

function keywordPattern(keyword: string): RegExp | null {
  let pattern = patterns.get(keyword);
  if (pattern !== undefined) return pattern;
  const key = normalizeText(keyword).trim();
  const escaped = key.replace(/[-]/g, '\\-');
  if (patterns.size >= 10_000) patterns.clear(); // keyword lists are edited; never grow without bound
  pattern =
    key.length === 0 ? null : key.includes(' ') ? new RegExp(` ${escaped} `, 'g') : key.length >= 6 ? new RegExp(escaped, 'g') : new RegExp(` ${escaped}`, 'g');
  patterns.set(keyword, pattern);
  return pattern;
}

export interface Classification {
  topic: string;
  scores: Record<string, number>;
}

/**
 * The topic whose keywords occur most (subject counts double, weight multiplies);
 * ties go to the topic listed first; no hit at all → `overig`.
 */
export function classify(input: { subject: string; text: string }, topics: readonly TopicRule[]): Classification {
  const subject = normalizeText(input.subject);
  const text = normalizeText(input.text.slice(0, 20_000));
  const scores: Record<string, number> = {};
  let best: { key: string; score: number; position: number } | undefined;
  for (const topic of topics) {
    let hits = 0;
    for (const keyword of [...topic.keywords.nl, ...topic.keywords.en]) {
      hits += 2 * countKeyword(subject, keyword) + countKeyword(text, keyword);
    }
    const score = hits * topic.weight;
    if (score === 0) continue;
    scores[topic.key] = score;
    if (!best || score > best.score || (score === best.score && topic.position < best.position)) {
      best = { key: topic.key, score, position: topic.position };
    }
  }
  return { topic: best?.key ?? FALLBACK_TOPIC, scores };
}
