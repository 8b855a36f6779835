import type { ChannelName, ThreadHints } from './message.js';
import { findReferences } from './reference.js';

/**
 * The keys a message leaves on its case, for later messages to find it by. Mail ids are
 * channel-independent (a form notice may be answered by mail); conversations are per
 * channel. A message's own Message-ID is kept apart (`own:`) from the ids it answers
 * (`mid:`): two different mails may carry one Message-ID, and the second must not join the
 * first's case through it.
 */
export function threadKeys(channel: ChannelName, hints: ThreadHints): string[] {
  const keys = new Set<string>();
  const own = mailId(hints.messageId);
  if (own) keys.add(`own:${own}`);
  for (const id of answeredIds(hints)) keys.add(`mid:${id}`);
  if (hints.conversationId) keys.add(`conv:${channel}:${hints.conversationId}`);
  return [...keys].sort();
}

/**
 * The keys a message looks for its case by: the ids it answers, whether a stored message
 * carried them as its own or answered them too; and its own id where a message that arrived
 * first answered it (a reply routed before its question).
 */
export function threadLookupKeys(channel: ChannelName, hints: ThreadHints): string[] {
  const keys = new Set<string>();
  const own = mailId(hints.messageId);
  if (own) keys.add(`mid:${own}`);
  for (const id of answeredIds(hints)) {
    keys.add(`mid:${id}`);
    keys.add(`own:${id}`);
  }
  if (hints.conversationId) keys.add(`conv:${channel}:${hints.conversationId}`);
  return [...keys].sort();
}

function answeredIds(hints: ThreadHints): string[] {
  return [hints.inReplyTo, ...hints.references].map(mailId).filter((id): id is string => !!id);
}

function mailId(id: string | undefined): string | undefined {
  return id?.trim().replace(/^<|>$/g, '').toLowerCase() || undefined;
}

/** Registration numbers a message names: the channel's hint first, then subject, then text. */
export function quotedReferences(prefix: string, message: { subject: string; text: string; thread: ThreadHints }): string[] {
  const hint = message.thread.caseRef ? findReferences(prefix, message.thread.caseRef) : [];
  return [...new Set([...hint, ...findReferences(prefix, message.subject, message.text)])];
}
