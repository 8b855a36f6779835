import type { Db } from '../db/database.js';
import type { CaseOpener } from './case.opening.js';
import { routeConversationLine } from './conversation-line.js';
import { routeLocked } from './locked.js';
import type { RouteOutcome } from './outcome.js';
import { readMessages, type MessageReader } from './read.js';
import { routeReserved } from './reserved.js';
import type { RoutingSettings } from './settings.js';

/** The parts a process's routers share, so their statements go together. */
export interface RoutingParts {
  /** Reads the message to route together with other routers' (without it, alone). */
  reader?: MessageReader;
  /** Opens cases on the lock-free ways together with other routers' (without it, alone). */
  opener?: CaseOpener;
}

/**
 * Threads a stored message into an open case or opens one, classifies it and writes
 * its acknowledgement to the outbox — atomically, so a retry after a crash either
 * finds the work done or does all of it. Three ways, tried in turn: a message named by
 * nothing but what intake reserved for it (reserved.ts) and a conversation's line
 * (conversation-line.ts) without locks, anything else, or whatever did not go as read,
 * under locks (locked.ts).
 */
export async function routeMessage(db: Db, settings: RoutingSettings, messageId: number, parts: RoutingParts = {}): Promise<RouteOutcome> {
  const message = await (parts.reader ? parts.reader.read(messageId) : readMessages(db, [messageId]).then(([one]) => one));
  if (!message) return { kind: 'missing' };
  if (message.routed && message.caseId) return { kind: 'already-routed', caseId: message.caseId, channel: message.channel };
  const lockFree = (await routeReserved(db, settings, message, parts.opener)) ?? (await routeConversationLine(db, settings, message, parts.opener));
  return lockFree ?? db.transaction((tx) => routeLocked(tx, settings, messageId));
}
