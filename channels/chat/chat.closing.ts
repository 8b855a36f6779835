import type { Logger } from 'pino';
import type { Queues } from '../../queues/jobs.js';
import type { Db } from '../../src/db/database.js';
import { outbox } from '../../src/db/schema.js';
import type { ChatBus } from './chat.bus.js';
import type { ChatLine, ClosedReason } from './chat.protocol.js';
import { chatTexts } from './chat.texts.js';
import { closeConversation, closeIdleConversations, conversationHistory, type ConversationRow } from './conversation.store.js';

export const CHAT_TRANSCRIPT_KIND = 'chat-transcript';

export interface ClosingDeps {
  db: Db;
  bus: ChatBus;
  queues: Queues;
  log: Logger;
}

/**
 * Closes a conversation and tells everyone: the visitor, the agents following it, the
 * line when it was waiting; and mails the transcript when the visitor asked for it.
 * False when there was nothing to close.
 */
export async function closeAndTell(
  deps: ClosingDeps,
  conversationId: string,
  reason: ClosedReason,
  options: { onlyAgent?: string; transcript?: boolean } = {},
): Promise<boolean> {
  const closed = await closeConversation(deps.db, conversationId, reason, options.onlyAgent);
  if (!closed) return false;
  await afterClosing(deps, closed.row, reason, closed.wasWaiting, options.transcript);
  return true;
}

/** Closes conversations nobody said anything in for `minutes` (run by the sweep). */
export async function closeIdle(deps: ClosingDeps, minutes: number): Promise<number> {
  const idle = await closeIdleConversations(deps.db, minutes);
  for (const row of idle) await afterClosing(deps, row, 'timeout', row.state === 'waiting');
  return idle.length;
}

async function afterClosing(deps: ClosingDeps, row: ConversationRow, reason: ClosedReason, wasWaiting: boolean, transcript?: boolean): Promise<void> {
  deps.bus.closed(row.id, reason);
  if (wasWaiting) void deps.bus.lineChanged();
  await deps.bus.flush().catch((err: unknown) => deps.log.warn({ err, conversationId: row.id }, 'closing not published'));
  if ((transcript ?? row.transcript) && row.visitor.email) await mailTranscript(deps, row);
}

/** The transcript as an outbox row on the e-mail channel, sent like any answer. */
async function mailTranscript(deps: ClosingDeps, row: ConversationRow): Promise<void> {
  if (row.caseId === null) return; // nothing was said that reached a case
  const history = await conversationHistory(deps.db, row.id);
  if (history.length === 0) return;
  const locale = row.locale === 'en' ? 'en' : 'nl';
  const [inserted] = await deps.db
    .insert(outbox)
    .values({
      caseId: row.caseId,
      channel: 'email',
      kind: CHAT_TRANSCRIPT_KIND,
      locale,
      recipient: row.visitor,
      subject: chatTexts(locale).transcriptSubject,
      body: transcriptText(locale, history),
      meta: { transcriptOf: row.id },
    })
    .returning({ id: outbox.id });
  if (inserted) await deps.queues.add('deliver', { outboxId: inserted.id });
}

const timeFormat = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'short' });

export function transcriptText(locale: 'nl' | 'en', lines: ChatLine[]): string {
  const texts = chatTexts(locale);
  const who = { visitor: texts.you, agent: texts.agent, system: texts.system } as const;
  const body = lines.map((line) => `[${timeFormat.format(new Date(line.at))}] ${who[line.from]}:\n${line.text}`).join('\n\n');
  return `${texts.transcriptIntro}\n\n${body}\n`;
}
