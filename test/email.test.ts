/**
 * The mail channel end to end. Real: Dovecot (IMAP with IDLE, LMTP) of the test's own,
 * PostgreSQL (a database of its own), Redis, BullMQ; answers go out over LMTP into the
 * sender's Dovecot mailbox and are read back over IMAP.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMail } from '../channels/email/email.parse.js';
import { startDovecot, type PrivateDovecot } from './support/dovecot.js';
import {
  CORPUS,
  CORPUS_PRESENT,
  citizenMail as mail,
  corpusFiles,
  corpusTitle,
  FIXTURES,
  fixtureFiles,
  MACHINE_FIXTURES,
  MACHINE_MAIL,
} from './support/mail.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';

const MAIL_MAX_BYTES = 200 * 1024;
let dovecot: PrivateDovecot;
let loket: TestLoket;

const messageRow = (externalId: string) =>
  loket.db!.query<{ id: string; case_id: string | null; reference: string | null; meta: Record<string, unknown> }>(
    `select m.id, m.case_id, c.reference, m.meta from messages m left join cases c on c.id = m.case_id
     where m.channel = 'email' and m.thread->>'messageId' = $1`,
    [externalId],
  );

beforeAll(async () => {
  dovecot = await startDovecot();
  loket = await startTestLoket({
    IMAP_URL: dovecot.imapUrl('loket'),
    SMTP_URL: dovecot.lmtpUrl,
    MAIL_FROM: 'Contactcenter <loket@loket.test>',
    MAIL_MAX_BYTES: String(MAIL_MAX_BYTES),
    AUTO_REPLY_LIMIT: '50',
  });
}, 120_000);

afterAll(async () => {
  await loket?.stop();
  await dovecot?.stop();
});

describe('mail in, acknowledgement out', () => {
  it("a mail gets an acknowledgement with its reference in the sender's mailbox, and a reply joins the case", async () => {
    const question = mail({ subject: 'Loonstrook oktober' });
    await dovecot.append('loket', question.raw);

    const ack = await dovecot.waitForMessage('jan', (m) => (m.subject ?? '').includes('Ontvangstbevestiging'), { timeoutMs: 30_000 });
    const reference = /\[(ZK-\d{4}-\d{6})\]/.exec(ack.subject ?? '')?.[1];
    expect(reference).toBeDefined();
    expect(ack.headers['auto-submitted']).toBe('auto-replied');
    expect(ack.headers['x-auto-response-suppress']).toBe('All');
    expect(ack.headers['in-reply-to']).toBe(question.messageId);
    expect(ack.messageId).toMatch(/@loket\.test>$/);

    // The mail left the inbox for the processed folder only after intake.
    await waitFor(async () => (await dovecot.listMessages('loket', 'Loket/Verwerkt')).some((m) => m.messageId === question.messageId), 'the mail to be moved');

    const reply = mail({
      subject: `Re: ${ack.subject}`,
      body: 'Hierbij de loonstrook.',
      headers: [`In-Reply-To: ${ack.messageId}`, `References: ${question.messageId} ${ack.messageId}`],
    });
    await dovecot.append('loket', reply.raw);
    const [joined] = await waitFor(async () => {
      const rows = await messageRow(reply.messageId);
      return rows[0]?.case_id ? rows : undefined;
    }, 'the reply to be routed');
    expect(joined!.reference).toBe(reference);
  });

  it.skipIf(!CORPUS_PRESENT)(corpusTitle('takes in every message of the real-world corpus and acknowledges none of its bounces and reports'), async () => {
    const files = await corpusFiles();
    const raws = await Promise.all(files.map((file) => readFile(path.join(CORPUS, file))));
    for (const raw of raws) await dovecot.append('loket', raw);

    await waitFor(
      async () => {
        const inbox = await dovecot.mailboxStatus('loket');
        return inbox.messages === 0;
      },
      'the inbox to be empty',
      60_000,
    );
    // Corpus files that share a Message-ID are one message to us; every distinct one must be kept.
    // Those over MAIL_MAX_BYTES are kept by their headers only, under another id when they have no Message-ID.
    const crlfSize = (raw: Buffer) => raw.byteLength + (raw.toString('latin1').match(/(?<!\r)\n/g)?.length ?? 0);
    const small = raws.filter((raw) => crlfSize(raw) <= MAIL_MAX_BYTES);
    const big = raws.length - small.length;
    expect(big).toBeGreaterThan(0);
    const expected = new Set(await Promise.all(small.map(async (raw) => (await parseMail(raw, new Date())).message.externalId)));
    const kept = await loket.db!.query<{ external_id: string }>(
      `select external_id from messages where channel = 'email' and external_id = any($1)
       union select external_id from quarantine where external_id = any($1)`,
      [[...expected]],
    );
    expect(kept.length).toBe(expected.size);
    const refused = await loket.db!.query(`select id from quarantine where reason = 'too-large' and size > $1`, [MAIL_MAX_BYTES]);
    expect(refused.length).toBeGreaterThanOrEqual(big);

    await waitFor(
      async () => {
        const rows = await loket.db!.query<{ n: string }>(`select count(*) as n from messages where channel = 'email' and routed_at is null`);
        return Number(rows[0]!.n) === 0;
      },
      'everything to be routed',
      60_000,
    );
    const acknowledged = await loket.db!.query<{ external_id: string }>(
      `select m.external_id from outbox o join messages m on m.id = o.message_id where m.meta ? 'automatic'`,
    );
    expect(acknowledged).toEqual([]);
    const machine = await loket.db!.query<{ n: string }>(`select count(*) as n from messages where meta ? 'automatic'`);
    expect(Number(machine[0]!.n)).toBeGreaterThanOrEqual(MACHINE_MAIL.length - 2);
  });

  it('takes in every fixture: machine mail gets no acknowledgement, the person behind a no-reply From gets it, no sender is lost', async () => {
    const files = await fixtureFiles();
    const raws = await Promise.all(files.map((file) => readFile(path.join(FIXTURES, file))));
    for (const raw of raws) await dovecot.append('loket', raw);
    await waitFor(async () => (await dovecot.mailboxStatus('loket')).messages === 0, 'the inbox to be empty', 60_000);

    const ids = await Promise.all(raws.map(async (raw) => (await parseMail(raw, new Date())).message.externalId));
    expect(new Set(ids).size).toBe(files.length); // the two mails sharing a Message-ID are two
    await waitFor(
      async () => {
        const rows = await loket.db!.query<{ n: string }>(`select count(*) as n from messages where external_id = any($1) and routed_at is not null`, [ids]);
        return Number(rows[0]!.n) === files.length || undefined;
      },
      'every fixture to be stored and routed',
      60_000,
    );

    const acknowledged = await loket.db!.query<{ external_id: string; recipient: { email?: string } }>(
      `select m.external_id, o.recipient from outbox o join messages m on m.id = o.message_id
        where m.external_id = any($1) and o.kind = 'acknowledgement'`,
      [ids],
    );
    const ackFor = (file: string) => acknowledged.filter((row) => row.external_id === ids[files.indexOf(file)]).map((row) => row.recipient.email);
    for (const file of MACHINE_FIXTURES) expect(ackFor(file), file).toEqual([]);
    expect(ackFor('portal-no-reply.eml')).toEqual(['b.hoekstra@rws.example']);
    expect(ackFor('reply-to-only.eml')).toEqual(['lotte.smits@uwv.example']);
    expect(ackFor('no-from.eml')).toEqual(['a.elamrani@minbzk.example']);
    expect(ackFor('reused-message-id-a.eml')).toEqual(['hr-nieuws@ministerie.example']);
    expect(ackFor('reused-message-id-b.eml')).toEqual(['hr-nieuws@ministerie.example']);
    const failed = await loket.db!.query(
      `select o.id from outbox o join messages m on m.id = o.message_id where m.external_id = any($1) and o.last_error like '%no e-mail address%'`,
      [ids],
    );
    expect(failed).toEqual([]);
  });

  it("answers a portal's mail in the Reply-To mailbox, and shows both addresses on the case", async () => {
    const question = mail({
      from: 'Werkportaal <no-reply@portal.loket.test>',
      subject: 'Vraag via het portaal: verlof',
      headers: ['Reply-To: Piet Bakker <piet@loket.test>'],
    });
    await dovecot.append('loket', question.raw);
    const ack = await dovecot.waitForMessage('piet', (m) => m.headers['in-reply-to'] === question.messageId, { timeoutMs: 30_000 });
    expect(ack.subject).toContain('Ontvangstbevestiging');
    const [row] = await messageRow(question.messageId);
    const [sender] = await loket.db!.query<{ sender: Record<string, string> }>(`select sender from messages where id = $1`, [row!.id]);
    expect(sender!.sender).toMatchObject({ email: 'no-reply@portal.loket.test', replyTo: 'piet@loket.test' });
  });

  it('stores a mail delivered twice (other Received headers) once, and two different mails sharing a Message-ID as two', async () => {
    const original = mail({ subject: 'Reiskosten oktober', from: 'Klaas <klaas@loket.test>' });
    const redelivered = `Received: from relay2.loket.test by mx.loket.test; ${new Date().toUTCString()}\r\n${original.raw}`;
    const reuse = mail({ subject: 'Een heel andere vraag over mijn pensioen', from: 'Klaas <klaas@loket.test>', messageId: original.messageId });
    await dovecot.append('loket', `Received: from relay1.loket.test by mx.loket.test; ${new Date().toUTCString()}\r\n${original.raw}`);
    await dovecot.append('loket', redelivered);
    await dovecot.append('loket', reuse.raw);
    await waitFor(async () => (await dovecot.mailboxStatus('loket')).messages === 0, 'the inbox to be empty', 30_000);

    const acks = await waitFor(
      async () => {
        const found = (await dovecot.listMessages('klaas')).filter((m) => m.headers['in-reply-to'] === original.messageId);
        return found.length >= 2 && found;
      },
      'both acknowledgements',
      30_000,
    );
    expect(acks).toHaveLength(2);
    const rows = await messageRow(original.messageId);
    expect(rows.map((r) => r.reference).sort()).toHaveLength(2);
    expect(new Set(rows.map((r) => r.reference)).size).toBe(2);
    const moved = (await dovecot.listMessages('loket', 'Loket/Verwerkt')).filter((m) => m.messageId === original.messageId);
    expect(moved).toHaveLength(3);
  });

  it('quarantines a mail over the size limit by its headers and tells the sender politely', async () => {
    const big = mail({ subject: 'Scans van mijn declaraties', body: 'x'.repeat(300 * 1024), from: 'Piet <piet@loket.test>' });
    await dovecot.append('loket', big.raw);
    const notice = await dovecot.waitForMessage('piet', (m) => (m.subject ?? '').includes('te groot'), { timeoutMs: 30_000 });
    expect(notice.raw).toContain('contactformulier');
    const [held] = await loket.db!.query<{ reason: string; headers: string; raw_sha256: string | null; size: number }>(
      `select reason, headers, raw_sha256, size from quarantine where split_part(external_id, '#', 1) = $1`,
      [big.messageId],
    );
    expect(held).toMatchObject({ reason: 'too-large', raw_sha256: null });
    expect(held!.headers).toContain('Scans van mijn declaraties');
    expect(held!.size).toBeGreaterThan(300 * 1024);
    const [row] = await messageRow(big.messageId);
    expect(row!.meta['refused']).toMatchObject({ reason: 'too-large' });
    const [attention] = await loket.db!.query<{ attention: string }>(`select attention from cases where id = $1`, [row!.case_id]);
    expect(attention!.attention).toBe('too-large');
  });
});
