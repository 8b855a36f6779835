import type { FastifyInstance } from 'fastify';
import type { Intake } from '../../src/intake.js';
import { outboxMessageId } from '../../src/outbox.js';
import type { TopicCache } from '../../src/topic.store.js';
import type { Channel, OutboundMessage, Receipt } from '../../src/channel.js';
import type { MailTransport } from '../../src/mail.js';
import { noticeMail } from './notice.js';
import type { IdentityVerifier } from '../../src/auth/portal-identity.js';
import { registerWebformRoutes, type WebformRouteOptions } from './webform.routes.js';

export interface WebformChannelOptions {
  /** Present in processes that receive (web, all); the routes are registered on start. */
  app?: FastifyInstance;
  topics: TopicCache;
  limits: WebformRouteOptions['limits'];
  rateLimit: WebformRouteOptions['rateLimit'];
  publicUrl: string;
  /** Checks the employees' portal's ID token on a form sent from inside the portal. */
  verifyIdentity?: IdentityVerifier;
  mail: MailTransport;
  mailFrom: string;
  mailDomain: string;
}

/**
 * The web contact form. A reply is shown on the case page (the sent outbox row is
 * what the page lists) and announced by mail when the sender gave an address.
 */
export class WebformChannel implements Channel {
  readonly name = 'webform' as const;
  /** Form questions are answered by mail. */
  readonly answersByMail = true;

  constructor(private readonly options: WebformChannelOptions) {}

  statusUrl = (token: string) => `${this.options.publicUrl}/zaak/${token}`;

  async start(intake: Intake): Promise<void> {
    if (!this.options.app) throw new Error('the webform channel needs the HTTP app to receive');
    registerWebformRoutes(this.options.app, {
      intake,
      topics: this.options.topics,
      limits: this.options.limits,
      rateLimit: this.options.rateLimit,
      statusUrl: this.statusUrl,
      verifyIdentity: this.options.verifyIdentity,
    });
  }

  async send(out: OutboundMessage): Promise<Receipt> {
    const at = new Date().toISOString();
    const address = out.recipient.email;
    if (!address) return { channel: 'webform', at, casePage: true };
    const mail = await this.options.mail.send({
      from: this.options.mailFrom,
      to: { name: out.recipient.name, address },
      ...noticeMail(out, this.statusUrl(out.case.statusToken)),
      messageId: outboxMessageId(out.outboxId, this.options.mailDomain),
      date: out.createdAt,
      automatic: true,
    });
    return { channel: 'webform', at, casePage: true, mail };
  }

  async stop(): Promise<void> {}
}
