import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '../db/database.js';
import { channelNameSchema, type Locale } from '../message.js';
import type { Topic } from '../topic.store.js';
import { decideRouting, type RuleSet, type TopicGuesser } from './routing.decision.js';
import type { RuleOutcome } from './rules.js';

/** A message typed in by the admin to try the rules on. */
export const typedMessageSchema = z.object({
  channel: channelNameSchema.default('email'),
  from: z.string().trim().max(320).default(''),
  subject: z.string().max(998).default(''),
  text: z.string().max(100_000).default(''),
  hasAttachment: z.boolean().default(false),
});
export type TypedMessage = z.infer<typeof typedMessageSchema>;

export interface DryRunMessage {
  id?: number;
  channel: string;
  from: string | undefined;
  subject: string;
  text: string;
  hasAttachment: boolean;
  topicHint: string | null;
  locale: Locale;
  receivedAt: Date;
}

export interface DryRunRow {
  message: { id?: number; channel: string; from: string | undefined; subject: string };
  current: RuleOutcome;
  proposed: RuleOutcome;
  /** The fields that differ: topic, team, priority, replyTemplate. */
  changed: ('topic' | 'team' | 'priority' | 'replyTemplate')[];
  /** What the topic classifier made of the message: its best topic and how sure, and the runner-up. */
  recognised: {
    source: 'model' | 'keywords';
    best?: { topic: string; probability: number };
    runnerUp?: { topic: string; probability: number };
    unsure: boolean;
  };
}

const FIELDS = ['topic', 'team', 'priority', 'replyTemplate'] as const;

/** What the proposed rules would decide for each message, next to what the current ones decide. Writes nothing. */
export function dryRun(messages: readonly DryRunMessage[], topics: readonly Topic[], current: RuleSet, proposed: RuleSet, guess?: TopicGuesser): DryRunRow[] {
  return messages.map((message) => {
    const { guess: recognised, unsure: _unsure, ...before } = decideRouting(message, topics, current, guess);
    const { guess: _same, unsure, ...after } = decideRouting(message, topics, proposed, guess);
    const [best, runnerUp] = recognised.ranked;
    return {
      message: { id: message.id, channel: message.channel, from: message.from, subject: message.subject },
      current: before,
      proposed: after,
      changed: FIELDS.filter((field) => (before[field] ?? null) !== (after[field] ?? null)),
      recognised: {
        source: recognised.source,
        best: best && { topic: best.label, probability: best.probability },
        runnerUp: runnerUp && { topic: runnerUp.label, probability: runnerUp.probability },
        unsure,
      },
    };
  });
}

/** A typed message as routing would see it, received now. */
export function typedToDryRun(typed: TypedMessage, now: Date): DryRunMessage {
  return { ...typed, from: typed.from || undefined, topicHint: null, locale: 'nl', receivedAt: now };
}

/** The last `limit` messages that opened or joined a case, newest first. */
export async function recentMessages(db: Db, limit = 500): Promise<DryRunMessage[]> {
  const result = await db.execute(sql`
    select m.id, m.channel, m.sender->>'email' as sender_email, m.subject, left(m.text, 20000) as text, m.topic_hint, m.locale,
           m.received_at, exists (select 1 from attachments a where a.message_id = m.id) as has_attachment
      from messages m order by m.id desc limit ${limit}`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    id: Number(row['id']),
    channel: String(row['channel']),
    from: (row['sender_email'] as string | null) ?? undefined,
    subject: String(row['subject'] ?? ''),
    text: String(row['text'] ?? ''),
    hasAttachment: row['has_attachment'] === true,
    topicHint: (row['topic_hint'] as string | null) ?? null,
    locale: row['locale'] === 'en' ? 'en' : 'nl',
    receivedAt: new Date(row['received_at'] as string),
  }));
}
