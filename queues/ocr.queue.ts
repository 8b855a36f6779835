import { z } from 'zod';

/** Read the scans of one entered letter with Tesseract. */
export const OCR_QUEUE = 'ocr';
export const ocrJobSchema = z.object({ letterId: z.number().int().positive() });
export type OcrJob = z.infer<typeof ocrJobSchema>;
/** One job per letter: a second add while the first exists is a no-op. */
export const ocrJobId = (job: OcrJob) => `letter-${job.letterId}`;
