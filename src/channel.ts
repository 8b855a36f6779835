import type { Worker } from 'bullmq';
import type { WorkerSettings } from '../queues/worker.options.js';
import type { Intake } from './intake.js';
import type { AttachmentRef, ChannelName, Sender } from './message.js';
import type { ClaimedOutbox } from './outbox.js';
import type { ConversationPolicy } from './routing/settings.js';

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
  /** Files an agent attached to an answer (mail answers only); the bytes are in blobs. */
  attachments?: readonly AttachmentRef[];
}

/** Proof of delivery, stored on the outbox row. */
export interface Receipt {
  channel: ChannelName;
  at: string;
  [detail: string]: unknown;
}

/** A routed message, as what its channel does next needs it; topic and conversation are unknown on a retry. */
export interface RoutedMessage {
  messageId: number;
  caseId: number;
  channel: string;
  topic?: string;
  conversationId?: string;
  /** Routing decided the conversation already (RoutingSettings.conversationPolicy). */
  decided?: { state: 'waiting' | 'closed' };
}

/** The outbox kind of an agent's answer (a chat line keeps the chat's own kind). */
export const ANSWER_KIND = 'answer';

/** An agent's answer to a case whose latest message came in over a channel: where should it go? */
export interface AnswerRequest {
  /** The latest routed inbound message of the case. */
  last: { id: number; channel: string; sender: Sender; subject: string; conversationId: string | undefined };
  /** The case's contact, completed with what their latest message adds: answers go here. */
  contact: Sender;
  /** The subject an answer gets when its channel has nothing better. */
  subject: string;
  text: string;
  agent: string;
}

/** Where an answer goes: the outbox row's channel, recipient and thread, before it is written. */
export interface AnswerRoute {
  channel: ChannelName;
  kind: string;
  recipient: Sender;
  subject: string;
  body: string;
  /** The inbound mail this answers (In-Reply-To), for mail answers. */
  inReplyToMessageId?: number;
  meta: Record<string, unknown>;
  /** Files the agent attached (stored as blobs first); only a mail answer carries them. */
  attachments?: readonly AttachmentRef[];
}

/** A call-back an agent asks for on a case (e.g. a specialist of the HR-loket). */
export interface CallbackRequest {
  caseId: number;
  /** Whom to call: name and number. */
  recipient: Sender;
  /** What the call is about, for whoever calls. */
  note: string;
  /** Why (one open request per case and purpose), e.g. 'hr-loket'. */
  purpose: string;
  requestedBy: string;
}

/** Which refusal an AnswerRefusedError is: the page says it by this code in the agent's language. */
export type AnswerRefusal = 'NO_INBOUND' | 'UNKNOWN_CHANNEL' | 'CHAT_CLOSED_NO_EMAIL' | 'NO_ADDRESS' | 'NO_ADDRESS_FOR_MAIL';

/** Why an answer could not be written; `message` is for the agent, in Dutch, `code` says which refusal it is. */
export class AnswerRefusedError extends Error {
  override name = 'AnswerRefusedError';
  constructor(
    message: string,
    readonly code: AnswerRefusal,
    /** The channel an UNKNOWN_CHANNEL refusal names. */
    readonly channel?: string,
  ) {
    super(message);
  }
}

/** The refusals in English, by code (the Dutch words are the error's own message). */
const ANSWER_REFUSALS_EN: Record<AnswerRefusal, (channel: string) => string> = {
  NO_INBOUND: () => 'This case has no message to answer yet.',
  UNKNOWN_CHANNEL: (channel) => `Unknown channel ${channel}.`,
  CHAT_CLOSED_NO_EMAIL: () => 'The chat is closed and the visitor gave no e-mail address. The answer cannot be sent; get in touch another way.',
  NO_ADDRESS: () => 'The contact of this case has no e-mail address.',
  NO_ADDRESS_FOR_MAIL: () => 'This answer cannot go by e-mail: the contact has no e-mail address.',
};

/** Why an answer was refused, in the agent's language (src/workspace/language.ts uiLocale). */
export const answerRefusal = (err: AnswerRefusedError, lang: 'nl' | 'en'): string =>
  lang === 'en' ? ANSWER_REFUSALS_EN[err.code](err.channel ?? '') : err.message;

/**
 * One adapter per channel: receives into intake, sends over the same channel. The core
 * knows channels only through this port: what a channel does beyond receiving and
 * sending, it does in the optional hooks below, which the core asks for by name.
 */
export interface Channel {
  readonly name: ChannelName;
  /** Begin receiving; every message goes through intake.accept. In processes that receive. */
  start(intake: Intake): Promise<void>;
  /** Reply over this channel; throw TransientError to retry, PermanentError to give up. */
  send(out: OutboundMessage): Promise<Receipt>;
  /** Drain and close. */
  stop(): Promise<void>;
  /** The answers of this channel leave as mail (a reply to one joins its case by its Message-ID). */
  readonly answersByMail?: boolean;
  /**
   * A message of this channel was routed (committed): what the channel does next (chat:
   * the conversation waits for an agent or is redirected). Returns outbox rows to send
   * right away, in the routing job. In worker processes.
   */
  afterRoute?(routed: RoutedMessage): Promise<(number | ClaimedOutbox)[]>;
  /** The decision routing writes when a conversation's first line opens its case (asked once per routing job). */
  conversationPolicy?(): Promise<ConversationPolicy>;
  /** Where an agent's answer goes when the case's latest message came in here; without it: this channel, to the contact. */
  addressAnswer?(request: AnswerRequest): Promise<AnswerRoute>;
  /**
   * Finds this channel's unfinished work (the sweep, every SWEEP_SECONDS in worker
   * processes): what is older than `olderThanSeconds` and still undone. Returns counts by kind.
   */
  sweep?(olderThanSeconds: number): Promise<Record<string, number>>;
  /**
   * Somebody must call the case's contact back (the phone channel: a call-back task on its
   * list). Returns the task's id, or undefined when an open one of this `purpose` exists.
   */
  requestCallback?(request: CallbackRequest): Promise<number | undefined>;
  /** The queue workers this channel runs in worker processes (post: OCR), each at the concurrency it chooses. */
  workers?(settings: Omit<WorkerSettings, 'concurrency'>): Worker[];
}
