import { and, asc, desc, eq, inArray, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { attachments, audit, caseNotes, cases, messages, outbox, users } from '../db/schema.js';
import type { Sender } from '../message.js';

export type CaseRow = typeof cases.$inferSelect;

/** One item of a case's thread, inbound or outbound or internal, in time order. */
export type ThreadEntry =
  | {
      kind: 'inbound';
      at: Date;
      id: number;
      channel: string;
      sender: Sender;
      subject: string;
      text: string;
      bounce: boolean;
      attachments: { sha256: string; filename: string; contentType: string; size: number }[];
    }
  | {
      kind: 'outbound';
      at: Date;
      id: number;
      channel: string;
      outboxKind: string;
      recipient: Sender;
      subject: string;
      body: string;
      status: string;
      lastError: string | null;
      agent: string | undefined;
    }
  | { kind: 'note'; at: Date; id: number; author: string; text: string }
  | { kind: 'audit'; at: Date; id: number; actor: string; action: string; data: Record<string, unknown>; assigneeName: string | null };

/** Audited acts on a case that the timeline shows; answers and notes are shown as themselves. */
const TIMELINE_ACTIONS = [
  'case.reclassify',
  'case.assign',
  'case.close',
  'case.reopen',
  'case.merged',
  'case.merged-in',
  'case.contact',
  'case.waiting',
  'case.team',
  'case.hr-loket',
  'case.compliment',
  'complaint.registered',
  'complaint.details',
  'complaint.handler',
  'complaint.involved',
  'complaint.first-contact',
  'complaint.urgent',
  'complaint.not-urgent',
  'complaint.resolved',
  'complaint.satisfied',
  'complaint.not-satisfied',
  'complaint.escalated',
  'complaint.improvement',
  'complaint.no-written-address',
];

export interface CaseView {
  row: CaseRow;
  assignee: string | null;
  /** The timeline in time order: all of it, or its latest items when a part was asked for. */
  thread: ThreadEntry[];
  /** How many items came before `thread` and were not read. */
  earlier: number;
}

export async function caseByReference(db: Db, reference: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.reference, reference));
  return row;
}

/**
 * A case with its thread across channels: messages, outbox rows, notes and audited acts by
 * time. With `latest`, only the latest that many items are read (each kind's latest, then the
 * latest of those), and the rest counted: a case of hundreds of messages sends one part.
 */
export async function loadCaseView(db: Db, reference: string, latest?: number): Promise<CaseView | undefined> {
  const row = await caseByReference(db, reference);
  if (!row) return undefined;
  const timelineAudit = and(eq(audit.entity, 'case'), eq(audit.entityId, row.reference), inArray(audit.action, TIMELINE_ACTIONS));
  const [inbound, outbound, notes, assignee, audited, counted] = await Promise.all([
    db
      .select({
        id: messages.id,
        at: messages.receivedAt,
        channel: messages.channel,
        sender: messages.sender,
        subject: messages.subject,
        text: messages.text,
        meta: messages.meta,
      })
      .from(messages)
      .where(eq(messages.caseId, row.id))
      .orderBy(...newestFirst(latest, messages.receivedAt, messages.id))
      .limit(latest ?? ALL),
    db
      .select()
      .from(outbox)
      .where(eq(outbox.caseId, row.id))
      .orderBy(...newestFirst(latest, outbox.createdAt, outbox.id))
      .limit(latest ?? ALL),
    db
      .select()
      .from(caseNotes)
      .where(eq(caseNotes.caseId, row.id))
      .orderBy(...newestFirst(latest, caseNotes.createdAt, caseNotes.id))
      .limit(latest ?? ALL),
    row.assigneeId === null ? [] : db.select({ name: users.name }).from(users).where(eq(users.id, row.assigneeId)),
    db
      .select({ id: audit.id, at: audit.at, actor: audit.actor, action: audit.action, data: audit.data, assigneeName: users.name })
      .from(audit)
      .leftJoin(users, sql`${users.id} = case when ${audit.data}->>'to' ~ '^[0-9]{1,15}$' then (${audit.data}->>'to')::bigint end`)
      .where(timelineAudit)
      .orderBy(...newestFirst(latest, audit.at, audit.id))
      .limit(latest ?? ALL),
    latest === undefined
      ? undefined
      : db
          .select({
            items: sql<number>`(select count(*) from ${messages} where ${messages.caseId} = ${row.id})
              + (select count(*) from ${outbox} where ${outbox.caseId} = ${row.id})
              + (select count(*) from ${caseNotes} where ${caseNotes.caseId} = ${row.id})
              + (select count(*) from ${audit} where ${timelineAudit})`.mapWith(Number),
          })
          .from(sql`(select 1) one`),
  ]);
  const files = inbound.length
    ? await db
        .select({
          messageId: attachments.messageId,
          sha256: attachments.sha256,
          filename: attachments.filename,
          contentType: attachments.contentType,
          size: attachments.size,
        })
        .from(attachments)
        .where(
          inArray(
            attachments.messageId,
            inbound.map((m) => m.id),
          ),
        )
        .orderBy(asc(attachments.id))
    : [];
  const thread: ThreadEntry[] = [
    ...inbound.map((m) => ({
      kind: 'inbound' as const,
      at: m.at,
      id: m.id,
      channel: m.channel,
      sender: m.sender,
      subject: m.subject,
      text: m.text,
      bounce: Boolean(m.meta['bounceOf']),
      attachments: files.filter((f) => f.messageId === m.id),
    })),
    ...outbound.map((o) => ({
      kind: 'outbound' as const,
      // Where the agent wrote it (the acts around it, closing or waiting, follow it), not where delivery happened to finish.
      at: o.createdAt,
      id: o.id,
      channel: o.channel,
      outboxKind: o.kind,
      recipient: o.recipient,
      subject: o.subject,
      body: o.body,
      status: o.status,
      lastError: o.lastError,
      agent: typeof o.meta['agent'] === 'string' ? o.meta['agent'] : undefined,
    })),
    ...notes.map((n) => ({ kind: 'note' as const, at: n.createdAt, id: n.id, author: n.author, text: n.text })),
    ...audited.map((a) => ({ kind: 'audit' as const, at: a.at, id: a.id, actor: a.actor, action: a.action, data: a.data, assigneeName: a.assigneeName })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  const shown = latest === undefined ? thread : thread.slice(Math.max(0, thread.length - latest));
  const total = counted?.[0]?.items ?? thread.length;
  return { row, assignee: assignee[0] ? displayName(assignee[0].name) : null, thread: shown, earlier: total - shown.length };
}

/** No limit (PostgreSQL's LIMIT ALL, as a number drizzle takes). */
const ALL = Number.MAX_SAFE_INTEGER;

/** Newest first when a part is asked for; in no particular order otherwise (the merge sorts). */
function newestFirst(latest: number | undefined, at: AnyColumn, id: AnyColumn): SQL[] {
  return latest === undefined ? [] : [desc(at), desc(id)];
}

/** The accounts a case can be assigned to: agents and coordinators (admins tune Loket, they take no cases). */
export async function assignableUsers(db: Db): Promise<{ id: number; name: string }[]> {
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(isNull(users.disabledAt), inArray(users.role, ['agent', 'coordinator'])))
    .orderBy(asc(users.name));
  return rows.map(({ id, name }) => ({ id, name: displayName(name) }));
}

/** An account's name as colleagues see it: never a whole e-mail address (one made without a name). */
export function displayName(name: string): string {
  return name.includes('@') ? name.slice(0, name.indexOf('@')) : name;
}
