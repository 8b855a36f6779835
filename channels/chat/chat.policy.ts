import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, runPrepared, type Db } from '../../src/db/database.js';
import { CLAIMED_COLUMNS, claimedOutbox, type ClaimedColumns, type ClaimedOutbox } from '../../src/outbox.js';
import type { ConversationPolicy } from '../../src/routing/settings.js';
import type { Topic } from '../../src/topic.store.js';
import { chatGate, DEFAULT_CHAT_GATE } from '../../src/classifier/chat-gate.js';
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
 * One statement (writeDecisions); a conversation decided before (a retry, a second message)
 * is left as it is.
 */
export async function applyChatPolicy(db: Db, routed: RoutedChat, context: ChatPolicyContext): Promise<PolicyOutcome> {
  const { topic, conversationId } = routed.topic && routed.conversationId ? (routed as Required<RoutedChat>) : await readRouted(db, routed.messageId);
  if (!conversationId) return { kind: 'none' };
  const decision = chatConversationPolicy(context).decide(topic);
  const rows = await runPrepared<{ decided: string | null; redirect: ClaimedColumns | null; reference: string; status_token: string }>(
    db,
    sql`
    with input as (
      select 1::bigint as ord, ${conversationId}::text as conversation_id, ${routed.caseId}::bigint as case_id, ${routed.messageId}::bigint as message_id,
             ${decision.state}::text as state, ${decision.closedReason}::text as closed_reason, ${decision.reply?.kind ?? null}::text as closing_kind,
             ${decision.reply?.body.nl ?? null}::text as closing_nl, ${decision.reply?.body.en ?? null}::text as closing_en
    ), ${writeDecisions(sql`input`)}
    select (select ord from decided) as decided, (select row_to_json(r) from conversation_reply r) as redirect, c.reference, c.status_token
      from cases c
     where c.id = ${routed.caseId}`,
  );
  const [row] = rows;
  if (!row?.decided) return { kind: 'none' };
  if (decision.state === 'waiting') return { kind: 'waiting', conversationId };
  if (!row.redirect) return { kind: 'none' };
  const redirect = claimedOutbox(row.redirect, { reference: row.reference, statusToken: row.status_token }, null);
  return { kind: 'redirected', conversationId, redirect };
}

/**
 * The chat-only rule as routing applies it to a conversation's first line (in the statement
 * that opens its case, see ConversationPolicy), and applyChatPolicy to any other.
 */
export function chatConversationPolicy(context: ChatPolicyContext): ConversationPolicy {
  return {
    decide: (topic, evidence) => {
      // The learned classifier's view of the line when there is one (chat-gate.ts: unsure means waiting); else the topic.
      const waits =
        evidence && evidence.guess.ranked.length > 0
          ? chatGate(evidence.guess, evidence.chosen ?? undefined, context.chatTopics, DEFAULT_CHAT_GATE) === 'wait'
          : context.chatTopics.includes(topic);
      return waits
        ? { state: 'waiting', closedReason: null }
        : {
            state: 'closed',
            closedReason: 'redirected',
            reply: { kind: CHAT_REDIRECT_KIND, body: { nl: redirectFor('nl', context), en: redirectFor('en', context) } },
          };
    },
    writeDecisions,
  };
}

/**
 * The one place a conversation's decision is written (ConversationPolicy.writeDecisions):
 * in the statement that opens a conversation's first case, and in applyChatPolicy. Only a
 * new conversation is decided (the update takes its row lock and checks again), and only a
 * conversation decided here gets its closing answer, written claimed for the caller to send.
 */
function writeDecisions(source: SQL): SQL {
  return sql`decided as (
      update conversations set case_id = d.case_id, state = d.state, closed_reason = d.closed_reason,
             closed_at = case when d.state = 'waiting' then null else now() end,
             waiting_since = case when d.state = 'waiting' then now() else null end
        from ${source} d
       where d.state is not null and conversations.id = d.conversation_id and conversations.state = 'new'
      returning conversations.id, conversations.locale, conversations.visitor, d.ord, d.case_id, d.message_id,
                d.closed_reason, d.closing_kind, d.closing_nl, d.closing_en
    ), conversation_reply as (
      insert into outbox (case_id, message_id, channel, kind, locale, recipient, subject, body, meta, status, attempts, claimed_at)
      select d.case_id, d.message_id, 'chat', d.closing_kind, d.locale, d.visitor, '',
             case when d.locale = 'en' then d.closing_en else d.closing_nl end,
             jsonb_build_object('conversationId', d.id, 'closes', d.closed_reason), 'sending', 1, now()
        from decided d where d.closing_kind is not null
      on conflict do nothing
      returning ${CLAIMED_COLUMNS}, message_id
    )`;
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
