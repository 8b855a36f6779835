import { sql } from 'drizzle-orm';
import { rowsOf, runPrepared, type Db } from '../../src/db/database.js';
import { CLAIMED_COLUMNS, claimedOutbox, type ClaimedColumns, type ClaimedOutbox } from '../../src/outbox.js';
import type { ConversationPolicy } from '../../src/routing.write.js';
import type { Topic } from '../../src/topic.store.js';
import type { Contact } from './chat.protocol.js';
import { redirectText } from './chat.texts.js';
import { CHAT_REDIRECT_KIND } from './conversation.store.js';

export type PolicyOutcome =
  | { kind: 'none' }
  | { kind: 'waiting'; conversationId: string }
  /** The redirect row, written claimed for the caller to send right away (see ClaimedOutbox). */
  | { kind: 'redirected'; conversationId: string; redirect: ClaimedOutbox };

export interface ChatPolicyContext {
  /** Topic keys chat may handle (admin setting `chat.topics`). */
  chatTopics: readonly string[];
  topics: readonly Topic[];
  contact: Contact;
}

/** A routed chat message: its case's topic decides. Absent topic or conversation: read them. */
export interface RoutedChat {
  messageId: number;
  caseId: number;
  topic?: string;
  conversationId?: string;
}

/**
 * The chat-only rule, applied once per conversation, after its first routed message:
 * a conversation whose case topic is a chat topic waits for an agent; any other gets a
 * polite automatic answer pointing to the form, mail and phone, and closes as redirected.
 * One statement under the conversation's row lock; a conversation decided before (a retry,
 * a second message) is left as it is.
 */
export async function applyChatPolicy(db: Db, routed: RoutedChat, context: ChatPolicyContext): Promise<PolicyOutcome> {
  const { topic, conversationId } = routed.topic && routed.conversationId ? (routed as Required<RoutedChat>) : await readRouted(db, routed.messageId);
  if (!conversationId) return { kind: 'none' };
  const decision = chatConversationPolicy(context)(topic);
  const allowed = decision.state === 'waiting';
  const rows = await runPrepared<{ decided: string | null; redirect: ClaimedColumns | null; reference: string; status_token: string }>(db, sql`
    with conversation as (
      select id, locale, visitor from conversations where id = ${conversationId} and state = 'new' for update
    ), redirect as (
      -- written claimed: the routing job sends it as soon as this commits
      insert into outbox (case_id, message_id, channel, kind, locale, recipient, subject, body, meta, status, attempts, claimed_at)
      select ${routed.caseId}, ${routed.messageId}, 'chat', ${CHAT_REDIRECT_KIND}, conversation.locale, conversation.visitor, '',
             case when conversation.locale = 'en' then ${decision.reply?.body.en ?? ''} else ${decision.reply?.body.nl ?? ''} end,
             jsonb_build_object('conversationId', conversation.id, 'closes', 'redirected'), 'sending', 1, now()
        from conversation where not ${allowed}
      on conflict do nothing
      returning ${CLAIMED_COLUMNS}
    ), decided as (
      update conversations set
        state = ${allowed ? 'waiting' : 'closed'},
        closed_reason = ${allowed ? null : 'redirected'},
        closed_at = case when ${allowed} then null else now() end,
        waiting_since = case when ${allowed} then now() else null end,
        case_id = ${routed.caseId}
      where id in (select id from conversation)
      returning id
    )
    select (select id from decided) as decided, (select row_to_json(redirect) from redirect) as redirect, c.reference, c.status_token
      from cases c
     where c.id = ${routed.caseId}`);
  const [row] = rows;
  if (!row?.decided) return { kind: 'none' };
  if (allowed) return { kind: 'waiting', conversationId };
  if (!row.redirect) return { kind: 'none' };
  const redirect = claimedOutbox(row.redirect, { reference: row.reference, statusToken: row.status_token }, null);
  return { kind: 'redirected', conversationId, redirect };
}

/**
 * The chat-only rule as routing applies it to a conversation's first line (in the statement
 * that opens its case, see ConversationPolicy), and applyChatPolicy to any other.
 */
export function chatConversationPolicy(context: ChatPolicyContext): ConversationPolicy {
  return (topic) =>
    context.chatTopics.includes(topic)
      ? { state: 'waiting', closedReason: null }
      : {
          state: 'closed',
          closedReason: 'redirected',
          reply: { kind: CHAT_REDIRECT_KIND, body: { nl: redirectFor('nl', context), en: redirectFor('en', context) } },
        };
}

/** The case topic and conversation of a message routed before (a retried job). */
async function readRouted(db: Db, messageId: number): Promise<{ topic: string; conversationId: string | undefined }> {
  const result = await db.execute(sql`
    select c.topic, m.thread->>'conversationId' as conversation_id
      from messages m join cases c on c.id = m.case_id where m.id = ${messageId}`);
  const [row] = rowsOf<{ topic: string; conversation_id: string | null }>(result);
  return { topic: row?.topic ?? '', conversationId: row?.conversation_id ?? undefined };
}

function redirectFor(locale: 'nl' | 'en', context: ChatPolicyContext): string {
  const names = context.chatTopics.map((key) => {
    const topic = context.topics.find((t) => t.key === key);
    return (locale === 'en' ? topic?.nameEn : topic?.nameNl)?.toLowerCase() ?? key;
  });
  return redirectText(locale, context.contact, names);
}
