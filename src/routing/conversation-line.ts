import type { Db } from '../db/database.js';
import { quotedReferences, threadKeys } from '../thread.js';
import { openWithoutLocks, type CaseOpener } from './case.opening.js';
import type { RoutableMessage } from './read.js';
import type { RoutedOutcome } from './outcome.js';
import type { RoutingSettings } from './settings.js';
import { joinCase, namesForNewCase } from './write.js';

/**
 * A line of a conversation (chat) that names nothing but its conversation joins the
 * conversation's open case, or opens the conversation's first case, in one statement
 * without a transaction. The conversation's row is the lock: the statement that opens a
 * case sets its case_id under that lock (and so does the careful way), and an opening
 * statement that finds case_id set by then writes nothing. Whatever does not go as read
 * (undefined) is left to the careful way.
 */
export async function routeConversationLine(
  db: Db,
  settings: RoutingSettings,
  message: RoutableMessage,
  opener: CaseOpener | undefined,
): Promise<RoutedOutcome | undefined> {
  const conversationId = message.thread.conversationId;
  if (!conversationId || message.reference || quotedReferences(settings.referencePrefix, message).length > 0) return undefined;
  const keys = threadKeys(message.channel, message.thread);
  const routed = { kind: 'routed', channel: message.channel, storedAt: message.createdAt, conversationId } as const;
  const current = message.conversationCase;
  if (current) {
    if (current.status !== 'open' || !(await joinCase(db, message, current, keys, { conversationId, requireUnrouted: true }))) return undefined;
    return { ...routed, caseId: current.id, reference: current.reference, newCase: false, topic: current.topic, outboxIds: [], claimed: [] };
  }
  const opened = await openWithoutLocks(db, opener, settings, {
    message,
    names: namesForNewCase(settings, message, []),
    keys,
    conversation: { id: conversationId, onlyFirst: true, policy: settings.conversationPolicy },
  });
  return opened && { ...routed, ...opened, newCase: true };
}
