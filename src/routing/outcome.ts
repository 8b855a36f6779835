import type { ClaimedOutbox } from '../outbox.js';
import type { OpenedCase } from './case.opening.js';

/** What routing one message came to. */
export type RouteOutcome =
  | { kind: 'missing' }
  | { kind: 'already-routed'; caseId: number; channel: string }
  | {
      kind: 'routed';
      caseId: number;
      reference: string;
      newCase: boolean;
      topic: string;
      /** Outbox rows written pending, for the deliver queue. */
      outboxIds: number[];
      /** Outbox rows written claimed for this caller to send (with `claimReplies`). */
      claimed: ClaimedOutbox[];
      channel: string;
      storedAt: Date;
      /** The conversation the message belongs to (chat), for what its channel does next. */
      conversationId: string | undefined;
      /** The conversation was decided by routing (RoutingSettings.conversationPolicy). */
      decided?: OpenedCase['decided'];
    };

/** What a way of routing gives: the outcome, or nothing when the message is not for it (or it did not go as read). */
export type RoutedOutcome = Extract<RouteOutcome, { kind: 'routed' }>;
