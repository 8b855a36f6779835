import { sql } from 'drizzle-orm';
import { casesNamed, lockThreadKeys, reservedStatusToken, type NamedCase } from '../case.store.js';
import { isCaseContact } from '../contact.js';
import type { Tx } from '../db/database.js';
import { quotedReferences, threadKeys, threadLookupKeys } from '../thread.js';
import { openCase } from './case.opening.js';
import { readMessage, type RoutableMessage } from './read.js';
import type { RouteOutcome } from './outcome.js';
import type { RoutingSettings } from './settings.js';
import { joinCase, lockConversation, namesForNewCase } from './write.js';

/**
 * The case a message joins, and the numbers it quotes of cases it may not join. A quoted
 * number or a mail thread joins only the case's own contact (a stranger who knows a number
 * gets a case of their own, marked as mentioning it); the number and page reserved for this
 * message, and a chat conversation (the server's own token), join as they are. A live
 * conversation joins no other case at all: its visitor typed their name and address, and
 * whatever an agent answers goes straight back to them. A bounce joins only the case whose
 * mail of ours it returns (`bounceCase`).
 */
function caseToJoin(
  message: RoutableMessage,
  quoted: string[],
  named: NamedCase[],
  threaded: NamedCase | undefined,
): { existing: NamedCase | undefined; mentions: string[] } {
  const live = !!message.thread.conversationId;
  const reserved = (c: NamedCase) => c.reference === message.reference || (!!message.statusToken && c.statusToken === message.statusToken);
  const own = (c: NamedCase) => (isBounce(message) ? c.id === threaded?.id : reserved(c) || (!live && !!c.contact && isCaseContact(c.contact, message.sender)));
  const quotedCases = quoted.map((reference) => named.find((c) => c.reference === reference)).filter((c): c is NamedCase => !!c);
  const mentions = quotedCases.filter((c) => !own(c)).map((c) => c.reference);
  const byNumber = quotedCases.find((c) => c.status === 'open' && own(c));
  const byThread = threaded && (live || own(threaded)) ? threaded : undefined;
  return { existing: byNumber ?? byThread, mentions };
}

function isBounce(message: RoutableMessage): boolean {
  return typeof message.meta['bounceOf'] === 'string';
}

/**
 * The thread key of the mail of ours a bounce returns: only an outbox Message-ID counts.
 * A bounce gets no reply and changes nobody's address, but a forged one naming any thread
 * or number would still put its writer's text on somebody else's case.
 */
function bounceKeys(message: RoutableMessage, mailDomain: string): string[] {
  const id = String(message.meta['bounceOf']).trim().replace(/^<|>$/g, '').toLowerCase();
  return /^loket\.outbox\.\d+@/.test(id) && id.endsWith(`@${mailDomain.toLowerCase()}`) ? [`own:${id}`] : [];
}

/** Records on the case the other people's numbers its message quoted, for an agent to look at. */
async function markMentions(tx: Tx, caseId: number, mentions: string[]): Promise<void> {
  if (mentions.length === 0) return;
  await tx.execute(sql`
    update cases set attention = coalesce(attention, 'mentions-case'),
           mentions = (select jsonb_agg(distinct m) from jsonb_array_elements_text(coalesce(mentions, '[]'::jsonb) || ${JSON.stringify(mentions)}::jsonb) as m)
     where id = ${caseId}`);
}

/**
 * Routes a message under its row lock and the locks of its thread keys and quoted numbers,
 * so two messages of one thread never open two cases.
 */
export async function routeLocked(tx: Tx, settings: RoutingSettings, messageId: number): Promise<RouteOutcome> {
  const message = await readMessage(tx, messageId);
  if (!message) return { kind: 'missing' };
  if (message.routed && message.caseId) return { kind: 'already-routed', caseId: message.caseId, channel: message.channel };

  const keys = threadKeys(message.channel, message.thread);
  const lookupKeys = isBounce(message) ? bounceKeys(message, settings.mailDomain) : threadLookupKeys(message.channel, message.thread);
  const quoted = quotedReferences(settings.referencePrefix, message);
  if (message.reference) quoted.unshift(message.reference);
  // A reference reserved at intake may not have its case yet: whoever routes first opens it.
  await lockThreadKeys(tx, [...new Set([...keys, ...lookupKeys, ...quoted.map((reference) => `ref:${reference}`)])].sort());
  const conversationId = message.thread.conversationId;
  // A conversation's row is the lock of routeConversationLine too; taken after the keys, as there.
  if (conversationId) await lockConversation(tx, conversationId);
  const routed = { kind: 'routed', channel: message.channel, storedAt: message.createdAt, conversationId } as const;
  // A number quoted at intake by its contact, reserved by an earlier message whose case is
  // not open yet: the case opens with the page token that message's sender was given.
  if (message.reference && !message.statusToken) message.statusToken = await reservedStatusToken(tx, message.reference);

  // Twice at most: a message routed without locks (above) may open the case a moment
  // before this one would; then its insert conflicts and the second look finds that case.
  for (let look = 1; look <= 2; look += 1) {
    const { named, threaded } = await casesNamed(tx, { references: quoted, statusToken: message.statusToken, threadKeys: lookupKeys });
    const { existing, mentions } = caseToJoin(message, quoted, named, threaded);
    if (existing && (await joinCase(tx, message, existing, keys, { conversationId, requireUnrouted: false }))) {
      await markMentions(tx, existing.id, mentions);
      return { ...routed, caseId: existing.id, reference: existing.reference, newCase: false, topic: existing.topic, outboxIds: [], claimed: [] };
    }
    if (existing) continue; // closed a moment ago: look again
    // A thread the sender may not join is not taken along: its keys keep naming its own case.
    const ownKeys = threaded && !existing ? keys.filter((key) => !key.startsWith('mid:')) : keys;
    const opened = await openCase(tx, settings, {
      message,
      names: namesForNewCase(settings, message, named),
      keys: ownKeys,
      conversation: conversationId ? { id: conversationId, onlyFirst: false } : undefined,
    });
    if (opened) {
      await markMentions(tx, opened.caseId, mentions);
      return { ...routed, ...opened, newCase: true };
    }
  }
  throw new Error(`message ${message.id}: no case could be opened, its reference or page token stays taken`);
}
