import type { ChannelName, ThreadHints } from './message.js';
import { findReferences } from './reference.js';

/**
 * The keys that tie a message to a thread. Mail ids are channel-independent
 * (a form notice may be answered by mail); conversations are per channel.
 */
export function threadKeys(channel: ChannelName, hints: ThreadHints): string[] {
  const keys = new Set<string>();
  const mailId = (id: string | undefined) => {
    const clean = id?.trim().replace(/^<|>$/g, '').toLowerCase();
    if (clean) keys.add(`mid:${clean}`);
  };
  mailId(hints.messageId);
  mailId(hints.inReplyTo);
  for (const reference of hints.references) mailId(reference);
  if (hints.conversationId) keys.add(`conv:${channel}:${hints.conversationId}`);
  return [...keys].sort();
}

/** Registration numbers a message names: the channel's hint first, then subject, then text. */
export function quotedReferences(
  prefix: string,
  message: { subject: string; text: string; thread: ThreadHints },
): string[] {
  const hint = message.thread.caseRef ? findReferences(prefix, message.thread.caseRef) : [];
  return [...new Set([...hint, ...findReferences(prefix, message.subject, message.text)])];
}
