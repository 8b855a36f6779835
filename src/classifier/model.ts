/**
 * Multinomial logistic regression (softmax) over sparse features, trained by stochastic
 * gradient descent with AdaGrad steps and L2 regularisation. A few hundred lines of training
 * text train in well under a second; a prediction is one pass over a message's features.
 *
 * Written here rather than taken from a package: the JavaScript packages for it hold dense
 * matrices (ml-logistic-regression: examples × vocabulary, tens of megabytes for this set)
 * or offer naive Bayes only, whose probabilities are too sure of themselves to put a
 * confidence threshold on. The features come from well-kept libraries (features.ts).
 */

/** One training example: its features and topic, and how much it counts (an agent's correction counts more). */
export interface Example {
  features: ReadonlyMap<string, number>;
  label: string;
  weight?: number;
}

export interface TrainOptions {
  epochs?: number;
  /** L2 regularisation per example seen. */
  l2?: number;
  learningRate?: number;
  /** The order examples are visited in is shuffled from this seed: the same data gives the same model. */
  seed?: number;
}

/** A label and how likely the model finds it. */
export interface Scored {
  label: string;
  probability: number;
}

export interface Model {
  labels: readonly string[];
  /** Feature name → its column. */
  vocabulary: ReadonlyMap<string, number>;
  /** Column-major: weights[column * labels.length + label]. */
  weights: Float64Array;
  bias: Float64Array;
}

const DEFAULTS = { epochs: 40, l2: 1e-4, learningRate: 0.2, seed: 1 } as const;

/** A small deterministic random source (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An example's features as columns of the vocabulary (unknown names left out). */
function columns(features: ReadonlyMap<string, number>, vocabulary: ReadonlyMap<string, number>): { index: Int32Array; value: Float64Array } {
  const index: number[] = [];
  const value: number[] = [];
  for (const [name, v] of features) {
    const column = vocabulary.get(name);
    if (column !== undefined) {
      index.push(column);
      value.push(v);
    }
  }
  return { index: Int32Array.from(index), value: Float64Array.from(value) };
}

function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    scores[k] = Math.exp(scores[k]! - max);
    sum += scores[k]!;
  }
  for (let k = 0; k < scores.length; k++) scores[k]! /= sum;
}

function scoresOf(model: Model, x: { index: Int32Array; value: Float64Array }): Float64Array {
  const k = model.labels.length;
  const scores = Float64Array.from(model.bias);
  for (let i = 0; i < x.index.length; i++) {
    const base = x.index[i]! * k;
    const v = x.value[i]!;
    for (let label = 0; label < k; label++) scores[label]! += model.weights[base + label]! * v;
  }
  softmaxInPlace(scores);
  return scores;
}

export function train(examples: readonly Example[], options: TrainOptions = {}): Model {
  const { epochs, l2, learningRate, seed } = { ...DEFAULTS, ...options };
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const vocabulary = new Map<string, number>();
  for (const example of examples) for (const name of example.features.keys()) if (!vocabulary.has(name)) vocabulary.set(name, vocabulary.size);
  const k = labels.length;
  const model: Model = { labels, vocabulary, weights: new Float64Array(vocabulary.size * k), bias: new Float64Array(k) };
  const squared = new Float64Array(vocabulary.size * k).fill(1e-8);
  const biasSquared = new Float64Array(k).fill(1e-8);
  const rows = examples.map((e) => ({ x: columns(e.features, vocabulary), y: labelIndex.get(e.label)!, weight: e.weight ?? 1 }));
  const order = rows.map((_, i) => i);
  const next = random(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const r of order) {
      const { x, y, weight } = rows[r]!;
      const p = scoresOf(model, x);
      for (let label = 0; label < k; label++) {
        const error = (p[label]! - (label === y ? 1 : 0)) * weight;
        biasSquared[label]! += error * error;
        model.bias[label]! -= (learningRate * error) / Math.sqrt(biasSquared[label]!);
        for (let i = 0; i < x.index.length; i++) {
          const at = x.index[i]! * k + label;
          const gradient = error * x.value[i]! + l2 * model.weights[at]!;
          squared[at]! += gradient * gradient;
          model.weights[at]! -= (learningRate * gradient) / Math.sqrt(squared[at]!);
        }
      }
    }
  }
  return model;
}

/** Every label with its probability, most likely first. */
export function predict(model: Model, features: ReadonlyMap<string, number>): Scored[] {
  const p = scoresOf(model, columns(features, model.vocabulary));
  return model.labels.map((label, i) => ({ label, probability: p[i]! })).sort((a, b) => b.probability - a.probability);
}
