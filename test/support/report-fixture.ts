/**
 * The hand-counted month the report tests check (test/reports.test.ts): seven cases in
 * December 2026 and one just after it, written straight into PostgreSQL with the deadlines
 * Loket's own SLA code gives them. The expected figures are counted by hand in that test.
 */
import { expect } from 'vitest';
import { DEFAULT_OFFICE_HOURS } from '../../src/office-hours.js';
import { stripCases } from '../../src/privacy/erasure.js';
import { deadlinesFrom } from '../../src/sla/working-time.js';
import type { TestLoket } from './loket.js';
import type { TestDatabase } from './postgres.js';

interface FixtureCase {
  key: string;
  channel: string;
  topic: string;
  team: string | null;
  opened: string;
  closed?: string;
  /** Inbound messages' times (the first is the opening one); chat lines share one conversation. */
  messages?: string[];
  answers?: { kind: string; at: string }[];
  conversation?: 'closed' | 'redirected';
}

const EMAIL = { answerDays: 5, firstResponseHours: 14 };
const CHAT = { answerDays: 1, firstResponseHours: 0.25 };

export const DECEMBER_CASES: FixtureCase[] = [
  {
    key: 'A',
    channel: 'email',
    topic: 'verlof',
    team: 'Team A',
    opened: '2026-12-01T08:00:00Z',
    closed: '2026-12-03T09:00:00Z',
    messages: ['2026-12-01T08:00:00Z', '2026-12-02T08:00:00Z'],
    answers: [
      { kind: 'acknowledgement', at: '2026-12-01T08:00:05Z' },
      { kind: 'answer', at: '2026-12-01T11:00:00Z' },
    ],
  },
  {
    key: 'B',
    channel: 'webform',
    topic: 'salaris',
    team: 'Team B',
    opened: '2026-12-24T09:00:00Z',
    closed: '2027-01-04T08:00:00Z',
    answers: [
      { kind: 'acknowledgement', at: '2026-12-24T09:00:05Z' },
      { kind: 'answer', at: '2027-01-04T08:00:00Z' },
    ],
  },
  {
    key: 'C',
    channel: 'email',
    topic: 'salaris',
    team: 'Team B',
    opened: '2026-12-04T09:00:00Z',
    closed: '2026-12-14T08:00:00Z',
    answers: [{ kind: 'acknowledgement', at: '2026-12-04T09:00:05Z' }],
  },
  {
    key: 'D',
    channel: 'chat',
    topic: 'inloggen',
    team: 'Team C',
    opened: '2026-12-07T09:00:00Z',
    closed: '2026-12-07T09:20:00Z',
    messages: ['2026-12-07T09:00:00Z', '2026-12-07T09:06:00Z', '2026-12-07T09:08:00Z'],
    answers: [
      { kind: 'chat-answer', at: '2026-12-07T09:05:00Z' },
      { kind: 'chat-answer', at: '2026-12-07T09:10:00Z' },
    ],
    conversation: 'closed',
  },
  {
    key: 'E',
    channel: 'chat',
    topic: 'salaris',
    team: null,
    opened: '2026-12-07T10:00:00Z',
    closed: '2026-12-07T10:00:01Z',
    answers: [{ kind: 'chat-redirect', at: '2026-12-07T10:00:01Z' }],
    conversation: 'redirected',
  },
  {
    key: 'F',
    channel: 'phone',
    topic: 'verlof',
    team: 'Team A',
    opened: '2026-12-30T22:30:00Z',
    answers: [{ kind: 'acknowledgement', at: '2026-12-30T22:30:05Z' }],
  },
  { key: 'G', channel: 'post', topic: 'verlof', team: 'Team A', opened: '2026-12-31T23:30:00Z' },
];

/** Writes the December cases, their messages, answers, conversations and topic corrections. */
export async function seedDecember(db: TestDatabase): Promise<void> {
  const ids: Record<string, number> = {};
  for (const fixture of DECEMBER_CASES) {
    const deadlines = deadlinesFrom(new Date(fixture.opened), fixture.channel === 'chat' ? CHAT : EMAIL, DEFAULT_OFFICE_HOURS);
    // The case over Christmas: five working days skip 25 and 26 December, the weekend and New Year's Day.
    if (fixture.key === 'B') expect(deadlines.answerBy).toBe('2027-01-04');
    const sender = { name: `Persoon ${fixture.key}`, email: `${fixture.key.toLowerCase()}@example.org` };
    const [row] = await db.query<{ id: number }>(
      `insert into cases (reference, channel, topic, team, sender, status_token, answer_by, answer_due, first_response_due, created_at, status, closed_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
      [
        `ZK-FIX-${fixture.key}`,
        fixture.channel,
        fixture.topic,
        fixture.team,
        JSON.stringify(sender),
        `token-${fixture.key}`,
        deadlines.answerBy,
        deadlines.answerDue.toISOString(),
        deadlines.firstResponseDue.toISOString(),
        fixture.opened,
        fixture.closed ? 'closed' : 'open',
        fixture.closed ?? null,
      ],
    );
    const id = Number(row!.id);
    ids[fixture.key] = id;
    const conversationId = `conv-${fixture.key}`;
    for (const [i, at] of (fixture.messages ?? [fixture.opened]).entries()) {
      await db.query(
        `insert into messages (channel, external_id, received_at, sender, subject, text, thread, meta, case_id, topic, routed_at)
         values ($1, $2, $3, $4, 'Vraag', 'Een vraag', $5, '{}', $6, $7, $3)`,
        [
          fixture.channel,
          `fixture-${fixture.key}-${i}`,
          at,
          JSON.stringify(sender),
          JSON.stringify(fixture.channel === 'chat' ? { conversationId } : {}),
          id,
          fixture.topic,
        ],
      );
    }
    for (const answer of fixture.answers ?? []) {
      await db.query(
        `insert into outbox (case_id, channel, kind, recipient, subject, body, status, created_at, sent_at) values ($1, $2, $3, $4, 'Antwoord', 'Tekst', 'sent', $5, $5)`,
        [id, fixture.channel, answer.kind, JSON.stringify(sender), answer.at],
      );
    }
    if (fixture.conversation) {
      await db.query(
        `insert into conversations (id, token_hash, state, closed_reason, topic, visitor, case_id, created_at, closed_at) values ($1, $2, 'closed', $3, $4, $5, $6, $7, $8)`,
        [conversationId, `hash-${fixture.key}`, fixture.conversation, fixture.topic, JSON.stringify(sender), id, fixture.opened, fixture.closed],
      );
    }
  }
  // C's topic corrected from leave to salary; A's correction undone again (not counted).
  await db.query(
    `insert into topic_corrections (case_id, subject, text, locale, from_topic, to_topic, created_at) values ($1, 'Vraag', 'Een vraag', 'nl', 'verlof', 'salaris', $2)`,
    [ids['C'], '2026-12-04T10:00:00Z'],
  );
  await db.query(
    `insert into topic_corrections (case_id, subject, text, locale, from_topic, to_topic, created_at, undone_at) values ($1, 'Vraag', 'Een vraag', 'nl', 'verlof', 'salaris', $2, $2)`,
    [ids['A'], '2026-12-01T10:00:00Z'],
  );
}

/** Erases a case's personal data as retention and erasure do (src/privacy/erasure.ts). */
export async function eraseCase(loket: TestLoket, reference: string): Promise<void> {
  const [row] = await loket.db!.query<{ id: number }>(`select id from cases where reference = $1`, [reference]);
  expect((await stripCases(loket.database.db, [Number(row!.id)])).cases).toBe(1);
}

interface FixtureComplaint {
  key: string;
  topic: string;
  team: string;
  created: string;
  stage: string;
  urgent?: boolean;
  firstContactDue: string;
  firstContactAt?: string;
  resolveDue: string;
  resolvedAt?: string;
  satisfactionDue?: string;
  satisfied?: boolean;
  escalatedAt?: string;
  improvement?: { cause: string; improvement: string; owner: string };
}

/** Q4 2026's complaints (and one just after it, one just inside it by Amsterdam time), counted by hand in test/reports.test.ts. */
export const Q4_COMPLAINTS: FixtureComplaint[] = [
  {
    key: 'K1',
    topic: 'klacht',
    team: 'Team A',
    created: '2026-10-05T08:00:00Z',
    stage: 'closed',
    firstContactDue: '2026-10-07T20:00:00Z',
    firstContactAt: '2026-10-06T09:00:00Z',
    resolveDue: '2026-10-19T20:00:00Z',
    resolvedAt: '2026-10-15T09:00:00Z',
    satisfactionDue: '2026-10-22T20:00:00Z',
    satisfied: true,
    improvement: { cause: 'Onduidelijke brief over de eindejaarsuitkering', improvement: 'Briefsjabloon herschreven', owner: 'Team A' },
  },
  {
    key: 'K2',
    topic: 'klacht',
    team: 'Team B',
    created: '2026-11-03T08:00:00Z',
    stage: 'escalated',
    urgent: true,
    firstContactDue: '2026-11-05T21:00:00Z',
    firstContactAt: '2026-11-10T09:00:00Z',
    resolveDue: '2026-11-17T21:00:00Z',
    resolvedAt: '2026-11-30T09:00:00Z',
    satisfactionDue: '2026-12-07T21:00:00Z',
    satisfied: false,
    escalatedAt: '2026-12-05T09:00:00Z',
  },
  {
    key: 'K3',
    topic: 'klacht',
    team: 'Team B',
    created: '2026-12-30T09:00:00Z',
    stage: 'handler',
    firstContactDue: '2027-01-06T21:00:00Z',
    resolveDue: '2027-01-13T21:00:00Z',
  },
  // 23:30 UTC on 30 September is 01:30 on 1 October in Amsterdam: in the fourth quarter.
  {
    key: 'K4',
    topic: 'salaris',
    team: 'Team A',
    created: '2026-09-30T23:30:00Z',
    stage: 'first-contact',
    firstContactDue: '2026-10-05T20:00:00Z',
    firstContactAt: '2026-10-02T09:00:00Z',
    resolveDue: '2026-10-15T20:00:00Z',
  },
  // 00:30 on 1 January in Amsterdam: the first quarter of 2027.
  {
    key: 'K5',
    topic: 'klacht',
    team: 'Team A',
    created: '2026-12-31T23:30:00Z',
    stage: 'registered',
    firstContactDue: '2027-01-05T21:00:00Z',
    resolveDue: '2027-01-15T21:00:00Z',
  },
];

/** Writes the quarter's complaints with their cases, and one compliment in the quarter. */
export async function seedQuarter(db: TestDatabase): Promise<void> {
  for (const k of Q4_COMPLAINTS) {
    const [row] = await db.query<{ id: number }>(
      `insert into cases (reference, channel, topic, team, sender, status_token, answer_by, created_at, status)
       values ($1, 'webform', $2, $3, '{"name": "Klager"}', $4, $5, $6, 'open') returning id`,
      [`ZK-FIX-${k.key}`, k.topic, k.team, `token-${k.key}`, k.resolveDue.slice(0, 10), k.created],
    );
    await db.query(
      `insert into complaints (case_id, stage, urgent, first_contact_due, first_contact_at, resolve_due, resolved_at, satisfaction_due, satisfied, escalated_at, improvement, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        row!.id,
        k.stage,
        k.urgent ?? false,
        k.firstContactDue,
        k.firstContactAt ?? null,
        k.resolveDue,
        k.resolvedAt ?? null,
        k.satisfactionDue ?? null,
        k.satisfied ?? null,
        k.escalatedAt ?? null,
        k.improvement ? JSON.stringify(k.improvement) : null,
        k.created,
      ],
    );
    if (k.key === 'K1')
      await db.query(`insert into compliments (case_id, team, by_name, created_at) values ($1, 'Team A', 'Coco', '2026-11-20T10:00:00Z')`, [row!.id]);
  }
}
