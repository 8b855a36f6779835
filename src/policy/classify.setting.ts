import { z } from 'zod';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../classifier/topic-classifier.js';

/**
 * How sure the topic classifier must be: below `threshold` (its probability for the best
 * topic) a message gets topic `overig` and its case is marked for a person to classify.
 */
export const classifyConfidenceSchema = z.object({
  threshold: z.number('Vul een getal in.').min(0, 'Minstens 0.').max(1, 'Hoogstens 1.'),
});
export type ClassifyConfidenceSetting = z.infer<typeof classifyConfidenceSchema>;

export const DEFAULT_CLASSIFY_CONFIDENCE: ClassifyConfidenceSetting = { threshold: DEFAULT_CONFIDENCE_THRESHOLD };
