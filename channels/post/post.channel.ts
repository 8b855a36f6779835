import type { Worker } from 'bullmq';
import { and, lt, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { amsterdamDate, formatLongDate } from '../../src/calendar.js';
import type { Db } from '../../src/db/database.js';
import { PermanentError } from '../../src/errors.js';
import { storeBlob, type Intake } from '../../src/intake.js';
import type { Queues } from '../../queues/jobs.js';
import type { Channel, OutboundMessage, Receipt } from '../../src/channel.js';
import { letters } from '../../src/db/schema.js';
import type { WorkerSettings } from '../../queues/worker.options.js';
import { startOcrWorker } from './ocr.worker.js';
import { renderLetterPdf } from './letter.pdf.js';
import { registerLetterRoutes } from './letter.routes.js';
import type { ScanLimits } from './letter.parse.js';
import { registerPrintRoutes } from './print.routes.js';

export interface PostChannelOptions {
  /** Present in processes that receive (web, all); the routes are registered on start. */
  app?: FastifyInstance;
  db: Db;
  queues: Pick<Queues, 'add' | 'reschedule'>;
  limits: ScanLimits;
  letterhead: { organisation: string; returnAddress: string };
  /** Reading scans: the longest one tool run may take, and how many letters at once per worker process. */
  ocr: { timeoutMs: number; concurrency: number };
  log: Logger;
}

/** At most this many letters per sweep; the next sweep takes the rest. */
const SWEEP_BATCH = 1_000;

/**
 * Paper post. In: agents enter scanned letters, OCR reads them, the agent checks the
 * text and submits it. Out: a reply becomes a PDF letter in the print queue; an agent
 * prints it, posts it and marks it posted.
 */
export class PostChannel implements Channel {
  readonly name = 'post' as const;

  constructor(private readonly options: PostChannelOptions) {}

  async start(intake: Intake): Promise<void> {
    const { app, db, queues, limits } = this.options;
    if (!app) throw new Error('the post channel needs the HTTP app to receive');
    registerLetterRoutes(app, { db, intake, queues, limits });
    registerPrintRoutes(app, db);
  }

  /** Renders the row as a letter and stores the PDF; "sent" means: in the print queue. */
  async send(out: OutboundMessage): Promise<Receipt> {
    const address = out.recipient.postalAddress;
    if (!address?.street || !address.city) {
      throw new PermanentError(`outbox ${out.outboxId} has no postal address to print`, 'NO_POSTAL_ADDRESS');
    }
    const pdf = await renderLetterPdf({
      letterhead: this.options.letterhead,
      recipient: { name: out.recipient.name, postalAddress: address },
      date: formatLongDate(amsterdamDate(out.createdAt), out.locale),
      reference: out.case.reference,
      subject: out.subject,
      body: out.body,
    });
    const pdfSha256 = await storeBlob(this.options.db, pdf);
    return { channel: 'post', at: new Date().toISOString(), pdfSha256, printQueue: true };
  }

  /** Reads the scans of entered letters (OCR). */
  workers(settings: Omit<WorkerSettings, 'concurrency'>): Worker[] {
    const { db, ocr, log } = this.options;
    return [startOcrWorker({ db, timeoutMs: ocr.timeoutMs, log }, { ...settings, concurrency: ocr.concurrency })];
  }

  /** Letters whose scans were never read (their OCR job lost with Redis): read again. */
  async sweep(olderThanSeconds: number): Promise<Record<string, number>> {
    const unread = await this.options.db
      .select({ id: letters.id })
      .from(letters)
      .where(and(sql`${letters.status} = 'ocr'`, lt(letters.updatedAt, sql`now() - ${olderThanSeconds}::integer * interval '1 second'`)))
      .orderBy(letters.id)
      .limit(SWEEP_BATCH);
    for (const { id } of unread) await this.options.queues.reschedule('ocr', { letterId: id });
    return { letters: unread.length };
  }

  async stop(): Promise<void> {}
}
