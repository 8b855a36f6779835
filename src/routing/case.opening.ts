import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { acknowledgement, tooLargeNotice } from '../acknowledgement.js';
import { decideRouting, templatedReply } from '../policy/routing.decision.js';
import type { PlainDate } from '../calendar.js';
import { DEFAULT_OFFICE_HOURS } from '../office-hours.js';
import { DEFAULT_SLA, slaTargetFor } from '../policy/sla.setting.js';
import { deadlinesFrom } from '../sla/working-time.js';
import { numberingCtes, numberTaken } from '../case.store.js';
import { allRows, runPrepared, type Db, type Tx } from '../db/database.js';
import { GroupCommit, togetherOrAlone } from '../group-commit.js';
import { answerRecipient, type ThreadHints } from '../message.js';
import { AUTOMATIC_KINDS, CLAIMED_COLUMNS, claimedOutbox, type AutomaticReply, type ClaimedColumns, type ClaimedOutbox } from '../outbox.js';
import type { RoutableMessage } from './read.js';
import type { ConversationDecision, ConversationPolicy, RoutingSettings } from './settings.js';
import { attentionFor, type CaseNumber } from './write.js';

/** A case whose topic the classifier was not sure of: a person chooses it. */
export const TOPIC_UNSURE = 'topic-unsure';

/** A case to open for a message, under these names, with these thread keys. */
export interface CaseOpening {
  message: RoutableMessage;
  names: { number: CaseNumber; statusToken: string };
  keys: string[];
  /**
   * A chat line's conversation: pointed at the new case; with onlyFirst, only if it has none
   * yet (else nothing is written); with a policy, decided too while it is still new.
   */
  conversation?: { id: string; onlyFirst: boolean; policy?: ConversationPolicy };
}

/** A case openCase opened, with what it wrote to send. */
export interface OpenedCase {
  caseId: number;
  reference: string;
  topic: string;
  /** Outbox rows written pending, for the deliver queue. */
  outboxIds: number[];
  /** Outbox rows written claimed, for the caller to send now. */
  claimed: ClaimedOutbox[];
  /** The chat line's conversation was decided by this statement (see ConversationDecision). */
  decided?: { state: ConversationDecision['state'] };
}

/**
 * An opening with everything its statement writes worked out in advance (topic, rules,
 * texts, the conversation's decision): one row of the statement. Prepared with the routing
 * job's own settings, so openings of jobs with different settings still go together.
 */
export interface PreparedOpening {
  messageId: number;
  channel: string;
  topic: string;
  team: string | null;
  priority: string;
  attention: string | null;
  subject: string;
  sender: string;
  locale: string;
  statusToken: string;
  answerBy: PlainDate;
  answerDue: string;
  firstResponseDue: string;
  /** The number reserved at intake, or null: the statement takes the next of `counter`. */
  known: string | null;
  counter: { prefix: string; year: number } | null;
  /** What the texts hold where the number goes (the number itself when it is known). */
  placeholder: string;
  keys: string[];
  conversation?: { id: string; onlyFirst: boolean; decision?: ConversationDecision; writeDecisions?: ConversationPolicy['writeDecisions'] };
  reply?: AutomaticReply;
  thread: ThreadHints;
  /** Write the automatic reply claimed, for the caller to send (RoutingSettings.claimReplies). */
  claim: boolean;
  autoReplyLimit: number;
  mailDomain: string;
}

/** Works out what opening a case for this message writes (no database). */
export function prepareOpening(settings: RoutingSettings, { message, names, keys, conversation }: CaseOpening): PreparedOpening {
  const { number, statusToken } = names;
  const known = 'reference' in number ? number.reference : null;
  const placeholder = known ?? `{loket-reference-${randomBytes(12).toString('hex')}}`;
  const { topic, team, priority, replyTemplate, guess, unsure } = decideRouting(
    { ...message, from: message.sender.email },
    settings.topics,
    settings.ruleSet,
    settings.guess,
  );
  // The promise (sla.targets) for this channel, topic and priority, in working time: the answer at closing time on its day.
  const hours = settings.ruleSet?.officeHours ?? DEFAULT_OFFICE_HOURS;
  const target = slaTargetFor(settings.sla ?? DEFAULT_SLA, { channel: message.channel, topic, priority });
  const { answerBy, answerDue, firstResponseDue } = deadlinesFrom(message.receivedAt, target, hours);
  const templated = templatedReply(settings.ruleSet, replyTemplate, { locale: message.locale, reference: placeholder, answerBy, name: message.sender.name });
  return {
    messageId: message.id,
    channel: message.channel,
    topic,
    team,
    priority,
    attention: attentionFor(message) ?? (unsure ? TOPIC_UNSURE : null),
    subject: message.subject,
    sender: JSON.stringify(message.sender),
    locale: message.locale,
    statusToken,
    answerBy,
    answerDue: answerDue.toISOString(),
    firstResponseDue: firstResponseDue.toISOString(),
    known,
    counter: 'next' in number ? number.next : null,
    placeholder,
    keys,
    conversation: conversation && {
      id: conversation.id,
      onlyFirst: conversation.onlyFirst,
      decision: conversation.policy?.decide(topic, { guess, chosen: message.topicHint }),
      writeDecisions: conversation.policy?.writeDecisions,
    },
    reply: message.meta['suppressAutoReply'] === true ? undefined : automaticReply(message, placeholder, answerBy, templated),
    thread: message.thread,
    claim: settings.claimReplies === true,
    autoReplyLimit: settings.autoReplyLimit,
    mailDomain: settings.mailDomain.toLowerCase(),
  };
}

/**
 * Opens a case for the message and writes its acknowledgement, in one statement; nothing at
 * all when a case has the number or the page token already, or when the message was routed
 * in the meantime (checked under its row lock).
 */
export async function openCase(tx: Db | Tx, settings: RoutingSettings, opening: CaseOpening): Promise<OpenedCase | undefined> {
  const [opened] = await openCases(tx, [prepareOpening(settings, opening)]);
  return opened;
}

/** A case opened outside a transaction: with other routers' at once when there is an opener. */
export function openWithoutLocks(db: Db, opener: CaseOpener | undefined, settings: RoutingSettings, opening: CaseOpening): Promise<OpenedCase | undefined> {
  return opener ? opener.open(settings, opening) : openCase(db, settings, opening);
}

/** A row of what openCasesStatement returns: one per case it opened. */
interface OpenedRow {
  ord: number | string;
  id: number | string;
  reference: string;
  reply: ClaimedColumns | null;
  decided: boolean;
  conversation_reply: ClaimedColumns | null;
}

/**
 * Opens the cases of many messages, as few statements as the openings allow (usually one):
 * openings that share a message, page token, number, thread key, conversation or reply
 * address go in statements one after the other, as they would one at a time, and so do
 * openings with different counters or reply settings. What each opening gets is what openCase
 * would give it.
 */
export async function openCases(tx: Db | Tx, openings: PreparedOpening[]): Promise<(OpenedCase | undefined)[]> {
  const results: (OpenedCase | undefined)[] = new Array(openings.length).fill(undefined);
  for (const round of statementsFor(openings)) {
    const rows = await runPrepared<OpenedRow>(tx, openCasesStatement(round.map((i) => openings[i]!)));
    for (const row of rows) {
      const index = round[Number(row.ord) - 1]!;
      results[index] = openedCase(openings[index]!, row);
    }
  }
  return results;
}

/**
 * The openings (their indexes) of each statement: grouped by what a statement shares (the
 * counter, claim and reply settings), then split so no two of one statement touch the same
 * row: one statement cannot lock, number or update a row twice as two would one after the other.
 */
function statementsFor(openings: PreparedOpening[]): number[][] {
  const statements: { shared: string; taken: Set<string>; members: number[] }[] = [];
  openings.forEach((opening, index) => {
    const { counter, claim, autoReplyLimit, mailDomain } = opening;
    const shared = JSON.stringify([counter ? `${counter.prefix}-${counter.year}` : null, claim, autoReplyLimit, mailDomain]);
    const touches = [
      `message:${opening.messageId}`,
      `token:${opening.statusToken}`,
      ...(opening.known ? [`reference:${opening.known}`] : []),
      ...opening.keys.map((key) => `key:${key}`),
      ...(opening.conversation ? [`conversation:${opening.conversation.id}`] : []),
      ...(opening.reply?.recipient.email ? [`email:${opening.reply.recipient.email.toLowerCase()}`] : []),
    ];
    const fits = statements.find((s) => s.shared === shared && touches.every((t) => !s.taken.has(t)));
    const statement = fits ?? { shared, taken: new Set<string>(), members: [] };
    if (!fits) statements.push(statement);
    for (const t of touches) statement.taken.add(t);
    statement.members.push(index);
  });
  return statements.map((s) => s.members);
}

function openedCase(opening: PreparedOpening, row: OpenedRow): OpenedCase {
  const owner = { reference: row.reference, statusToken: opening.statusToken };
  const done: OpenedCase = { caseId: Number(row.id), reference: row.reference, topic: opening.topic, outboxIds: [], claimed: [] };
  const decision = opening.conversation?.decision;
  if (decision && row.decided) {
    done.decided = { state: decision.state };
    // Written claimed whatever claimReplies says: the caller sends it or gives it to the deliver queue.
    if (row.conversation_reply) done.claimed.push(claimedOutbox(row.conversation_reply, owner, null));
  }
  if (!row.reply) return done;
  const answer = claimedOutbox(row.reply, owner, opening.thread);
  if (opening.claim) done.claimed.unshift(answer);
  else done.outboxIds.push(answer.row.id);
  return done;
}

/**
 * The statement that opens the cases of these openings (which statementsFor put together):
 * column arrays through unnest, as insertMessagesStatement, so the plan stays on the indexes.
 *
 * Per opening, as one statement of its own would: the message is locked and must still be
 * unrouted; with onlyFirst its conversation is locked and must have no case yet. The new
 * numbers are taken from the year's counter in one update, in the openings' order, so the
 * counter row stays locked from here to the commit only, once for all of them, and no number
 * is taken for an opening that writes nothing. The texts that quote a number are written with
 * a placeholder that the statement replaces with it. A case whose number or page token exists
 * already is not opened, and then nothing else is written for it. The conversation is decided
 * while it is new (`decided`, its closing answer written claimed) and otherwise pointed at the
 * case; the automatic reply is written unless its recipient had autoReplyLimit of them in 24 hours.
 */
export function openCasesStatement(openings: PreparedOpening[]): SQL {
  const first = openings[0];
  if (!first) throw new Error('no openings');
  const column = <T>(pick: (opening: PreparedOpening) => T) => sql.param(openings.map(pick));
  const counter = openings.find((opening) => opening.counter)?.counter ?? { prefix: null, year: null };
  const keyOwners = openings.flatMap((opening, i) => opening.keys.map(() => i + 1));
  const keys = openings.flatMap((opening) => opening.keys);
  const kinds = sql.join(
    AUTOMATIC_KINDS.map((kind) => sql`${kind}`),
    sql`, `,
  );
  const claim = first.claim ? sql`'sending', 1, now()` : sql`'pending', 0, null::timestamptz`;
  const writeDecisions = openings.find((opening) => opening.conversation?.writeDecisions)?.conversation?.writeDecisions ?? noDecisions;
  return sql`
    with input as (
      select * from unnest(
        ${column((o) => o.messageId)}::bigint[], ${column((o) => o.known)}::text[], ${column((o) => o.placeholder)}::text[],
        ${column((o) => o.channel)}::text[], ${column((o) => o.topic)}::text[], ${column((o) => o.team)}::text[],
        ${column((o) => o.priority)}::text[], ${column((o) => o.attention)}::text[], ${column((o) => o.subject)}::text[],
        ${column((o) => o.sender)}::jsonb[], ${column((o) => o.locale)}::text[], ${column((o) => o.statusToken)}::text[],
        ${column((o) => o.answerBy)}::date[], ${column((o) => o.answerDue)}::timestamptz[], ${column((o) => o.firstResponseDue)}::timestamptz[],
        ${column((o) => o.conversation?.id ?? null)}::text[],
        ${column((o) => o.conversation?.onlyFirst === true)}::boolean[], ${column((o) => o.conversation?.decision?.state ?? null)}::text[],
        ${column((o) => o.conversation?.decision?.closedReason ?? null)}::text[],
        ${column((o) => o.conversation?.decision?.reply?.kind ?? null)}::text[],
        ${column((o) => o.conversation?.decision?.reply?.body.nl ?? null)}::text[],
        ${column((o) => o.conversation?.decision?.reply?.body.en ?? null)}::text[],
        ${column((o) => o.reply?.kind ?? null)}::text[], ${column((o) => (o.reply ? JSON.stringify(o.reply.recipient) : null))}::jsonb[],
        ${column((o) => o.reply?.subject ?? null)}::text[], ${column((o) => o.reply?.body ?? null)}::text[],
        ${column((o) => o.reply?.recipient.email?.toLowerCase() ?? null)}::text[]
      ) with ordinality as i(message_id, known, placeholder, channel, topic, team, priority, attention, subject, sender, locale,
                             status_token, answer_by, answer_due, first_response_due, conversation_id, only_first, state, closed_reason, closing_kind, closing_nl,
                             closing_en, reply_kind, reply_recipient, reply_subject, reply_body, reply_email, ord)
       ${allRows(openings.length)}
    ), unrouted as (
      -- Each message locked by its primary key, and only then checked (offset 0 keeps the check
      -- out of the lookup): asked for unrouted rows, the planner may take the index of unrouted
      -- messages and read the whole backlog for a few of them, when the statistics have not
      -- seen the backlog yet.
      select i.ord from input i
       cross join lateral (select routed_at from messages m where m.id = i.message_id offset 0 for update) as m
       where m.routed_at is null
    ), ready as (
      select i.* from input i join unrouted u on u.ord = i.ord
       where not i.only_first
          or exists (select 1 from conversations where id = i.conversation_id and case_id is null for update)
    ), ${numberingCtes(sql`ready`, sql`s.known is null`, counter)}, named as (
      select n.*, coalesce(n.known, ${numberTaken(sql`n`)}) as reference
        from numbered n
    ), opened as (
      insert into cases (reference, channel, topic, team, priority, attention, subject, sender, locale, status_token, answer_by, answer_due, first_response_due)
      select reference, channel, topic, team, priority, attention, subject, sender, locale, status_token, answer_by, answer_due, first_response_due
        from named order by ord
      on conflict do nothing
      returning id, reference
    ), made as (
      select o.id as case_id, n.* from opened o join named n on n.reference = o.reference
    ), attached_keys as (
      insert into thread_keys (key, case_id)
      select k.key, made.case_id from made join unnest(${sql.param(keyOwners)}::bigint[], ${sql.param(keys)}::text[]) as k(ord, key) on k.ord = made.ord
      on conflict (key) do update set case_id = excluded.case_id
    ), anchored as (
      update conversations set case_id = made.case_id from made
       where conversations.id = made.conversation_id and (made.state is null or conversations.state <> 'new')
         and conversations.case_id is distinct from made.case_id
    ), ${writeDecisions(sql`made`)}, routed as (
      update messages set case_id = made.case_id, topic = made.topic, routed_at = now() from made where messages.id = made.message_id
    ), audited as (
      insert into audit (actor, action, entity, entity_id, data)
      select 'router', 'case.opened', 'case', made.case_id::text,
             jsonb_build_object('messageId', made.message_id, 'reference', made.reference, 'topic', made.topic)
        from made
    ), reply as (
      insert into outbox (case_id, message_id, channel, kind, locale, recipient, subject, body, status, attempts, claimed_at)
      select made.case_id, made.message_id, made.channel, made.reply_kind, made.locale, made.reply_recipient,
             replace(made.reply_subject, made.placeholder, made.reference), replace(made.reply_body, made.placeholder, made.reference), ${claim}
        from made
       where made.reply_kind is not null and (made.reply_email is null or (
         select count(*) from outbox o
          where lower(o.recipient->>'email') = made.reply_email and o.kind in (${kinds}) and o.created_at > now() - interval '24 hours'
       ) < ${first.autoReplyLimit})
      on conflict do nothing
      returning ${CLAIMED_COLUMNS}, message_id
    ), reply_thread_key as (
      -- the thread key (thread.ts) of outboxMessageId(reply.id, mailDomain): an answer to the reply joins the case
      insert into thread_keys (key, case_id)
      select ${'own:loket.outbox.'} || reply.id || ${`@${first.mailDomain}`}, reply.case_id from reply
      on conflict (key) do update set case_id = excluded.case_id
    )
    select made.ord, made.case_id as id, made.reference,
           (select row_to_json(r) from reply r where r.message_id = made.message_id) as reply,
           exists (select 1 from decided d where d.ord = made.ord) as decided,
           (select row_to_json(c) from conversation_reply c where c.message_id = made.message_id) as conversation_reply
      from made`;
}

/** The CTEs of ConversationPolicy.writeDecisions for a statement that decides no conversation. */
const noDecisions = (): SQL => sql`decided as (select null::bigint as ord where false),
    conversation_reply as (select null::bigint as message_id where false)`;

/** What becomes of one opening of a batch: its case (or none), or its own error. */
type OpeningOutcome = { opened: OpenedCase | undefined } | { failed: unknown };

/**
 * Opens cases for routing jobs running at once: openings asked for while a statement runs go
 * together in the next (GroupCommit), so a burst of new cases takes the counter row's lock,
 * and waits for a commit, once per batch instead of once per case. A batch that fails is
 * opened again one at a time, so an opening that cannot be written fails its own job only.
 */
export class CaseOpener {
  private readonly group: GroupCommit<PreparedOpening, OpeningOutcome>;

  constructor(db: Db) {
    this.group = new GroupCommit(
      (openings) =>
        togetherOrAlone(
          openings,
          async (together) => (await openCases(db, together)).map((opened): OpeningOutcome => ({ opened })),
          (opening) =>
            openCases(db, [opening]).then(
              ([opened]): OpeningOutcome => ({ opened }),
              (failed: unknown): OpeningOutcome => ({ failed }),
            ),
        ),
      100,
    );
  }

  async open(settings: RoutingSettings, opening: CaseOpening): Promise<OpenedCase | undefined> {
    const outcome = await this.group.run(prepareOpening(settings, opening));
    if ('failed' in outcome) throw outcome.failed;
    return outcome.opened;
  }
}

/** The acknowledgement of a new case (or a rule's template instead), or the notice that the mail was too large to take in. */
function automaticReply(message: RoutableMessage, reference: string, answerBy: PlainDate, templated?: { subject: string; body: string }): AutomaticReply {
  const input = {
    locale: message.locale,
    channel: message.channel,
    name: message.sender.name,
    reference,
    answerBy,
    subject: message.subject,
  };
  const refused = message.meta['refused'] !== undefined;
  const text = refused ? tooLargeNotice(input) : (templated ?? acknowledgement(input));
  return {
    messageId: message.id,
    channel: message.channel,
    kind: refused ? 'refused-too-large' : 'acknowledgement',
    locale: message.locale,
    recipient: answerRecipient(message.sender),
    subject: text.subject,
    body: text.body,
  };
}
