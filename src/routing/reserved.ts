import type { Db } from '../db/database.js';
import { quotedReferences, threadKeys } from '../thread.js';
import { openWithoutLocks, type CaseOpener } from './case.opening.js';
import type { RoutableMessage } from './read.js';
import type { RoutedOutcome } from './outcome.js';
import type { RoutingSettings } from './settings.js';

/**
 * Named by nothing but what intake reserved for it (a form's first message), a message
 * nearly always opens its case: do that in one statement, without a transaction or locks.
 * The unique indexes on reference and page token tell when another message got there
 * first, and the statement re-checks under the message's row lock that it is unrouted;
 * either way it writes nothing (undefined), and the message is routed the careful way.
 */
export async function routeReserved(
  db: Db,
  settings: RoutingSettings,
  message: RoutableMessage,
  opener: CaseOpener | undefined,
): Promise<RoutedOutcome | undefined> {
  const reserved = reservedNamesOnly(settings, message);
  if (!reserved) return undefined;
  const names = { number: { reference: reserved.reference }, statusToken: reserved.statusToken };
  const opened = await openWithoutLocks(db, opener, settings, { message, names, keys: [] });
  return (
    opened && { kind: 'routed', channel: message.channel, storedAt: message.createdAt, conversationId: message.thread.conversationId, ...opened, newCase: true }
  );
}

/** The number and page token reserved at intake, when the message names no other case or thread. */
function reservedNamesOnly(settings: RoutingSettings, message: RoutableMessage): { reference: string; statusToken: string } | undefined {
  const { reference, statusToken } = message;
  if (!reference || !statusToken || threadKeys(message.channel, message.thread).length > 0) return undefined;
  const quoted = quotedReferences(settings.referencePrefix, message);
  return quoted.every((other) => other === reference) ? { reference, statusToken } : undefined;
}
