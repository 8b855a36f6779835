/** The mail quarantine: raw kept, reprocessable, discardable. Real PostgreSQL and Redis. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MailboxStore } from '../channels/email/mailbox.store.js';
import { discardQuarantined, listQuarantine, quarantinedRaw, reprocessQuarantined } from '../channels/email/quarantine.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
const raw = Buffer.from(
  'From: Jan <jan@example.org>\r\nSubject: Verlof\r\nMessage-ID: <q1@example.org>\r\n\r\nMijn verlofsaldo klopt niet.\r\n',
);

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

  const accepted = await reprocessQuarantined(loket.database.db, loket.intake, first.id);
  expect(accepted.duplicate).toBe(false);
  await waitFor(async () => {
    const rows = await loket.db!.query<{ case_id: string | null }>('select case_id from messages where id = $1', [accepted.messageId]);
    return rows[0]?.case_id !== null && rows.length > 0;
  }, 'the reprocessed mail to be routed');

  await discardQuarantined(loket.database.db, held.find((row) => row.externalId === '<q2@example.org>')!.id);
  expect(await listQuarantine(loket.database.db)).toEqual([]);
  expect((await listQuarantine(loket.database.db, 'all')).map((row) => row.status).sort()).toEqual(['discarded', 'reprocessed']);
});
