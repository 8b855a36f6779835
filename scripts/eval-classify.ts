/**
 * npm run eval:classify — how well the topic classifier does on the team's own questions
 * (training/): k-fold cross-validation on the base set, then the model trained on the whole
 * base set measured on the holdout set it never saw. Prints macro-F1, per-topic precision,
 * recall and F1, the confusion matrix, how many fall under the confidence threshold (to
 * `overig`), the chat gate, and the time to train and to classify. No database needed.
 * Environment: EVAL_FOLDS [5], EVAL_THRESHOLD [the default threshold], CLASSIFIER_TRAINING_DIR [training/].
 */
import { performance } from 'node:perf_hooks';
import { chatGate, DEFAULT_CHAT_GATE } from '../src/classifier/chat-gate.js';
import { features } from '../src/classifier/features.js';
import { predict } from '../src/classifier/model.js';
import { DEFAULT_CONFIDENCE_THRESHOLD, guessTopic, trainTopicModel } from '../src/classifier/topic-classifier.js';
import { baseSet, holdoutSet, type LabelledText } from '../src/classifier/training-set.js';

const FOLDS = Number(process.env['EVAL_FOLDS'] ?? 5);
const THRESHOLD = Number(process.env['EVAL_THRESHOLD'] ?? DEFAULT_CONFIDENCE_THRESHOLD);
const CHAT_TOPICS = ['inloggen', 'personeelsgesprekken'];
/** Every label the model may give counts as a known topic here (the database's topics are not read). */
const KNOWN_TOPICS = [
  'compliment',
  'declaraties',
  'inloggen',
  'klacht',
  'personeelsgesprekken',
  'portaalgebruik',
  'salaris',
  'verlof',
  'wet-en-regelgeving',
].map((key, position) => ({ key, keywords: { nl: [], en: [] }, weight: 1, position }));

interface Outcome {
  truth: string;
  guess: string;
  probability: number;
  chatWaits: boolean;
}

/** Trains on `train`, classifies every line of `test`. */
function run(train: readonly LabelledText[], test: readonly LabelledText[]): { outcomes: Outcome[]; trainMs: number; classifyUs: number } {
  const started = performance.now();
  const model = trainTopicModel(train);
  const trainMs = performance.now() - started;
  const classifyStart = performance.now();
  const outcomes = test.map((line) => {
    const ranked = predict(model, features({ subject: '', text: line.text }, line.lang));
    const guess = guessTopic(model, { subject: '', text: line.text, locale: line.lang }, KNOWN_TOPICS, 0);
    return {
      truth: line.topic,
      guess: ranked[0]!.label,
      probability: ranked[0]!.probability,
      chatWaits: chatGate(guess, undefined, CHAT_TOPICS, DEFAULT_CHAT_GATE) === 'wait',
    };
  });
  return { outcomes, trainMs, classifyUs: ((performance.now() - classifyStart) * 1000) / Math.max(1, test.length) };
}

/** Folds that each hold every topic in proportion (lines dealt round per topic, in file order). */
function folds(lines: readonly LabelledText[], k: number): LabelledText[][] {
  const out: LabelledText[][] = Array.from({ length: k }, () => []);
  const seen = new Map<string, number>();
  for (const line of lines) {
    const n = seen.get(line.topic) ?? 0;
    seen.set(line.topic, n + 1);
    out[n % k]!.push(line);
  }
  return out;
}

const pad = (text: string, width: number) => text.padEnd(width).slice(0, width);
const fixed = (n: number) => n.toFixed(2);

function report(title: string, outcomes: Outcome[]): void {
  const topics = [...new Set(outcomes.map((o) => o.truth))].sort();
  const decided = outcomes.map((o) => ({ ...o, decided: o.probability >= THRESHOLD ? o.guess : 'overig' }));
  const f1s: number[] = [];
  console.log(`\n${title}: ${outcomes.length} questions, threshold ${THRESHOLD}`);
  console.log(`${pad('topic', 22)} precision  recall     F1   (as decided, below the threshold counts as overig)`);
  for (const topic of topics) {
    const tp = decided.filter((o) => o.truth === topic && o.decided === topic).length;
    const fp = decided.filter((o) => o.truth !== topic && o.decided === topic).length;
    const fn = decided.filter((o) => o.truth === topic && o.decided !== topic).length;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    f1s.push(f1);
    console.log(`${pad(topic, 22)} ${pad(fixed(precision), 10)} ${pad(fixed(recall), 10)} ${fixed(f1)}`);
  }
  const macro = f1s.reduce((a, b) => a + b, 0) / f1s.length;
  const accuracy = decided.filter((o) => o.decided === o.truth).length / decided.length;
  const unsure = decided.filter((o) => o.decided === 'overig' && o.truth !== 'overig').length;
  const gate = outcomes.filter((o) => o.chatWaits === CHAT_TOPICS.includes(o.truth)).length / outcomes.length;
  const missedChat = outcomes.filter((o) => CHAT_TOPICS.includes(o.truth) && !o.chatWaits).length;
  console.log(`macro-F1 ${fixed(macro)}   accuracy ${fixed(accuracy)}   to overig (unsure) ${unsure} of ${outcomes.length}`);
  console.log(
    `chat gate right ${fixed(gate)} (chat questions redirected: ${missedChat}; others kept waiting: ${outcomes.filter((o) => !CHAT_TOPICS.includes(o.truth) && o.chatWaits).length})`,
  );
  console.log(`\nconfusion (rows: truth, columns: best guess, before the threshold)`);
  const short = (t: string) => t.slice(0, 6);
  console.log(`${pad('', 22)} ${topics.map((t) => pad(short(t), 6)).join(' ')}`);
  for (const truth of topics) {
    const row = topics.map((guess) => pad(String(outcomes.filter((o) => o.truth === truth && o.guess === guess).length), 6));
    console.log(`${pad(truth, 22)} ${row.join(' ')}`);
  }
}

const dir = process.env['CLASSIFIER_TRAINING_DIR'];
const base = baseSet(dir);
const holdout = holdoutSet(dir);
const cv: Outcome[] = [];
let trainMs = 0;
for (const [i, test] of folds(base, FOLDS).entries()) {
  const train = folds(base, FOLDS)
    .filter((_, j) => j !== i)
    .flat();
  const result = run(train, test);
  cv.push(...result.outcomes);
  trainMs += result.trainMs;
}
report(`${FOLDS}-fold cross-validation on the base set (${base.length} lines)`, cv);
const final = run(base, holdout);
report(`trained on the whole base set, measured on the holdout set`, final.outcomes);
console.log(
  `\ntraining on ${base.length} lines: ${final.trainMs.toFixed(0)} ms (a fold: ${(trainMs / FOLDS).toFixed(0)} ms); classifying: ${final.classifyUs.toFixed(0)} µs a question`,
);
