import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';
import { cases, conversations, messages, outbox } from '../../src/db/schema.js';
import type { Topic } from '../../src/topic.store.js';
import type { ChatLocale, Contact } from './chat.protocol.js';
import { redirectText } from './chat.texts.js';
import { CHAT_REDIRECT_KIND } from './conversation.store.js';

export type PolicyOutcome =
  | { kind: 'none' }
  | { kind: 'waiting'; conversationId: string }
  | { kind: 'redirected'; conversationId: string; outboxId: number };

export interface ChatPolicyContext {
  /** Topic keys chat may handle (admin setting `chat.topics`). */
  chatTopics: readonly string[];
  topics: readonly Topic[];
  contact: Contact;
}

/**
 * The chat-only rule, applied once per conversation, after its first routed message:
 * a conversation whose case topic is a chat topic waits for an agent; any other gets a
 * polite automatic answer pointing to the form, mail and phone, and closes as redirected.
 * Idempotent: a retry finds the conversation decided and does nothing.
 */
export async function applyChatPolicy(db: Db, messageId: number, context: ChatPolicyContext): Promise<PolicyOutcome> {
  return db.transaction(async (tx) => {
    const [routed] = await tx
      .select({ conversationId: sql<string | null>`${messages.thread}->>'conversationId'`, caseId: cases.id, topic: cases.topic })
      .from(messages)
      .innerJoin(cases, eq(cases.id, messages.caseId))
      .where(eq(messages.id, messageId));
    if (!routed?.conversationId) return { kind: 'none' };
    const [conversation] = await tx.select().from(conversations).where(eq(conversations.id, routed.conversationId)).for('update');
    if (!conversation || conversation.state !== 'new') return { kind: 'none' };

    if (context.chatTopics.includes(routed.topic)) {
      await tx
        .update(conversations)
        .set({ state: 'waiting', caseId: routed.caseId, waitingSince: sql`now()` })
        .where(eq(conversations.id, conversation.id));
      return { kind: 'waiting', conversationId: conversation.id };
    }

    const locale = (conversation.locale === 'en' ? 'en' : 'nl') satisfies ChatLocale;
    const names = context.chatTopics.map((key) => {
      const topic = context.topics.find((t) => t.key === key);
      return (locale === 'en' ? topic?.nameEn : topic?.nameNl)?.toLowerCase() ?? key;
    });
    const [row] = await tx
      .insert(outbox)
      .values({
        caseId: routed.caseId,
        messageId,
        channel: 'chat',
        kind: CHAT_REDIRECT_KIND,
        locale,
        recipient: conversation.visitor,
        subject: '',
        body: redirectText(locale, context.contact, names),
        meta: { conversationId: conversation.id, closes: 'redirected' },
      })
      .returning({ id: outbox.id });
    if (!row) throw new Error('redirect insert returned no row');
    await tx
      .update(conversations)
      .set({ state: 'closed', closedReason: 'redirected', closedAt: sql`now()`, caseId: routed.caseId })
      .where(eq(conversations.id, conversation.id));
    return { kind: 'redirected', conversationId: conversation.id, outboxId: row.id };
  });
}
