import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { localeSchema } from '../message.js';

/**
 * The team's own questions, one JSON object a line, kept in the repository under
 * `training/`: `base.jsonl` trains the model, `holdout.jsonl` only measures it (npm run
 * eval:classify). Written by the team in employees' words; nothing is downloaded.
 */
export const TRAINING_DIR = fileURLToPath(new URL('../../training', import.meta.url)).replace(/dist[\\/]training$/, 'training');

const lineSchema = z.object({ topic: z.string().min(1).max(100), lang: localeSchema, text: z.string().min(1).max(20_000) });
export type LabelledText = z.infer<typeof lineSchema>;

/** A JSONL file of labelled texts; a broken line names its file and number. */
export function readLabelled(file: string): LabelledText[] {
  const text = readFileSync(file, 'utf8');
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    const parsed = lineSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid line'}`);
    return [parsed.data];
  });
}

export const baseSet = (dir = TRAINING_DIR) => readLabelled(`${dir}/base.jsonl`);
export const holdoutSet = (dir = TRAINING_DIR) => readLabelled(`${dir}/holdout.jsonl`);
