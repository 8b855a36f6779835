import { createHash } from 'node:crypto';
import { classify as byKeywords, FALLBACK_TOPIC, type TopicRule } from '../classify.js';
import type { Db } from '../db/database.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Locale } from '../message.js';
import { activeCorrections, correctionsVersion, type Correction } from './corrections.js';
import { features } from './features.js';
import { predict, train, type Example, type Model, type Scored } from './model.js';
import { baseSet, type LabelledText } from './training-set.js';

/** An agent's correction counts this many times a line of the base set: it is what real questions look like here. */
export const CORRECTION_WEIGHT = 2;

/** Below this confidence a message's topic is `overig` and a person looks (admin setting `classify.confidence`). */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.3;

/** What classification says about a message. */
export interface TopicGuess {
  /** The topic the case gets: the best guess, or `overig` when it was not sure enough. */
  topic: string;
  /** Below the threshold: a person should look. */
  unsure: boolean;
  /** How the guess was made: the learned model, or the topics' keywords when there is no model. */
  source: 'model' | 'keywords';
  /** Every topic the model knows with its probability, most likely first (empty for keywords). */
  ranked: Scored[];
  /** How many of the message's words the model knows: 0 means it said nothing about a topic ("Hallo"). */
  evidence: number;
}

/** Trains a model on the base set and the corrections (each text as its features). */
export function trainTopicModel(base: readonly LabelledText[], corrections: readonly Correction[] = []): Model {
  const examples: Example[] = [
    ...base.map((line) => ({ features: features({ subject: '', text: line.text }, line.lang), label: line.topic })),
    ...corrections.map((c) => ({ features: features(c, c.locale), label: c.topic, weight: CORRECTION_WEIGHT })),
  ];
  return train(examples);
}

/** Models of a base set alone, by its content: processes (and tests) that start again reuse them. */
const baseModels = new Map<string, Model>();

function baseModel(base: readonly LabelledText[]): Model {
  const key = createHash('sha256').update(JSON.stringify(base)).digest('hex');
  let model = baseModels.get(key);
  if (!model) {
    if (baseModels.size >= 4) baseModels.clear();
    model = trainTopicModel(base);
    baseModels.set(key, model);
  }
  return model;
}

/**
 * The guess for a message with this model (none: keywords, then `overig`). A topic the
 * admins removed, or a guess under the threshold, gives `overig`, marked unsure.
 */
export function guessTopic(
  model: Model | undefined,
  message: { subject: string; text: string; locale?: Locale },
  topics: readonly TopicRule[],
  threshold: number,
): TopicGuess {
  if (!model) return { topic: byKeywords(message, topics).topic, unsure: false, source: 'keywords', ranked: [], evidence: 0 };
  const vector = features(message, message.locale ?? 'nl');
  const ranked = predict(model, vector);
  const evidence = [...vector.keys()].filter((name) => name.startsWith('w:') && model.vocabulary.has(name)).length;
  const best = ranked[0];
  const known = best && topics.some((topic) => topic.key === best.label);
  if (!best || !known || evidence === 0 || best.probability < threshold) return { topic: FALLBACK_TOPIC, unsure: true, source: 'model', ranked, evidence };
  return { topic: best.label, unsure: false, source: 'model', ranked, evidence };
}

/**
 * The process's model: trained at start from the base set in the repository and the agents'
 * corrections, and trained again when the corrections change (checked every `refreshMs`, so
 * a correction reaches every web and worker process within that time). When the base set
 * cannot be read the process classifies by keywords and says so in its log.
 */
export class TopicClassifier {
  private model: Model | undefined;
  private trainedOn: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private failedOnce = false;
  /** When the model in use was trained, and on how many examples (for the admin page). */
  info: { trainedAt: Date; baseExamples: number; corrections: number; labels: readonly string[] } | undefined;

  constructor(private readonly options: { db: Db; log: Logger; refreshMs?: number; base?: () => readonly LabelledText[] }) {}

  /** Trains the first model (awaited: a process routes with it from its first message) and starts watching for corrections. */
  async start(): Promise<void> {
    await this.refresh();
    const every = this.options.refreshMs ?? 30_000;
    this.timer = setInterval(() => void this.refresh(), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The model in use (undefined: keywords). */
  current(): Model | undefined {
    return this.model;
  }

  /** Trains again if the corrections changed since the model in use was trained. */
  refresh(): Promise<void> {
    this.refreshing ??= this.retrainIfChanged().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async retrainIfChanged(): Promise<void> {
    const { db, log } = this.options;
    let version: string;
    try {
      version = await correctionsVersion(db);
    } catch (err) {
      // The database is away for a moment: keep the model in use.
      log.warn({ err }, 'classifier could not check for corrections');
      return;
    }
    if (version === this.trainedOn && this.model) return;
    try {
      const base = (this.options.base ?? baseSet)();
      const corrections = await activeCorrections(db);
      const started = Date.now();
      this.model = corrections.length === 0 ? baseModel(base) : trainTopicModel(base, corrections);
      this.trainedOn = version;
      this.info = { trainedAt: new Date(), baseExamples: base.length, corrections: corrections.length, labels: this.model.labels };
      this.failedOnce = false;
      log.info({ ms: Date.now() - started, examples: base.length, corrections: corrections.length }, 'topic classifier trained');
    } catch (err) {
      // Without a model routing still works: by the topics' keywords, then overig.
      if (!this.failedOnce) log.error({ err, reason: errorMessage(err) }, 'topic classifier could not be trained; classifying by keywords');
      this.failedOnce = true;
    }
  }
}
