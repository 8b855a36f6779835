/** The mail quarantine: raw kept, reprocessable, discardable. Real PostgreSQL and Redis. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MailboxStore } from '../channels/email/mailbox.store.js';
import { discardQuarantined, listQuarantine, quarantinedRaw, reprocessQuarantined } from '../channels/email/quarantine.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
const raw = Buffer.from('From: Jan <jan@example.org>\r\nSubject: Verlof\r\nMessage-ID: <q1@example.org>\r\n\r\nMijn verlofsaldo klopt niet.\r\n');

beforeAll(async () => {
  loket = await startTestLoket({});
});

afterAll(async () => {
  await loket?.stop();
});

it('keeps the raw source, and a reprocessed mail flows like any other', async () => {
  const store = new MailboxStore(loket.database.db);
  await store.quarantine({ source: 'loket@imap:143/INBOX', externalId: '<q1@example.org>', reason: 'unparseable', error: 'test', raw });
  await store.quarantine({ source: 'loket@imap:143/INBOX', externalId: '<q2@example.org>', reason: 'invalid', raw: Buffer.from('x') });
  const held = await listQuarantine(loket.database.db);
  expect(held.map((row) => row.externalId).sort()).toEqual(['<q1@example.org>', '<q2@example.org>']);
  const first = held.find((row) => row.externalId === '<q1@example.org>')!;
  expect((await quarantinedRaw(loket.database.db, first.id))?.equals(raw)).toBe(true);

  const accepted = (await reprocessQuarantined(loket.database.db, loket.intake, first.id, 'Ada'))!;
  expect(accepted.duplicate).toBe(false);
  await waitFor(async () => {
    const rows = await loket.db!.query<{ case_id: string | null }>('select case_id from messages where id = $1', [accepted.messageId]);
    return rows[0]?.case_id !== null && rows.length > 0;
  }, 'the reprocessed mail to be routed');

  expect(await discardQuarantined(loket.database.db, held.find((row) => row.externalId === '<q2@example.org>')!.id, 'Ada')).toBe(true);
  expect(await listQuarantine(loket.database.db)).toEqual([]);
  expect((await listQuarantine(loket.database.db, 'all')).map((row) => row.status).sort()).toEqual(['discarded', 'reprocessed']);
});

it('reprocess and discard each write an audit row with who, when and what; a mail no longer held is left alone and not audited', async () => {
  const { db } = loket.database;
  const store = new MailboxStore(db);
  const rawA = Buffer.from('From: Els <els@example.org>\r\nSubject: Salaris\r\nMessage-ID: <qa-audit@example.org>\r\n\r\nMijn salaris klopt niet.\r\n');
  await store.quarantine({ source: 'audit-test', externalId: '<qa-audit@example.org>', reason: 'unparseable', error: 'test', raw: rawA });
  await store.quarantine({ source: 'audit-test', externalId: '<qb-audit@example.org>', reason: 'invalid', raw: Buffer.from('x') });
  const [a, b] = await loket.db!.query<{ id: string }>(`select id from quarantine where source = 'audit-test' order by external_id`);
  const before = new Date(Date.now() - 1_000);

  const accepted = await reprocessQuarantined(db, loket.intake, Number(a!.id), 'Ada Admin (user 7)');
  expect(await discardQuarantined(db, Number(b!.id), 'Bram Beheer (user 8)')).toBe(true);

  const audits = await loket.db!.query<{ actor: string; action: string; entity_id: string; at: Date; data: Record<string, unknown> }>(
    `select actor, action, entity_id, at, data from audit where entity = 'quarantine' and entity_id = any($1) order by id`,
    [[a!.id, b!.id]],
  );
  expect(audits.map(({ actor, action, entity_id, data }) => ({ actor, action, entity_id, data }))).toEqual([
    {
      actor: 'Ada Admin (user 7)',
      action: 'quarantine.reprocessed',
      entity_id: a!.id,
      data: { source: 'audit-test', externalId: '<qa-audit@example.org>', reason: 'unparseable', messageId: accepted!.messageId, duplicate: false },
    },
    {
      actor: 'Bram Beheer (user 8)',
      action: 'quarantine.discarded',
      entity_id: b!.id,
      data: { source: 'audit-test', externalId: '<qb-audit@example.org>', reason: 'invalid' },
    },
  ]);
  for (const row of audits) expect(new Date(row.at).getTime()).toBeGreaterThan(before.getTime());

  // Again, on mail that is no longer held: no status change, no message, no audit row.
  expect(await reprocessQuarantined(db, loket.intake, Number(b!.id), 'Cor')).toBeUndefined();
  expect(await discardQuarantined(db, Number(a!.id), 'Cor')).toBe(false);
  const statuses = await loket.db!.query<{ status: string }>(`select status from quarantine where source = 'audit-test' order by external_id`);
  expect(statuses.map((r) => r.status)).toEqual(['reprocessed', 'discarded']);
  const [count] = await loket.db!.query<{ n: string }>(`select count(*) as n from audit where entity = 'quarantine' and actor = 'Cor'`);
  expect(Number(count!.n)).toBe(0);
  const [messages] = await loket.db!.query<{ n: string }>(`select count(*) as n from messages where thread->>'messageId' = '<qb-audit@example.org>'`);
  expect(Number(messages!.n)).toBe(0);
});

it('a mail being reprocessed cannot be discarded or reprocessed again at the same moment; a reprocess that died lets go after 10 minutes', async () => {
  const { db } = loket.database;
  const store = new MailboxStore(db);
  await store.quarantine({
    source: 'race-test',
    externalId: '<q-race@example.org>',
    reason: 'unparseable',
    error: 'test',
    raw: Buffer.from(raw.toString().replace('<q1@', '<q-race-msg@')),
  });
  const [row] = await loket.db!.query<{ id: string }>(`select id from quarantine where source = 'race-test'`);
  const id = Number(row!.id);
  // What reprocessQuarantined leaves while it takes the mail in: the claim, not yet the status.
  await loket.db!.query(`update quarantine set resolved_at = now() where id = $1`, [id]);
  expect(await discardQuarantined(db, id, 'Bram')).toBe(false);
  expect(await reprocessQuarantined(db, loket.intake, id, 'Ada')).toBeUndefined();
  expect((await listQuarantine(db)).map((held) => held.id)).toContain(id);

  await loket.db!.query(`update quarantine set resolved_at = now() - interval '11 minutes' where id = $1`, [id]);
  expect(await discardQuarantined(db, id, 'Bram')).toBe(true);
});
