import { amsterdamDate, formatLongDate } from '../../src/calendar.js';
import type { Db } from '../../src/db/database.js';
import type { AcceptResult, Intake } from '../../src/intake.js';
import type { InboundMessageInput } from '../../src/message.js';
import { markSubmitted, type LetterRow } from './letter.store.js';
import { TEXTS } from './post.texts.js';

/** The subject a letter gets: the date it carries, or the day it was entered. */
export function letterSubject(letter: Pick<LetterRow, 'letterDate' | 'createdAt'>): string {
  return letter.letterDate
    ? TEXTS.subject(formatLongDate(letter.letterDate, 'nl'))
    : TEXTS.subjectUndated(formatLongDate(amsterdamDate(letter.createdAt), 'nl'));
}

/** The message a checked letter becomes; its scans are already stored, so they travel as refs. */
export function letterMessage(letter: LetterRow, text: string): InboundMessageInput {
  return {
    channel: 'post',
    // One letter is one message however often it is submitted.
    externalId: `letter:${letter.id}`,
    // Received when it was entered: the answer deadline counts from then, not from the review.
    receivedAt: letter.createdAt,
    locale: 'nl',
    sender: letter.sender,
    subject: letterSubject(letter),
    text,
    attachments: letter.scans,
    meta: { letterId: letter.id, letterDate: letter.letterDate, enteredBy: letter.enteredBy },
  };
}

/**
 * Hands a checked letter to intake with a registration number reserved now, so the
 * agent can write it on the paper. The acknowledgement routing writes for it goes out
 * as a printed letter (PostChannel).
 */
export async function submitLetter(db: Db, intake: Intake, letter: LetterRow, text: string): Promise<AcceptResult> {
  const result = await intake.accept(letterMessage(letter, text), [], { reserveReference: true });
  await markSubmitted(db, letter.id, result.messageId);
  return result;
}
