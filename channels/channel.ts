import type { Intake } from '../src/intake.js';
import type { ChannelName, Sender } from '../src/message.js';

/** What leaves Loket: one outbox row with the case it belongs to. */
export interface OutboundMessage {
  outboxId: number;
  kind: string;
  locale: 'nl' | 'en';
  recipient: Sender;
  subject: string;
  body: string;
  createdAt: Date;
  case: { id: number; reference: string; statusToken: string };
  /** The mail ids of the message answered, for In-Reply-To / References. */
  inReplyTo?: string;
  references: string[];
  /** Channel specifics stored with the row (the chat conversation, ...). */
  meta: Record<string, unknown>;
}

/** Proof of delivery, stored on the outbox row. */
export interface Receipt {
  channel: ChannelName;
  at: string;
  [detail: string]: unknown;
}

/** One adapter per channel: receives into intake, sends over the same channel. */
export interface Channel {
  name: ChannelName;
  /** Begin receiving; every message goes through intake.accept. */
  start(intake: Intake): Promise<void>;
  /** Reply over this channel; throw TransientError to retry, PermanentError to give up. */
  send(out: OutboundMessage): Promise<Receipt>;
  /** Drain and close. */
  stop(): Promise<void>;
}

