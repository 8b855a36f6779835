import { and, eq, isNull, sql } from 'drizzle-orm';
import { routeAnswer, writeAnswer, type ChannelLookup } from '../answer.js';
import { AnswerRefusedError, type AnswerRoute } from '../channel.js';
import type { Db } from '../db/database.js';
import { audit, cases, complaints } from '../db/schema.js';
import type { Sender } from '../message.js';

/** The outbox kind of what the procedure tells the complainant: the acknowledgement and the progress (seed 004). */
export const COMPLAINT_LETTER_KIND = 'complaint-letter';

/** The case's attention when a complaint made by phone or chat cannot be confirmed in writing: no address known. */
export const NO_WRITTEN_ADDRESS = 'complaint-no-address';

export interface ComplaintLetterDeps {
  db: Db;
  channels: ChannelLookup;
  mailDomain: string;
  /** Hands the outbox row to a delivery worker; a failure leaves it to the outbox sweep. */
  deliver(outboxId: number): Promise<void>;
}

interface Owner {
  id: number;
  reference: string;
  locale: string;
  subject: string;
  sender: Sender;
}

const longDate = new Intl.DateTimeFormat('nl-NL', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });
const longDateEn = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });

/** What the procedure writes to the complainant, in their language. */
export const COMPLAINT_LETTERS = {
  nl: {
    acknowledgement: (reference: string, firstContactDue: Date, resolveDue: Date, byPhone: boolean) => ({
      subject: `Uw klacht is geregistreerd [${reference}]`,
      text: `Geachte heer/mevrouw,

${byPhone ? 'U hebt telefonisch een klacht bij ons ingediend. Met dit bericht bevestigen wij die schriftelijk.' : 'Wij hebben uw klacht ontvangen.'} Uw klacht is geregistreerd onder nummer ${reference}. Noem dit nummer als u contact met ons opneemt.

Een behandelaar neemt uiterlijk ${longDate.format(firstContactDue)} contact met u op. Wij streven ernaar uw klacht uiterlijk ${longDate.format(resolveDue)} op te lossen. De behandelaar is nooit de medewerker over wie uw klacht gaat.

Met vriendelijke groet,
Het contactcenter`,
    }),
    handler: (reference: string, handler: string, firstContactDue: Date) => ({
      subject: `Uw klacht wordt behandeld [${reference}]`,
      text: `Geachte heer/mevrouw,

Uw klacht met nummer ${reference} wordt behandeld door ${handler}. ${firstContactDue.getTime() > Date.now() ? `U hoort uiterlijk ${longDate.format(firstContactDue)} van ${handler}.` : `U hoort zo snel mogelijk van ${handler}.`}

Met vriendelijke groet,
Het contactcenter`,
    }),
    escalated: (reference: string) => ({
      subject: `Uw klacht is doorgestuurd naar de directeur [${reference}]`,
      text: `Geachte heer/mevrouw,

U liet ons weten dat uw klacht met nummer ${reference} niet naar tevredenheid is opgelost, en het is ons niet gelukt dat binnen de extra termijn alsnog te doen. Daarom hebben wij uw klacht doorgestuurd naar de directeur. U hoort van de directeur hoe uw klacht verder wordt behandeld.

Met vriendelijke groet,
Het contactcenter`,
    }),
  },
  en: {
    acknowledgement: (reference: string, firstContactDue: Date, resolveDue: Date, byPhone: boolean) => ({
      subject: `Your complaint has been registered [${reference}]`,
      text: `Dear Sir or Madam,

${byPhone ? 'You made a complaint to us by phone. This message confirms it in writing.' : 'We have received your complaint.'} It has been registered under number ${reference}. Please quote this number when you contact us.

A handler will contact you by ${longDateEn.format(firstContactDue)}. We aim to resolve your complaint by ${longDateEn.format(resolveDue)}. The handler is never the employee your complaint is about.

Kind regards,
The contact center`,
    }),
    handler: (reference: string, handler: string, firstContactDue: Date) => ({
      subject: `Your complaint is being handled [${reference}]`,
      text: `Dear Sir or Madam,

Your complaint number ${reference} is being handled by ${handler}. ${firstContactDue.getTime() > Date.now() ? `You will hear from ${handler} by ${longDateEn.format(firstContactDue)}.` : `You will hear from ${handler} as soon as possible.`}

Kind regards,
The contact center`,
    }),
    escalated: (reference: string) => ({
      subject: `Your complaint has been passed to the director [${reference}]`,
      text: `Dear Sir or Madam,

You told us that your complaint number ${reference} was not resolved to your satisfaction, and we did not manage to resolve it within the extra time. Your complaint has therefore been passed to the director, who will let you know how it is handled from here.

Kind regards,
The contact center`,
    }),
  },
} as const;

/**
 * Where a letter of the procedure goes: over the complainant's channel, but always in writing.
 * A mail or form complaint is answered by mail and a letter by post; a complaint made by phone
 * or in a chat is confirmed by mail (seed 004), when the contact has an address. Undefined when
 * there is no written way.
 */
async function writtenRoute(deps: ComplaintLetterDeps, owner: Owner, text: string): Promise<AnswerRoute | undefined> {
  try {
    const route = await routeAnswer(deps.db, deps.channels, owner, text, 'Loket');
    if (deps.channels(route.channel)?.answersByMail || route.channel === 'post') return route;
    return await routeAnswer(deps.db, deps.channels, owner, text, 'Loket', 'email');
  } catch (err) {
    if (err instanceof AnswerRefusedError) return undefined;
    throw err;
  }
}

/**
 * No written way to the complainant: the case asks an agent for an address (once; audited the
 * time it is set). The letter waits: the acknowledgement is tried again each round until an
 * address is known.
 */
async function askForAddress(db: Db, owner: Owner): Promise<void> {
  await db.transaction(async (tx) => {
    const flagged = await tx
      .update(cases)
      .set({ attention: NO_WRITTEN_ADDRESS, updatedAt: sql`now()` })
      .where(and(eq(cases.id, owner.id), isNull(cases.attention)))
      .returning({ id: cases.id });
    if (flagged.length > 0)
      await tx.insert(audit).values({ actor: 'Loket', action: 'complaint.no-written-address', entity: 'case', entityId: owner.reference, data: {} });
  });
}

/** Writes one letter of the procedure to the outbox over `route` (audited as an answer by Loket). */
const writeLetter = (deps: ComplaintLetterDeps, owner: Owner, route: AnswerRoute, letter: { subject: string; text: string }) =>
  writeAnswer(deps.db, deps.channels, owner, { ...route, kind: COMPLAINT_LETTER_KIND, subject: letter.subject, body: letter.text }, 'Loket', deps.mailDomain);

const lettersFor = (locale: string) => (locale === 'en' ? COMPLAINT_LETTERS.en : COMPLAINT_LETTERS.nl);

async function ownerOf(db: Db, caseId: number): Promise<(Owner & { channel: string }) | undefined> {
  const [row] = await db
    .select({ id: cases.id, reference: cases.reference, locale: cases.locale, subject: cases.subject, sender: cases.sender, channel: cases.channel })
    .from(cases)
    .where(eq(cases.id, caseId));
  return row;
}

/**
 * The acknowledgement of a registered complaint, once: claimed by setting acknowledged_at in
 * the transaction that writes it, so two sweeps write it once and a crash writes it again.
 * Without a written way to the complainant it waits, and the case asks for an address.
 */
export async function acknowledgeComplaint(deps: ComplaintLetterDeps, caseId: number): Promise<'written' | 'no-address' | 'done-already'> {
  const owner = await ownerOf(deps.db, caseId);
  if (!owner) return 'done-already';
  const route = await writtenRoute(deps, owner, '');
  if (!route) {
    await askForAddress(deps.db, owner);
    return 'no-address';
  }
  const outboxId = await deps.db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(complaints)
      .set({ acknowledgedAt: sql`now()` })
      .where(and(eq(complaints.caseId, caseId), isNull(complaints.acknowledgedAt)))
      .returning({ firstContactDue: complaints.firstContactDue, resolveDue: complaints.resolveDue });
    if (!claimed) return undefined;
    const letter = lettersFor(owner.locale).acknowledgement(owner.reference, claimed.firstContactDue, claimed.resolveDue, owner.channel === 'phone');
    const id = await writeLetter({ ...deps, db: tx }, owner, route, letter);
    // Written now: the case no longer asks for an address.
    await tx
      .update(cases)
      .set({ attention: null })
      .where(and(eq(cases.id, caseId), eq(cases.attention, NO_WRITTEN_ADDRESS)));
    return id;
  });
  if (outboxId === undefined) return 'done-already';
  await deps.deliver(outboxId);
  return 'written';
}

/** Tells the complainant of progress (seed 004): who handles the complaint, or that it went to the director. */
export async function tellProgress(
  deps: ComplaintLetterDeps,
  caseId: number,
  news: { kind: 'handler'; handler: string; firstContactDue: Date } | { kind: 'escalated' },
): Promise<number | undefined> {
  const owner = await ownerOf(deps.db, caseId);
  if (!owner) return undefined;
  const route = await writtenRoute(deps, owner, '');
  if (!route) {
    await askForAddress(deps.db, owner);
    return undefined;
  }
  const letters = lettersFor(owner.locale);
  const letter = news.kind === 'handler' ? letters.handler(owner.reference, news.handler, news.firstContactDue) : letters.escalated(owner.reference);
  const outboxId = await writeLetter(deps, owner, route, letter);
  await deps.deliver(outboxId);
  return outboxId;
}
