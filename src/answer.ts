import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from './db/database.js';
import { audit, cases, messages, outbox, threadKeys as threadKeyRows } from './db/schema.js';
import { outboxMessageId } from './outbox.js';
import { threadKeys } from './thread.js';
import { isCaseContact } from './contact.js';
import { answerRecipient, type Sender } from './message.js';
import { ANSWER_KIND, AnswerRefusedError, type AnswerRequest, type AnswerRoute, type Channel } from './channel.js';

async function lastInbound(db: Db, caseId: number): Promise<AnswerRequest['last'] | undefined> {
  const [row] = await db
    .select({ id: messages.id, channel: messages.channel, sender: messages.sender, subject: messages.subject, thread: messages.thread })
    .from(messages)
    .where(and(eq(messages.caseId, caseId), isNotNull(messages.routedAt)))
    .orderBy(desc(messages.receivedAt), desc(messages.id))
    .limit(1);
  return row && { id: row.id, channel: row.channel, sender: row.sender, subject: row.subject, conversationId: row.thread.conversationId };
}

/**
 * The case's contact, completed with the phone number of a call or the address of a letter
 * their latest message adds; a message somebody else wrote adds nothing. The e-mail address
 * and Reply-To always stay the case's own: a mail's From is easily forged, and a forged one
 * with the writer's own Reply-To would otherwise take the answer away. Answers go here,
 * never to whoever wrote last.
 */
function answerTo(contact: Sender, lastSender: Sender): Sender {
  if (!isCaseContact(contact, lastSender)) return answerRecipient(contact);
  return answerRecipient({
    ...contact,
    phone: contact.phone || lastSender.phone,
    postalAddress: contact.postalAddress ?? lastSender.postalAddress,
  });
}

/** The channels by name, as the composition root holds them. */
export type ChannelLookup = (name: string) => Channel | undefined;

/**
 * Decides how an answer leaves: over the channel of the case's last inbound message, to the
 * case's contact, unless that channel says otherwise (Channel.addressAnswer).
 */
export async function routeAnswer(
  db: Db,
  channels: ChannelLookup,
  owner: { id: number; subject: string; sender: Sender },
  text: string,
  agent: string,
  /** The agent chose another channel than the last message's: mail, when the contact has an address. */
  via?: string,
): Promise<AnswerRoute> {
  const last = await lastInbound(db, owner.id);
  if (!last) throw new AnswerRefusedError('Deze zaak heeft nog geen bericht om op te antwoorden.', 'NO_INBOUND');
  const channel = channels(last.channel);
  if (!channel) throw new AnswerRefusedError(`Onbekend kanaal ${last.channel}.`, 'UNKNOWN_CHANNEL', last.channel);
  const contact = answerTo(owner.sender, last.sender);
  const subject = `Antwoord op uw vraag: ${owner.subject || last.subject || 'uw bericht'}`;
  if (via && via !== last.channel) {
    const chosen = channels(via);
    if (!chosen?.answersByMail || !contact.email)
      throw new AnswerRefusedError('Dit antwoord kan niet per e-mail: de contactpersoon heeft geen e-mailadres.', 'NO_ADDRESS_FOR_MAIL');
    return { channel: chosen.name, kind: ANSWER_KIND, recipient: contact, subject, body: text, meta: { agent } };
  }
  const request: AnswerRequest = { last, contact, subject, text, agent };
  if (channel.addressAnswer) return channel.addressAnswer(request);
  return { channel: channel.name, kind: ANSWER_KIND, recipient: contact, subject, body: text, meta: { agent } };
}

/**
 * Writes the answer as an outbox row with its audit row, in one transaction. A mail answer
 * names the inbound mail it answers (message_id) when it is the first answer to it; a later
 * one keeps the thread through meta.inReplyToMessageId, as the outbox allows one row per
 * message and kind.
 */
export async function writeAnswer(
  db: Db,
  channels: ChannelLookup,
  owner: { id: number; reference: string; locale: string },
  route: AnswerRoute,
  actor: string,
  mailDomain: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    const values = {
      caseId: owner.id,
      channel: route.channel,
      kind: route.kind,
      locale: owner.locale === 'en' ? 'en' : 'nl',
      recipient: route.recipient,
      subject: route.subject,
      body: route.body,
      attachments: [...(route.attachments ?? [])],
      meta: route.inReplyToMessageId ? { ...route.meta, inReplyToMessageId: route.inReplyToMessageId } : route.meta,
    };
    let [inserted] = route.inReplyToMessageId
      ? await tx
          .insert(outbox)
          .values({ ...values, messageId: route.inReplyToMessageId })
          .onConflictDoNothing()
          .returning({ id: outbox.id })
      : [];
    [inserted] = inserted ? [inserted] : await tx.insert(outbox).values(values).returning({ id: outbox.id });
    if (!inserted) throw new Error(`answer on case ${owner.reference} was not written`);
    if (channels(route.channel)?.answersByMail) {
      // A reply to the answer's mail joins this case even without the reference in it.
      const [key] = threadKeys('email', { messageId: outboxMessageId(inserted.id, mailDomain), references: [] });
      if (key) await tx.insert(threadKeyRows).values({ key, caseId: owner.id }).onConflictDoNothing();
    }
    await tx.insert(audit).values({
      actor,
      action: 'case.answer',
      entity: 'case',
      entityId: owner.reference,
      data: { outboxId: inserted.id, channel: route.channel, kind: route.kind },
    });
    await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, owner.id));
    return inserted.id;
  });
}
