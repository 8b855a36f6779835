import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../../src/db/database.js';
import { referenceTag } from '../../src/acknowledgement.js';
import { PermanentError } from '../../src/errors.js';
import type { Intake } from '../../src/intake.js';
import { attachmentContents, AUTOMATIC_KINDS, outboxMessageId } from '../../src/outbox.js';
import { ANSWER_KIND, AnswerRefusedError, type AnswerRequest, type AnswerRoute, type Channel, type OutboundMessage, type Receipt } from '../../src/channel.js';
import type { ImapInbound } from './imap.inbound.js';
import type { MailTransport } from './mail.transport.js';
import { registerQuarantinePages } from './quarantine.pages.js';

export interface EmailChannelOptions {
  /** Present in processes that receive (web, all): the admin's quarantine pages are served there. */
  app?: FastifyInstance;
  db: Db;
  /** The mailbox reader; absent when IMAP_URL is unset or the process does not receive. */
  inbound?: ImapInbound;
  mail: MailTransport;
  mailFrom: string;
  mailDomain: string;
  log: Logger;
}

/** Mail in over IMAP, answers out over SMTP in the same thread, the reference in the subject. */
export class EmailChannel implements Channel {
  readonly name = 'email' as const;
  readonly answersByMail = true;

  constructor(private readonly options: EmailChannelOptions) {}

  async start(intake: Intake): Promise<void> {
    if (this.options.app) registerQuarantinePages(this.options.app, { db: this.options.db, intake });
    if (!this.options.inbound) {
      this.options.log.info({ channel: 'email' }, 'IMAP_URL unset: the mail channel receives nothing');
      return;
    }
    this.options.inbound.start(intake);
  }

  async send(out: OutboundMessage): Promise<Receipt> {
    const address = out.recipient.email;
    if (!address) throw new PermanentError(`outbox row ${out.outboxId} has no e-mail address`, 'NO_ADDRESS');
    const tag = referenceTag(out.case.reference);
    const mail = await this.options.mail.send({
      from: this.options.mailFrom,
      to: { name: out.recipient.name, address },
      subject: out.subject.includes(tag) ? out.subject : `${out.subject} ${tag}`,
      text: out.body,
      messageId: outboxMessageId(out.outboxId, this.options.mailDomain),
      date: out.createdAt,
      inReplyTo: out.inReplyTo,
      references: out.references,
      automatic: (AUTOMATIC_KINDS as readonly string[]).includes(out.kind),
      attachments: out.attachments?.length ? await attachmentContents(this.options.db, out.attachments) : undefined,
    });
    return { channel: 'email', at: new Date().toISOString(), mail };
  }

  /** In the thread of the latest mail (In-Reply-To), under its subject, to the case's contact. */
  async addressAnswer({ last, contact, text, agent }: AnswerRequest): Promise<AnswerRoute> {
    if (!contact.email) throw new AnswerRefusedError('De contactpersoon van deze zaak heeft geen e-mailadres.', 'NO_ADDRESS');
    const subject = last.subject.trim();
    return {
      channel: 'email',
      kind: ANSWER_KIND,
      recipient: contact,
      subject: /^re:/i.test(subject) ? subject : `Re: ${subject || 'uw bericht'}`,
      body: text,
      inReplyToMessageId: last.id,
      meta: { agent },
    };
  }

  async stop(): Promise<void> {
    await this.options.inbound?.stop();
  }
}
