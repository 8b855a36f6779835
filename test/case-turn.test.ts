/**
 * Whose turn a case is (the case list's "Stand") comes from cases.last_inbound_at and
 * cases.last_answer_at, kept by triggers (drizzle/0026): a citizen's message and an agent's
 * answer move them in their own transaction, and the migration fills them for cases that
 * existed before. Real: HTTP with sessions and CSRF, PostgreSQL, Redis, the workers and an
 * SMTP server of its own.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { waitFor } from './support/wait.js';

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let loket: TestLoket;
let anna: Session;

beforeAll(async () => {
  smtp = await startSmtpSink();
  loket = await startTestLoket({ SMTP_URL: smtp.url, LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '100', PUBLIC_URL: 'https://loket.example.org' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
}, 120_000);

afterAll(async () => {
  await loket?.stop();
  await smtp?.close();
});

const webform = (email: string, subject: string, message: string) =>
  fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Joost Bakker', email, subject, message }),
  });

/** The case's kept columns next to what they stand for, asked of the messages and the outbox. */
const kept = async (reference: string) =>
  (
    await loket.db!.query<{ last_inbound_at: Date | null; last_answer_at: Date | null; newest_message: Date | null; newest_answer: Date | null }>(
      `select c.last_inbound_at, c.last_answer_at,
              (select max(received_at) from messages m where m.case_id = c.id) as newest_message,
              (select max(created_at) from outbox o where o.case_id = c.id and o.kind in ('answer', 'chat-answer')) as newest_answer
         from cases c where c.reference = $1`,
      [reference],
    )
  )[0]!;

const turnInList = async (reference: string) => {
  const html = await (await fetch(`${loket.url}/werkplek/zaken`, { headers: { cookie: anna.cookie } })).text();
  const row = /<tr data-reference="[^"]+">[\s\S]*?<\/tr>/.exec(html.slice(html.indexOf(`data-reference="${reference}"`) - 20))![0];
  return /<td data-label="Stand">([^<]*)<\/td>/.exec(row)![1];
};

describe('whose turn a case is', () => {
  it('moves to us when a citizen writes and to the citizen when an agent answers, in the columns the list reads', async () => {
    const { reference } = (await (await webform('lies@example.org', 'Reiskosten', 'Vraag over reiskosten.')).json()) as { reference: string };
    await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length > 0, 'the case');
    const opened = await kept(reference);
    expect(opened.last_inbound_at).not.toBeNull();
    expect(opened).toMatchObject({ last_inbound_at: opened.newest_message, last_answer_at: null });
    expect(await turnInList(reference)).toBe('Wacht op ons');

    const sent = await fetch(`${loket.url}/werkplek/zaken/${reference}/antwoord`, {
      method: 'POST',
      headers: { cookie: anna.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ _csrf: anna.csrfToken, text: 'Welke maand bedoelt u?', actie: 'versturen' }),
      redirect: 'manual',
    });
    expect(sent.status).toBe(303);
    const answered = await kept(reference);
    expect(answered.last_answer_at).not.toBeNull();
    expect(answered).toMatchObject({ last_inbound_at: opened.last_inbound_at, last_answer_at: answered.newest_answer });
    expect(await turnInList(reference)).toBe('Beantwoord');

    await webform('lies@example.org', `Re ${reference}`, 'De maand oktober.');
    await waitFor(async () => (await kept(reference)).newest_message!.getTime() > opened.last_inbound_at!.getTime(), 'the citizen’s reply');
    const replied = await kept(reference);
    expect(replied).toMatchObject({ last_inbound_at: replied.newest_message, last_answer_at: answered.last_answer_at });
    expect(await turnInList(reference)).toBe('Wacht op ons');
  });

  it('is filled by the migration for cases written before it, and follows a message moved to another case', async () => {
    const db = loket.db!;
    const [first, second] = await db.query<{ id: string }>(
      `insert into cases (reference, channel, topic, subject, sender, status_token, answer_by)
       values ('ZK-2024-000001', 'email', 'overig', 'Oud', '{}'::jsonb, 'old-1', date '2026-12-31'),
              ('ZK-2024-000002', 'email', 'overig', 'Oud', '{}'::jsonb, 'old-2', date '2026-12-31')
       returning id`,
    );
    // As before the migration: rows written without the triggers, the columns empty.
    await db.query(`alter table messages disable trigger user`);
    await db.query(`alter table outbox disable trigger user`);
    try {
      await db.query(
        `insert into messages (channel, external_id, received_at, sender, subject, text, thread, meta, case_id)
         values ('email', 'old-a', '2024-03-01T10:00:00Z', '{}', 'Oud', 'een', '{"references": []}', '{}', $1),
                ('email', 'old-b', '2024-03-05T10:00:00Z', '{}', 'Oud', 'twee', '{"references": []}', '{}', $1)`,
        [first!.id],
      );
      await db.query(
        `insert into outbox (case_id, channel, kind, locale, recipient, subject, body, created_at)
         values ($1, 'email', 'answer', 'nl', '{}', 'Antwoord', 'Ja.', '2024-03-02T10:00:00Z'),
                ($1, 'email', 'acknowledgement', 'nl', '{}', 'Ontvangen', 'Dank.', '2024-03-06T10:00:00Z')`,
        [first!.id],
      );
    } finally {
      await db.query(`alter table messages enable trigger user`);
      await db.query(`alter table outbox enable trigger user`);
    }
    expect(await kept('ZK-2024-000001')).toMatchObject({ last_inbound_at: null, last_answer_at: null });

    const migration = await readFile(new URL('../drizzle/0026_case_list_speed.sql', import.meta.url), 'utf8');
    const backfills = migration.split('--> statement-breakpoint').filter((statement) => /^\s*UPDATE/.test(statement.replace(/^--.*$/gm, '')));
    expect(backfills).toHaveLength(2);
    for (const statement of backfills) await db.query(statement);
    expect(await kept('ZK-2024-000001')).toMatchObject({
      last_inbound_at: new Date('2024-03-05T10:00:00Z'),
      last_answer_at: new Date('2024-03-02T10:00:00Z'),
    });

    // The newest message moves to the other case (as a merge moves them): both cases follow.
    await db.query(`update messages set case_id = $1 where external_id = 'old-b'`, [second!.id]);
    expect(await kept('ZK-2024-000001')).toMatchObject({ last_inbound_at: new Date('2024-03-01T10:00:00Z') });
    expect(await kept('ZK-2024-000002')).toMatchObject({ last_inbound_at: new Date('2024-03-05T10:00:00Z'), last_answer_at: null });
    await db.query(`delete from outbox where case_id = $1`, [first!.id]);
    expect(await kept('ZK-2024-000001')).toMatchObject({ last_answer_at: null });
  });
});
