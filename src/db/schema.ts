import { sql } from 'drizzle-orm';
import { bigint, boolean, bigserial, customType, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { AttachmentRef, Sender, ThreadHints } from '../message.js';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

const id = (name: string) => bigserial(name, { mode: 'number' }).primaryKey();
const ref = (name: string) => bigint(name, { mode: 'number' });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Content-addressed bytes: attachments, scans, raw mail. */
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  size: integer('size').notNull(),
  content: bytea('content').notNull(),
  createdAt: createdAt(),
});

export const cases = pgTable(
  'cases',
  {
    id: id('id'),
    reference: text('reference').notNull(),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    channel: text('channel').notNull(),
    topic: text('topic').notNull(),
    team: text('team'),
    priority: text('priority', { enum: ['low', 'normal', 'high'] })
      .notNull()
      .default('normal'),
    subject: text('subject').notNull().default(''),
    sender: jsonb('sender').$type<Sender>().notNull(),
    locale: text('locale').notNull().default('nl'),
    statusToken: text('status_token').notNull(),
    answerBy: date('answer_by', { mode: 'string' }).notNull(),
    previousCaseId: ref('previous_case_id'),
    /** Why an agent should look: a bounce of our mail, a refused oversized mail, a stranger quoting another case. */
    attention: text('attention'),
    /**
     * Registration numbers of other people's cases that a message of this case quoted: it was
     * not joined to them (its sender is not their contact); an agent may join it by hand.
     */
    mentions: jsonb('mentions').$type<string[]>(),
    /** The agent the case is assigned to (their account id), if any. */
    assigneeId: ref('assignee_id'),
    /** Since when the case waits for the citizen (an agent sent and chose to wait); cleared by their next message. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    /** The SLA (src/sla): when the first answer and the answer are due, in working time, moved on by pauses. */
    firstResponseDue: timestamp('first_response_due', { withTimezone: true }),
    answerDue: timestamp('answer_due', { withTimezone: true }),
    /** When the warning before the answer's deadline, and the breach, were told (each once). */
    slaWarnedAt: timestamp('sla_warned_at', { withTimezone: true }),
    slaBreachedAt: timestamp('sla_breached_at', { withTimezone: true }),
    /** When it was told that the first reply's deadline passed with no reply (once). */
    slaFirstBreachedAt: timestamp('sla_first_breached_at', { withTimezone: true }),
    /** When its personal data was erased (on request, or at the end of its retention period); what reports need stays. */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    /**
     * When the case's newest message was received, and its newest answer written (outbox kinds
     * answer and chat-answer): whose turn it is, for the case list. Kept by triggers (drizzle/0026).
     */
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    lastAnswerAt: timestamp('last_answer_at', { withTimezone: true }),
    openedAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('cases_reference_key').on(t.reference),
    uniqueIndex('cases_status_token_key').on(t.statusToken),
    // The case list's views and sorts (src/workspace/case-list.query.ts), each with the id for keyset paging.
    index('cases_status_due_id_idx').on(t.status, t.answerBy, t.id),
    index('cases_status_created_id_idx').on(t.status, t.openedAt, t.id),
    index('cases_assignee_status_due_idx')
      .on(t.assigneeId, t.status, t.answerBy, t.id)
      .where(sql`${t.assigneeId} is not null`),
    index('cases_unassigned_due_idx')
      .on(t.status, t.answerBy, t.id)
      .where(sql`${t.assigneeId} is null`),
    index('cases_team_status_due_idx').on(t.team, t.status, t.answerBy, t.id),
    // Retention's look for closed cases not erased yet, oldest closing first.
    index('cases_retention_idx')
      .on(t.closedAt)
      .where(sql`${t.status} = 'closed' and ${t.erasedAt} is null`),
    // The SLA clock's look for open cases past their first reply's deadline that were not told yet.
    index('cases_first_response_open_idx')
      .on(t.firstResponseDue)
      .where(sql`${t.status} = 'open' and ${t.slaFirstBreachedAt} is null`),
    // The same without the status, for the view of all cases.
    index('cases_created_id_idx').on(t.openedAt, t.id),
    index('cases_due_id_idx').on(t.answerBy, t.id),
    index('cases_open_answer_due_idx')
      .on(t.answerDue)
      .where(sql`${t.status} = 'open' and ${t.slaBreachedAt} is null`),
    index('cases_waiting_due_idx')
      .on(t.answerBy, t.id)
      .where(sql`${t.status} = 'open' and ${t.waitingSince} is not null`),
    index('cases_team_due_idx').on(t.team, t.answerBy, t.id),
    // The dashboard's cases closed today and this week (src/reports/dashboard.ts).
    index('cases_closed_at_idx')
      .on(t.closedAt)
      .where(sql`${t.closedAt} is not null`),
    // The workspace's search and a person's history (src/workspace/search.ts): the same expressions there.
    index('cases_sender_name_trgm_idx').using('gist', sql`lower((${t.sender}->>'name')) gist_trgm_ops`),
    index('cases_sender_email_idx').on(sql`lower((${t.sender}->>'email'))`),
    index('cases_sender_reply_to_idx')
      .on(sql`lower((${t.sender}->>'replyTo'))`)
      .where(sql`(${t.sender}->>'replyTo') is not null`),
    index('cases_sender_employee_idx')
      .on(sql`upper(regexp_replace((${t.sender}->>'employeeNumber'), '\\s', '', 'g'))`)
      .where(sql`(${t.sender}->>'employeeNumber') is not null`),
    index('cases_sender_phone_idx')
      .on(
        sql`regexp_replace(regexp_replace(regexp_replace(replace((${t.sender}->>'phone'), '(0)', ''), '[[:space:]./()-]', '', 'g'), '^00', '+'), '^\\+31', '0')`,
      )
      .where(sql`(${t.sender}->>'phone') is not null`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: id('id'),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    locale: text('locale').notNull().default('nl'),
    sender: jsonb('sender').$type<Sender>().notNull(),
    subject: text('subject').notNull().default(''),
    text: text('text').notNull().default(''),
    html: text('html'),
    thread: jsonb('thread').$type<ThreadHints>().notNull(),
    topicHint: text('topic_hint'),
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull(),
    /** The message exactly as it arrived (raw mail), when the channel has one. */
    rawSha256: text('raw_sha256').references(() => blobs.sha256),
    /** Registration number told to the sender at intake (form, phone, post). */
    reference: text('reference'),
    /** Case page token told to the sender at intake. */
    statusToken: text('status_token'),
    caseId: ref('case_id').references(() => cases.id),
    topic: text('topic'),
    routedAt: timestamp('routed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('messages_channel_external_id_key').on(t.channel, t.externalId),
    index('messages_case_id_idx').on(t.caseId),
    // The dashboard's messages of today and this week (src/reports/dashboard.ts).
    index('messages_received_at_idx').on(t.receivedAt),
    index('messages_unrouted_idx')
      .on(t.createdAt)
      .where(sql`${t.routedAt} is null`),
    index('messages_status_token_idx')
      .on(t.statusToken)
      .where(sql`${t.statusToken} is not null`),
    index('messages_reference_idx')
      .on(t.reference)
      .where(sql`${t.reference} is not null`),
    index('messages_search_idx').using('gin', sql`to_tsvector('dutch'::regconfig, left((${t.subject} || ' ' || ${t.text}), 20000))`),
    index('messages_conversation_idx')
      .on(sql`(${t.thread}->>'conversationId')`)
      .where(sql`${t.channel} = 'chat'`),
    // A caller's earlier cases (channels/phone/call.store.ts earlierCases): the expression of
    // normalizedPhoneSql, spelled again here; test/phone-lookup.test.ts fails when they drift apart.
    index('messages_sender_phone_idx')
      .on(
        sql`regexp_replace(regexp_replace(regexp_replace(replace((${t.sender}->>'phone'), '(0)', ''), '[[:space:]./()-]', '', 'g'), '^00', '+'), '^\\+31', '0')`,
      )
      .where(sql`(${t.sender}->>'phone') is not null`),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: id('id'),
    messageId: ref('message_id')
      .notNull()
      .references(() => messages.id),
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    contentId: text('content_id'),
  },
  (t) => [index('attachments_message_id_idx').on(t.messageId)],
);

/** Keys that tie a message to a thread (Message-IDs, conversation ids) → its case. */
export const threadKeys = pgTable('thread_keys', {
  key: text('key').primaryKey(),
  caseId: ref('case_id')
    .notNull()
    .references(() => cases.id),
  createdAt: createdAt(),
});

/** Gap-free registration numbers per prefix and year. */
export const referenceCounters = pgTable(
  'reference_counters',
  {
    prefix: text('prefix').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.prefix, t.year] })],
);

export const topics = pgTable('topics', {
  key: text('key').primaryKey(),
  nameNl: text('name_nl').notNull(),
  nameEn: text('name_en').notNull(),
  keywords: jsonb('keywords').$type<{ nl: string[]; en: string[] }>().notNull(),
  team: text('team'),
  /** Multiplies keyword hits, so a complaint about salary is a complaint. */
  weight: integer('weight').notNull().default(1),
  position: integer('position').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const outbox = pgTable(
  'outbox',
  {
    id: id('id'),
    caseId: ref('case_id')
      .notNull()
      .references(() => cases.id),
    /** The inbound message this answers, when there is one. */
    messageId: ref('message_id').references(() => messages.id),
    channel: text('channel').notNull(),
    kind: text('kind').notNull(),
    locale: text('locale').notNull().default('nl'),
    recipient: jsonb('recipient').$type<Sender>().notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    attachments: jsonb('attachments').$type<AttachmentRef[]>().notNull().default([]),
    /** Channel specifics: the chat conversation a line belongs to, an agent's client id. */
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    receipt: jsonb('receipt').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** A row whose job ran out of retries on a temporary failure waits until then; the sweep sends it again. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_message_kind_key')
      .on(t.messageId, t.kind)
      .where(sql`${t.messageId} is not null`),
    index('outbox_case_id_idx').on(t.caseId),
    // The open call-back tasks (channels/phone/callback.store.ts), oldest first.
    index('outbox_open_callbacks_idx')
      .on(t.id)
      .where(sql`${t.channel} = 'phone' and ${t.status} = 'sent' and not (${t.meta} ? 'callbackDoneAt')`),
    // The letters waiting to be printed and posted (channels/post/print.store.ts), oldest first.
    index('outbox_to_print_idx')
      .on(t.id)
      .where(sql`${t.channel} = 'post' and ${t.status} = 'sent' and not (${t.meta} ? 'postedAt')`),
    index('outbox_unsent_idx')
      .on(t.createdAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index('outbox_recipient_email_idx').on(sql`lower(${t.recipient}->>'email')`, t.createdAt),
    index('outbox_conversation_idx')
      .on(sql`(${t.meta}->>'conversationId')`)
      .where(sql`${t.channel} = 'chat'`),
    // An agent's line sent twice (a resend after a lost ack) is one line.
    uniqueIndex('outbox_client_id_key')
      .on(sql`(${t.meta}->>'clientId')`)
      .where(sql`${t.meta} ? 'clientId'`),
  ],
);

export const audit = pgTable(
  'audit',
  {
    id: id('id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_entity_idx').on(t.entity, t.entityId)],
);

/**
 * Who looked at or changed a person's data (issue 20): every view of a case, download, search
 * and change, appended and never rewritten. A trigger refuses UPDATE, DELETE and TRUNCATE, and
 * each row carries the SHA-256 of the row before it and of itself (src/privacy/access-log.ts),
 * so a row removed or altered behind the application's back is detected.
 */
export const accessLog = pgTable(
  'access_log',
  {
    id: id('id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    accountId: ref('account_id'),
    accountName: text('account_name').notNull(),
    role: text('role').notNull(),
    action: text('action').notNull(),
    reference: text('reference'),
    /** What exactly (the path, a search's words, a file): JSON as text, hashed as stored. */
    detail: text('detail').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('access_log_reference_idx').on(t.reference, t.id),
    index('access_log_account_at_idx').on(t.accountId, t.at),
    index('access_log_at_idx').on(t.at),
  ],
);

/** A request to erase a person's data (AVG art. 17): asked by one account, done or refused by another. */
export const erasureRequests = pgTable('erasure_requests', {
  id: id('id'),
  person: text('person').notNull(),
  references: text('references').array().notNull(),
  reason: text('reason').notNull(),
  askedBy: ref('asked_by')
    .notNull()
    .references(() => users.id),
  askedByName: text('asked_by_name').notNull(),
  askedAt: timestamp('asked_at', { withTimezone: true }).notNull().defaultNow(),
  state: text('state', { enum: ['asked', 'done', 'refused'] })
    .notNull()
    .default('asked'),
  decidedByName: text('decided_by_name'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  refusal: text('refusal'),
});

/** Where reading an IMAP mailbox stands: resume after the last UID of this UIDVALIDITY. */
export const mailboxState = pgTable('mailbox_state', {
  mailbox: text('mailbox').primaryKey(),
  uidValidity: bigint('uid_validity', { mode: 'number' }).notNull(),
  lastUid: bigint('last_uid', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const QUARANTINE_STATUSES = ['held', 'reprocessed', 'discarded'] as const;

/** Mail that could not be taken in: raw kept (or, when too large, its headers), for admins. */
export const quarantine = pgTable(
  'quarantine',
  {
    id: id('id'),
    channel: text('channel').notNull(),
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    reason: text('reason', { enum: ['unparseable', 'too-large', 'invalid'] }).notNull(),
    error: text('error'),
    rawSha256: text('raw_sha256').references(() => blobs.sha256),
    headers: text('headers'),
    size: integer('size'),
    status: text('status', { enum: QUARANTINE_STATUSES }).notNull().default('held'),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('quarantine_source_external_id_key').on(t.source, t.externalId)],
);

/**
 * This database's own random id, made by its first migration. Queue job ids carry it, so a
 * Redis that served another database (a restore, a reinstall, a deleted embedded database)
 * never answers one of this database's jobs with a job of the other's.
 */
export const installation = pgTable('installation', {
  id: text('id').primaryKey(),
  createdAt: createdAt(),
});

/** Behaviour admins tune, one JSON value per key (the chat topics, ...). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const CONVERSATION_STATES = ['new', 'waiting', 'with-agent', 'closed'] as const;
export type ConversationStateRow = (typeof CONVERSATION_STATES)[number];

/**
 * A chat conversation. Its messages are ordinary messages (channel chat) and outbox rows;
 * this row holds where it stands: new (no message decided yet), waiting for an agent,
 * with an agent, or closed — and why.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    /** sha256 of the visitor's resume token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    state: text('state', { enum: CONVERSATION_STATES }).notNull().default('new'),
    closedReason: text('closed_reason', { enum: ['redirected', 'closed', 'timeout'] }),
    topic: text('topic'),
    locale: text('locale').notNull().default('nl'),
    visitor: jsonb('visitor').$type<Sender>().notNull(),
    /** The visitor asked for the transcript by e-mail. */
    transcript: boolean('transcript').notNull().default(false),
    agent: text('agent'),
    caseId: ref('case_id').references(() => cases.id),
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('conversations_token_hash_key').on(t.tokenHash),
    index('conversations_waiting_idx')
      .on(t.waitingSince)
      .where(sql`${t.state} = 'waiting'`),
    // The dashboard's and reports' look whether a case's chat was sent on (src/reports).
    index('conversations_case_idx')
      .on(t.caseId)
      .where(sql`${t.caseId} is not null`),
    index('conversations_open_activity_idx')
      .on(t.lastActivityAt)
      .where(sql`${t.state} <> 'closed'`),
  ],
);

/**
 * Who works with Loket. Agents, coordinators and admins each may do what the one before may;
 * the privacy officer stands apart: reads who accessed personal data, and nothing else.
 */
export const ROLES = ['agent', 'coordinator', 'admin', 'privacy'] as const;
export type Role = (typeof ROLES)[number];

/** One-time links that create the first admin in the browser (src/auth/setup.ts), as SHA-256; gone once an admin exists. */
export const setupTokens = pgTable('setup_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  createdAt: createdAt(),
});

/** Local accounts of agents, coordinators and admins; passwords as argon2id hashes. */
export const users = pgTable(
  'users',
  {
    id: id('id'),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** The team this person works in (the "my team" view); none for admins and for people who work for every team. */
    team: text('team'),
    /** The case list's view and sort this person chose last: the list opens on them. */
    listPreference: jsonb('list_preference').$type<{ view?: string; sort?: string }>(),
    /** The language of the workspace for this person: Dutch, or English. */
    locale: text('locale', { enum: ['nl', 'en'] })
      .notNull()
      .default('nl'),
    passwordHash: text('password_hash').notNull(),
    /** Failed logins since the last success; enough of them lock the account for a while. */
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

/** Browser sessions: the cookie holds a random token, the table its sha256. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: ref('user_id')
      .notNull()
      .references(() => users.id),
    /** Sent back with every state-changing request (form field or header). */
    csrfToken: text('csrf_token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

/** Tokens for machines (telephony, scrapers, scripts): `Authorization: Bearer <token>`. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id('id'),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_token_hash_key').on(t.tokenHash)],
);

export const CALL_STATES = ['ringing', 'answered', 'ended'] as const;

/**
 * A phone call as the telephony platform reports it (newCall, answer, hangup). An agent
 * logs what it was about (a message on the phone channel); a call that ended unlogged is
 * logged by Loket with its duration and marked to be completed.
 */
export const calls = pgTable(
  'calls',
  {
    id: id('id'),
    /** The telephony platform's id of the call. */
    callId: text('call_id').notNull(),
    callerNumber: text('caller_number'),
    agent: text('agent'),
    state: text('state', { enum: CALL_STATES }).notNull().default('ringing'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    durationSeconds: integer('duration_seconds'),
    /** The logged call (channel phone). */
    messageId: ref('message_id').references(() => messages.id),
    /** Logged by Loket at hangup because no agent did: an agent should fill in what it was about. */
    toComplete: boolean('to_complete').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('calls_call_id_key').on(t.callId), index('calls_caller_number_idx').on(t.callerNumber)],
);

export const LETTER_STATES = ['ocr', 'review', 'submitted', 'failed'] as const;

/**
 * A letter an agent scanned: its scans are read by OCR, the agent checks the text, and
 * then it goes through intake as a message on the post channel.
 */
export const letters = pgTable(
  'letters',
  {
    id: id('id'),
    status: text('status', { enum: LETTER_STATES }).notNull().default('ocr'),
    sender: jsonb('sender').$type<Sender>().notNull(),
    letterDate: date('letter_date', { mode: 'string' }),
    scans: jsonb('scans').$type<AttachmentRef[]>().notNull(),
    ocrText: text('ocr_text'),
    ocrError: text('ocr_error'),
    enteredBy: text('entered_by').notNull(),
    messageId: ref('message_id').references(() => messages.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('letters_status_idx').on(t.status)],
);

/** Internal notes on a case: for colleagues, never sent to the sender. */
export const caseNotes = pgTable(
  'case_notes',
  {
    id: id('id'),
    caseId: ref('case_id')
      .notNull()
      .references(() => cases.id),
    author: text('author').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('case_notes_case_id_idx').on(t.caseId)],
);

/** The answer an agent is writing on a case, saved as they type: it survives a reload and another device. */
export const answerDrafts = pgTable(
  'answer_drafts',
  {
    caseId: ref('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    accountId: ref('account_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.accountId] })],
);

export const NOTIFICATION_KINDS = ['assigned', 'mention', 'reply', 'sla-warning', 'sla-breach', 'sla-first', 'complaint', 'compliment'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * What the workspace tells one account: a case assigned to them, an @mention in a note, a
 * citizen's reply on their case. Once per case and cause (`source`: the audit row, note,
 * message or deadline), so a job run again tells nobody twice.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id('id'),
    accountId: ref('account_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    caseId: ref('case_id')
      .notNull()
      .references(() => cases.id),
    source: text('source').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notifications_account_case_source_key').on(t.accountId, t.kind, t.caseId, t.source),
    index('notifications_account_idx').on(t.accountId, t.id),
  ],
);

/**
 * Every version of every admin setting (routing rules, topics, chat topics, office hours,
 * reply templates): who changed it, when, and the whole value after the change. The
 * current value is the newest version (mirrored in `settings` for fast reads); a rollback
 * writes an older value again as a new version.
 */
export const settingVersions = pgTable(
  'setting_versions',
  {
    id: id('id'),
    key: text('key').notNull(),
    version: integer('version').notNull(),
    value: jsonb('value').$type<unknown>().notNull(),
    author: text('author').notNull(),
    /** Why, in the author's words, or "rollback to version N". */
    comment: text('comment'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('setting_versions_key_version_key').on(t.key, t.version)],
);

/**
 * An agent's change of a case's topic: a labelled example the topic classifier learns from
 * (src/classifier). The text is what classification read (the case's first message), kept
 * here so the example outlives a merge. An admin can undo a bad one.
 */
export const topicCorrections = pgTable(
  'topic_corrections',
  {
    id: id('id'),
    caseId: ref('case_id').references(() => cases.id, { onDelete: 'set null' }),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    locale: text('locale').notNull(),
    fromTopic: text('from_topic'),
    toTopic: text('to_topic').notNull(),
    accountId: ref('account_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    undoneBy: ref('undone_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('topic_corrections_case_idx').on(t.caseId, t.id)],
);

/**
 * A time the SLA clock stood still: the case waited for the citizen (an answer sent "and wait
 * for a reaction") until their next message. `working_minutes` is set once the pause has
 * ended and the case's deadlines were moved on by it.
 */
export const casePauses = pgTable(
  'case_pauses',
  {
    id: id('id'),
    caseId: ref('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    workingMinutes: integer('working_minutes'),
  },
  (t) => [
    index('case_pauses_case_idx').on(t.caseId),
    index('case_pauses_unapplied_idx')
      .on(t.id)
      .where(sql`${t.workingMinutes} is null`),
  ],
);

/** The stages of the complaint procedure (src/complaints), in order. */
export const COMPLAINT_STAGES = ['registered', 'handler', 'first-contact', 'resolved', 'extra-time', 'escalated', 'closed'] as const;
export type ComplaintStage = (typeof COMPLAINT_STAGES)[number];

/**
 * A case whose topic is a complaint, through the procedure of the seeds (001, 002, 004):
 * a handler who is not one of the employees it is about, first contact within 2 working
 * days, resolution within 2 weeks, the complainant asked whether it was resolved to their
 * satisfaction (a signed, single-use link), 2 more working days if not, then escalation.
 */
export const complaints = pgTable(
  'complaints',
  {
    caseId: ref('case_id')
      .primaryKey()
      .references(() => cases.id, { onDelete: 'cascade' }),
    stage: text('stage', { enum: COMPLAINT_STAGES }).notNull(),
    urgent: boolean('urgent').notNull().default(false),
    /** The accounts of the employees the complaint is about: never its handler. */
    involvedIds: bigint('involved_ids', { mode: 'number' })
      .array()
      .notNull()
      .default(sql`'{}'`),
    handlerId: ref('handler_id').references(() => users.id, { onDelete: 'set null' }),
    firstContactDue: timestamp('first_contact_due', { withTimezone: true }).notNull(),
    resolveDue: timestamp('resolve_due', { withTimezone: true }).notNull(),
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }),
    firstContactHow: text('first_contact_how'),
    resolution: text('resolution'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    satisfactionDue: timestamp('satisfaction_due', { withTimezone: true }),
    satisfactionTokenHash: text('satisfaction_token_hash'),
    satisfied: boolean('satisfied'),
    satisfactionComment: text('satisfaction_comment'),
    satisfactionAt: timestamp('satisfaction_at', { withTimezone: true }),
    extraDue: timestamp('extra_due', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /** The improvement form (verbeterformulier, seed 004): what caused it, what improves, who sees to it. */
    improvement: jsonb('improvement').$type<{ cause: string; improvement: string; owner: string }>(),
    /** What the complainant told about the contact it is about (seed 000): see src/complaints/complaint.details.ts. */
    earlierReference: text('earlier_reference'),
    lastContactOn: date('last_contact_on', { mode: 'string' }),
    employeeName: text('employee_name'),
    /** The agent who registered a complaint made by mail or phone; null when the form or the topic made it one. */
    registeredBy: text('registered_by'),
    /** When the acknowledgement (for a phone complaint: the written confirmation, seed 004) was written. */
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('complaints_satisfaction_token_key')
      .on(t.satisfactionTokenHash)
      .where(sql`${t.satisfactionTokenHash} is not null`),
    index('complaints_stage_idx').on(t.stage, t.resolveDue),
    // The quarterly complaint report (src/reports/complaint-report.ts).
    index('complaints_created_idx').on(t.createdAt),
  ],
);

/** A compliment (seed 004): recorded and passed to the employee or team it is for, not handled as a complaint. */
export const compliments = pgTable(
  'compliments',
  {
    id: id('id'),
    caseId: ref('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    accountId: ref('account_id').references(() => users.id, { onDelete: 'set null' }),
    team: text('team'),
    note: text('note'),
    byName: text('by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('compliments_case_idx').on(t.caseId), index('compliments_created_idx').on(t.createdAt)],
);
