import type { FastifyInstance } from 'fastify';
import { amsterdamDate, formatLongDate } from '../../src/calendar.js';
import type { Db } from '../../src/db/database.js';
import { PermanentError } from '../../src/errors.js';
import { storeBlob, type Intake } from '../../src/intake.js';
import type { Queues } from '../../queues/jobs.js';
import type { Channel, OutboundMessage, Receipt } from '../channel.js';
import { renderLetterPdf } from './letter.pdf.js';
import { registerLetterRoutes } from './letter.routes.js';
import type { ScanLimits } from './letter.parse.js';
import { registerPrintRoutes } from './print.routes.js';

export interface PostChannelOptions {
  /** Present in processes that receive (web, all); the routes are registered on start. */
  app?: FastifyInstance;
  db: Db;
  queues: Pick<Queues, 'add'>;
  limits: ScanLimits;
  letterhead: { organisation: string; returnAddress: string };
}

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

  async stop(): Promise<void> {}
}
