import { sql } from 'drizzle-orm';
import type { NamedCase } from '../case.store.js';
import { runPrepared, type Db, type Tx } from '../db/database.js';
import { GroupCommit } from '../group-commit.js';
import type { ChannelName, Locale, Sender, ThreadHints } from '../message.js';

/** The columns of a message that routing reads. */
export interface RoutableMessage {
  id: number;
  channel: ChannelName;
  locale: Locale;
  sender: Sender;
  subject: string;
  text: string;
  thread: ThreadHints;
  topicHint: string | null;
  meta: Record<string, unknown>;
  reference: string | null;
  statusToken: string | null;
  caseId: number | null;
  routed: boolean;
  hasAttachment: boolean;
  receivedAt: Date;
  createdAt: Date;
  /** A chat line's conversation's case, as the lock-free read saw it (never read under locks). */
  conversationCase?: NamedCase | null;
}

/** The message, locked until the transaction ends so two routers never route it at once. */
export async function readMessage(tx: Tx, messageId: number): Promise<RoutableMessage | undefined> {
  const [row] = await runPrepared<Record<string, unknown>>(
    tx,
    sql`
    select ${ROUTABLE_COLUMNS} from messages where id = ${messageId} for update`,
  );
  return row && routable(row);
}

/** The messages with these ids, in their order (undefined where one does not exist); without locks. */
export async function readMessages(db: Db, messageIds: number[]): Promise<(RoutableMessage | undefined)[]> {
  const rows = await runPrepared<Record<string, unknown>>(
    db,
    sql`
    select ${ROUTABLE_COLUMNS},
           (select jsonb_build_object('id', k.id, 'reference', k.reference, 'status', k.status, 'statusToken', k.status_token, 'topic', k.topic)
              from conversations cv join cases k on k.id = cv.case_id
             where cv.id = messages.thread->>'conversationId') as conversation_case
      from messages where ${byIds(messageIds)}`,
  );
  const byId = new Map(rows.map((row) => [Number(row['id']), routable(row)]));
  return messageIds.map((id) => byId.get(id));
}

/**
 * `id = $1` for one id, whose plan PostgreSQL keeps; for `= any($1)` it guesses ten ids,
 * finds a fresh plan for the real few cheaper, and so plans again on every call.
 */
function byIds(ids: number[]) {
  return ids.length === 1 ? sql`id = ${ids[0]}` : sql`id = any(${`{${ids.join(',')}}`}::bigint[])`;
}

/**
 * Reads messages for routing: messages asked for while an earlier read runs are read
 * together, in one statement (GroupCommit), as routers working at once ask for theirs.
 */
export class MessageReader {
  private readonly group: GroupCommit<number, RoutableMessage | undefined>;

  constructor(db: Db) {
    this.group = new GroupCommit((ids) => readMessages(db, ids));
  }

  read(messageId: number): Promise<RoutableMessage | undefined> {
    return this.group.run(messageId);
  }
}

const ROUTABLE_COLUMNS = sql.raw(`id, channel, locale, sender, subject, text, thread, topic_hint, meta, reference, status_token, case_id,
       routed_at is not null as routed, received_at, created_at,
       exists (select 1 from attachments a where a.message_id = messages.id) as has_attachment`);

function routable(row: Record<string, unknown>): RoutableMessage {
  return {
    ...(row as Omit<RoutableMessage, 'id' | 'caseId' | 'topicHint' | 'statusToken' | 'receivedAt' | 'createdAt'>),
    id: Number(row['id']),
    topicHint: row['topic_hint'] as string | null,
    statusToken: row['status_token'] as string | null,
    hasAttachment: row['has_attachment'] === true,
    caseId: row['case_id'] === null ? null : Number(row['case_id']),
    receivedAt: new Date(row['received_at'] as string),
    createdAt: new Date(row['created_at'] as string),
    conversationCase: row['conversation_case'] ? { ...(row['conversation_case'] as NamedCase), id: Number((row['conversation_case'] as NamedCase).id) } : null,
  };
}
