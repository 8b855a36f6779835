import { UnrecoverableError, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { failOcr, finishOcr } from './letter.store.js';
import { blobContents } from '../../src/files.js';
import { readScans } from './ocr.js';
import type { Db } from '../../src/db/database.js';
import { letters } from '../../src/db/schema.js';
import { errorMessage, PermanentError } from '../../src/errors.js';
import { OCR_QUEUE, ocrJobSchema, type OcrJob } from '../../queues/ocr.queue.js';
import { isLastAttempt, workerOptions, type WorkerSettings } from '../../queues/worker.options.js';

export interface OcrWorkerDeps {
  db: Db;
  /** Longest one tool run may take (OCR_TIMEOUT_SECONDS). */
  timeoutMs: number;
  log: Logger;
}

/**
 * Reads the scans of entered letters. A transient failure is retried by BullMQ; a
 * permanent one, or the last attempt, marks the letter failed so the agent types it.
 */
export function startOcrWorker(deps: OcrWorkerDeps, settings: WorkerSettings): Worker<OcrJob> {
  const worker = new Worker<OcrJob>(
    OCR_QUEUE,
    async (job) => {
      const payload = ocrJobSchema.safeParse(job.data);
      if (!payload.success) throw new UnrecoverableError(`invalid ocr payload: ${payload.error.message}`);
      const { letterId } = payload.data;
      const log = deps.log.child({ jobId: job.id, letterId, channel: 'post' });
      const [letter] = await deps.db.select().from(letters).where(eq(letters.id, letterId));
      if (!letter) throw new UnrecoverableError(`letter ${letterId} does not exist`);
      if (letter.status !== 'ocr') return; // read before, or the agent went ahead without it

      const started = Date.now();
      try {
        const contents = await blobContents(deps.db, letter.scans);
        const text = await readScans(
          letter.scans.map((scan, i) => ({ contentType: scan.contentType, content: contents[i]! })),
          { timeoutMs: deps.timeoutMs },
        );
        await finishOcr(deps.db, letterId, text);
        log.info({ ms: Date.now() - started, scans: letter.scans.length, chars: text.length }, 'letter read');
      } catch (err) {
        const lastAttempt = isLastAttempt(job);
        if (!(err instanceof PermanentError) && !lastAttempt) {
          log.warn({ err, attempt: job.attemptsMade + 1 }, 'ocr failed; will retry');
          throw err;
        }
        await failOcr(deps.db, letterId, errorMessage(err));
        log.error({ err }, 'ocr given up; the agent types the text');
        throw new UnrecoverableError(errorMessage(err));
      }
    },
    workerOptions(settings),
  );
  worker.on('error', (err) => deps.log.error({ err }, 'ocr worker error'));
  return worker;
}
