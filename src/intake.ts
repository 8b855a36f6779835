import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { amsterdamDate } from './calendar.js';
import { findQuotedCases, newStatusToken } from './case.store.js';
import { isCaseContact } from './contact.js';
import type { Db, Tx } from './db/database.js';
import { attachments, blobs, cases, messages } from './db/schema.js';
import { inboundMessageSchema, type AttachmentRef, type InboundMessage, type InboundMessageInput } from './message.js';
import { GroupCommit, togetherOrAlone } from './group-commit.js';
import { insertMessage, insertMessages, isDuplicateMessage, type BatchInsert, type Reservation } from './message.store.js';
import { quotedReferences } from './thread.js';

/** Bytes a channel received, before they are stored as a blob. */
export interface IncomingFile {
  filename: string;
  contentType: string;
  content: Uint8Array;
  contentId?: string;
}

export interface AcceptOptions {
  /**
   * Tell the sender a registration number and case page now (form, phone, post):
   * the one of the open case the message quotes, or a new one reserved for it.
   */
  reserveReference?: boolean;
  /** The message exactly as it arrived (a raw mail), kept as a blob whatever else happens. */
  raw?: Uint8Array;
}

export interface AcceptResult {
  messageId: number;
  duplicate: boolean;
  reference?: string;
  statusToken?: string;
}

/** Where stored messages are announced for routing; PostgreSQL stays the truth. */
export interface RouteScheduler {
  scheduleRoute(messageIds: number[]): Promise<void>;
}

/** A message checked against the schema, with its files hashed. */
export interface PreparedMessage {
  message: InboundMessage;
  stored: { file: IncomingFile; sha256: string }[];
}

export const sha256Hex = (content: Uint8Array) => createHash('sha256').update(content).digest('hex');

/** A message without files or raw source, waiting to be inserted with others. */
interface PendingInsert {
  message: InboundMessage;
  reservation: Reservation;
}

/** What became of one message of a batch: inserted, stored before, or its own error. */
type InsertOutcome = { inserted: BatchInsert } | { failed: unknown };

/**
 * The one way in: store blobs and the message in one transaction (a second message
 * with the same channel + external id is a no-op returning the first), then schedule
 * routing. When scheduling fails the message is safe: the sweep schedules it later.
 */
export class Intake {
  constructor(
    private readonly db: Db,
    private readonly scheduler: RouteScheduler,
    private readonly options: {
      referencePrefix: string;
      log: Logger;
      onAccepted?: (channel: string) => void;
      /** How long a sender waits for the route job to be added before intake answers anyway. */
      scheduleTimeoutMs?: number;
      /** Whether the queue's Redis is connected: while it is not, nobody waits for an add (the sweep schedules). */
      schedulerReady?: () => boolean;
    },
  ) {}

  /**
   * Messages without files that arrive while an insert is on its way go together, in one
   * statement: a burst of form messages takes the registration counter's lock once per
   * batch, not once per message (each of those waited for the commit before it).
   */
  private readonly inserts = new GroupCommit<PendingInsert, InsertOutcome>((batch) => this.insertBatch(batch), 100);

  /**
   * Checks a message with its files against the schema (the files count against its
   * limits too: a mail with 101 attachments is invalid). Throws ZodError.
   */
  prepare(input: InboundMessageInput, files: IncomingFile[] = []): PreparedMessage {
    const stored = files.map((file) => ({ file, sha256: sha256Hex(file.content) }));
    const message: InboundMessage = inboundMessageSchema.parse({
      ...input,
      attachments: [
        ...(input.attachments ?? []),
        ...stored.map(({ file, sha256 }): AttachmentRef => ({
          sha256,
          filename: file.filename,
          contentType: file.contentType,
          size: file.content.byteLength,
          contentId: file.contentId,
        })),
      ],
    });
    return { message, stored };
  }

  async accept(input: InboundMessageInput, files: IncomingFile[] = [], opts: AcceptOptions = {}): Promise<AcceptResult> {
    const { message, stored } = this.prepare(input, files);
    // Read before writing: the counter row is locked from taking a number until commit.
    const reservation = opts.reserveReference ? await this.reservationFor(message) : ({ kind: 'none' } as const);

    // No look-up first: the unique index decides, and a duplicate fails the insert
    // (undoing everything it did) and returns the first.
    const outcome = await this.store(message, stored, opts.raw, reservation).catch((err: unknown) => {
      if (isDuplicateMessage(err)) return 'duplicate' as const;
      throw err;
    });
    const result = outcome === 'duplicate' ? await this.first(message) : outcome;

    if (!result.duplicate) this.options.onAccepted?.(message.channel);
    if (!result.routed) await this.schedule([result.messageId]);
    const { routed: _routed, ...answer } = result;
    return answer;
  }

  /** A message without files is one statement; with files, their blobs go first in one transaction. */
  private async store(
    message: InboundMessage,
    stored: PreparedMessage['stored'],
    raw: Uint8Array | undefined,
    reservation: Reservation,
  ): Promise<AcceptResult & { routed: boolean }> {
    const fresh = (row: { id: number; reference: string | null; statusToken: string | null }) => ({
      messageId: row.id,
      duplicate: false,
      routed: false,
      ...(row.reference ? { reference: row.reference } : {}),
      ...(row.reference && row.statusToken ? { statusToken: row.statusToken } : {}),
    });
    if (!raw && message.attachments.length === 0) {
      const outcome = await this.inserts.run({ message, reservation });
      if ('failed' in outcome) throw outcome.failed;
      return outcome.inserted === 'duplicate' ? this.first(message) : fresh(outcome.inserted);
    }
    return this.db.transaction(async (tx) => {
      const rawSha256 = raw ? await storeBlob(tx, raw) : undefined;
      for (const { file, sha256 } of stored) await storeBlob(tx, file.content, sha256);
      const row = await insertMessage(tx, message, { rawSha256, reservation });
      if (message.attachments.length > 0) {
        await tx.insert(attachments).values(message.attachments.map((a) => ({ ...a, messageId: row.id })));
      }
      return fresh(row);
    });
  }

  /**
   * Many prepared messages of one channel in one transaction (a mailbox backlog): blobs,
   * messages and attachments as multi-row inserts, route jobs added in bulk. Same rules
   * as accept: a message already stored is a duplicate that returns the first.
   */
  async acceptMany(items: { prepared: PreparedMessage; raw?: Uint8Array }[]): Promise<AcceptResult[]> {
    if (items.length === 0) return [];
    const results = await this.db.transaction(async (tx) => {
      const blobRows = new Map<string, Uint8Array>();
      const raws = items.map(({ raw }) => (raw ? sha256Hex(raw) : undefined));
      items.forEach(({ prepared, raw }, i) => {
        if (raw) blobRows.set(raws[i]!, raw);
        for (const { file, sha256 } of prepared.stored) blobRows.set(sha256, file.content);
      });
      if (blobRows.size > 0) {
        await tx
          .insert(blobs)
          .values([...blobRows].map(([sha256, content]) => ({ sha256, size: content.byteLength, content })))
          .onConflictDoNothing();
      }
      const inserted = await tx
        .insert(messages)
        .values(items.map(({ prepared: { message } }, i) => ({ ...messageColumns(message), rawSha256: raws[i] })))
        .onConflictDoNothing({ target: [messages.channel, messages.externalId] })
        .returning({ id: messages.id, externalId: messages.externalId });
      const newIds = new Map(inserted.map((row) => [row.externalId, row.id]));
      const attachmentRows = items.flatMap(({ prepared: { message } }) => {
        const id = newIds.get(message.externalId);
        // Attach to the first item of an external id only: a second copy in the batch is a duplicate.
        if (id === undefined) return [];
        newIds.delete(message.externalId);
        return message.attachments.map((a) => ({ ...a, messageId: id }));
      });
      if (attachmentRows.length > 0) await tx.insert(attachments).values(attachmentRows);
      const fresh = new Map(inserted.map((row) => [row.externalId, row.id]));
      const claimed = new Set<string>();
      const answers: (AcceptResult & { routed: boolean })[] = [];
      for (const {
        prepared: { message },
      } of items) {
        const id = fresh.get(message.externalId);
        if (id !== undefined && !claimed.has(message.externalId)) {
          claimed.add(message.externalId);
          answers.push({ messageId: id, duplicate: false, routed: false });
        } else {
          const first = await this.findExisting(tx, message);
          if (!first) throw new Error(`message ${message.externalId} neither inserted nor found`);
          answers.push(first);
        }
      }
      return answers;
    });
    for (const [i, result] of results.entries()) if (!result.duplicate) this.options.onAccepted?.(items[i]!.prepared.message.channel);
    const unrouted = [...new Set(results.filter((r) => !r.routed).map((r) => r.messageId))];
    await this.schedule(unrouted);
    return results.map(({ routed: _routed, ...answer }) => answer);
  }

  /**
   * A batch of waiting inserts: one statement per registration counter (all of them, but
   * at the turn of a year); a lone message, or a batch that met a concurrent copy of one of
   * its messages, one at a time. Each message gets its own outcome: one that fails does
   * not fail the others, which are stored.
   */
  private async insertBatch(batch: PendingInsert[]): Promise<InsertOutcome[]> {
    const outcomes: InsertOutcome[] = new Array(batch.length);
    const groups = new Map<string, number[]>();
    batch.forEach(({ reservation: r }, i) => {
      const key = r.kind === 'new' ? `${r.prefix}-${r.year}` : '';
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const indexes of groups.values()) {
      const written = await togetherOrAlone(
        indexes.map((i) => batch[i]!),
        async (items) => (await insertMessages(this.db, items)).map((inserted): InsertOutcome => ({ inserted })),
        ({ message, reservation }) =>
          insertMessage(this.db, message, { reservation }).then(
            (inserted): InsertOutcome => ({ inserted }),
            (err: unknown): InsertOutcome => (isDuplicateMessage(err) ? { inserted: 'duplicate' } : { failed: err }),
          ),
        isDuplicateMessage,
      );
      written.forEach((outcome, j) => (outcomes[indexes[j]!] = outcome));
    }
    return outcomes;
  }

  /** The message stored first under this one's channel + external id (this one is its duplicate). */
  private async first(message: InboundMessage): Promise<AcceptResult & { routed: boolean }> {
    const first = await this.findExisting(this.db, message);
    if (!first) throw new Error(`message ${message.channel}/${message.externalId} refused as a duplicate, but not found`);
    return first;
  }

  private async findExisting(tx: Tx | Db, message: InboundMessage) {
    const [row] = await tx
      .select({ id: messages.id, reference: messages.reference, statusToken: messages.statusToken, routedAt: messages.routedAt, caseId: messages.caseId })
      .from(messages)
      .where(and(eq(messages.channel, message.channel), eq(messages.externalId, message.externalId)))
      .limit(1);
    if (!row) return undefined;
    let { reference, statusToken } = row;
    if (row.caseId) {
      // The case's page token only when this message brought it: a message that joined
      // another person's case by a quoted number must not hand out that case's page.
      const [owner] = await tx.select({ reference: cases.reference, statusToken: cases.statusToken }).from(cases).where(eq(cases.id, row.caseId));
      if (owner) ({ reference, statusToken } = { reference: owner.reference, statusToken: owner.statusToken === row.statusToken ? row.statusToken : null });
    }
    return {
      messageId: row.id,
      duplicate: true,
      routed: row.routedAt !== null,
      reference: reference ?? undefined,
      statusToken: statusToken ?? undefined,
    };
  }

  /**
   * The open case (or the reserved number) the message quotes when its sender is that case's
   * contact, else a new number: a stranger who quotes a number gets a case (and a case page)
   * of their own, never the other person's.
   */
  private async reservationFor(message: InboundMessage): Promise<Reservation> {
    const { referencePrefix: prefix } = this.options;
    const references = quotedReferences(prefix, message);
    const quoted = (await findQuotedCases(this.db, references)).find((found) => isCaseContact(found.contact, message.sender));
    if (quoted) return { kind: 'known', reference: quoted.reference };
    return { kind: 'new', prefix, year: Number(amsterdamDate(new Date()).slice(0, 4)), statusToken: newStatusToken() };
  }

  private async schedule(messageIds: number[]): Promise<void> {
    if (messageIds.length === 0) return;
    const { log, scheduleTimeoutMs = 2_000, schedulerReady = () => true } = this.options;
    const scheduled = this.scheduler.scheduleRoute(messageIds).then(
      () => true,
      (err: unknown) => {
        log.warn({ err, messageIds }, 'route not scheduled; the sweep will schedule it');
        return true;
      },
    );
    // With Redis away the add waits in the client for a reconnect, however long that takes;
    // the sender, whose message is stored, does not wait with it.
    // Redis away: the add waits in the client's queue for the reconnect; nobody waits with it.
    if (!schedulerReady()) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), scheduleTimeoutMs)));
    if (!(await Promise.race([scheduled, late]))) log.warn({ messageIds }, 'route not scheduled yet; the sweep will schedule it');
    clearTimeout(timer);
  }
}

/** The columns of a message row that come from the message itself. */
function messageColumns(message: InboundMessage) {
  return {
    channel: message.channel,
    externalId: message.externalId,
    receivedAt: message.receivedAt,
    locale: message.locale,
    sender: message.sender,
    subject: message.subject,
    text: message.text,
    html: message.html,
    thread: message.thread,
    topicHint: message.topicHint,
    meta: message.meta,
  };
}

/** Stores bytes once under their sha256 and returns it. */
export async function storeBlob(tx: Tx | Db, content: Uint8Array, sha256 = sha256Hex(content)): Promise<string> {
  await tx.insert(blobs).values({ sha256, size: content.byteLength, content }).onConflictDoNothing();
  return sha256;
}
