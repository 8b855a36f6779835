/** The mail-test harness against a real Dovecot (Debian's dovecot-imapd + dovecot-lmtpd): no mocks. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type PrivateDovecot } from './support/dovecot.js';

let dovecot: PrivateDovecot;

const mail = (subject: string, to = 'loket@loket.test') => {
  const messageId = `<${randomBytes(6).toString('hex')}@example.nl>`;
  const raw = [
    'From: Jan Jansen <jan@example.nl>',
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0100',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Mijn salaris is niet overgemaakt.',
    '',
  ].join('\r\n');
  return { raw, messageId };
};

beforeAll(async () => {
  dovecot = await startDovecot();
});

afterAll(async () => {
  await dovecot?.stop();
});

describe('private Dovecot for mail tests', () => {
  it('delivers over LMTP into a mailbox that IMAP reads', async () => {
    const { raw, messageId } = mail('Salaris november', 'jan@loket.test');
    const result = await dovecot.deliverLmtp('jan@loket.test', raw);
    expect(result).toEqual({ accepted: ['jan@loket.test'], rejected: [] });

    const got = await dovecot.waitForMessage('jan', (m) => m.messageId === messageId);
    expect(got.subject).toBe('Salaris november');
    expect(got.raw).toContain('Mijn salaris is niet overgemaakt.');
    expect(got.headers['delivered-to']).toBe('jan@loket.test'); // written by Dovecot's LMTP
  }, 30_000);

  it('rejects LMTP delivery to a user that does not exist', async () => {
    await expect(dovecot.deliverLmtp('niemand@loket.test', mail('Wie?').raw)).rejects.toThrow(/niemand|550/);
  });

  it('appends to the contact mailbox and lists what it holds, with flags and UIDs', async () => {
    const first = mail('Verlof aanvragen');
    const second = mail('Declaratie');
    const a = await dovecot.append('loket', first.raw);
    const b = await dovecot.append('loket', Buffer.from(second.raw), 'INBOX', ['\\Seen']);
    expect(b.uid).toBeGreaterThan(a.uid);
    expect(b.uidValidity).toBe(a.uidValidity);

    const listed = await dovecot.listMessages('loket');
    const byId = new Map(listed.map((m) => [m.messageId, m]));
    expect(byId.get(first.messageId)).toMatchObject({ uid: a.uid, flags: [], subject: 'Verlof aanvragen' });
    expect(byId.get(second.messageId)).toMatchObject({ uid: b.uid, flags: ['\\Seen'], subject: 'Declaratie' });
    expect((await dovecot.mailboxStatus('loket')).uidValidity).toBe(a.uidValidity);
  });

  it('gives a recreated mailbox a new UIDVALIDITY and leaves it empty', async () => {
    await dovecot.recreateMailbox('piet', 'Verwerkt'); // did not exist yet: created
    await dovecot.append('piet', mail('Inloggen lukt niet').raw, 'Verwerkt');
    const before = await dovecot.mailboxStatus('piet', 'Verwerkt');

    const { after } = await dovecot.recreateMailbox('piet', 'Verwerkt');
    expect(after).not.toBe(before.uidValidity);
    expect(await dovecot.mailboxStatus('piet', 'Verwerkt')).toMatchObject({ uidValidity: after, messages: 0 });
  });

  it('gives INBOX a new UIDVALIDITY, optionally keeping its messages under new UIDs', async () => {
    const kept = mail('Beoordelingsgesprek');
    const old = await dovecot.append('klaas', kept.raw, 'INBOX', ['\\Flagged']);

    const { before, after } = await dovecot.recreateMailbox('klaas', 'INBOX', { keepMessages: true });
    expect(before).toBe(old.uidValidity);
    expect(after).not.toBe(before);
    const [again, ...rest] = await dovecot.listMessages('klaas');
    expect(rest).toEqual([]);
    expect(again).toMatchObject({ messageId: kept.messageId, flags: ['\\Flagged'] });
    expect(again!.uid).not.toBe(old.uid);

    await dovecot.recreateMailbox('klaas', 'INBOX');
    expect(await dovecot.listMessages('klaas')).toEqual([]);
  });

  it('advertises IDLE and tells an idling client about a delivery', async () => {
    const client = await dovecot.connect('jan');
    try {
      expect(client.capabilities.has('IDLE')).toBe(true);
      const lock = await client.getMailboxLock('INBOX');
      try {
        const exists = new Promise<number>((resolve) => client.once('exists', (e: { count: number }) => resolve(e.count)));
        const before = client.mailbox === false ? 0 : client.mailbox.exists;
        const idle = client.idle();
        await dovecot.deliverLmtp('jan', mail('Tijdens IDLE', 'jan@loket.test').raw);
        const count = await Promise.race([
          exists,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no EXISTS during IDLE within 10 s')), 10_000)),
        ]);
        expect(count).toBe(before + 1);
        await client.noop(); // breaks IDLE
        await idle;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  }, 30_000);

  it('keeps mail, UIDVALIDITY and ports across a restart, graceful or killed', async () => {
    const { raw, messageId } = mail('Voor de herstart');
    const appended = await dovecot.append('loket', raw);
    const ports = { imap: dovecot.imapPort, lmtp: dovecot.lmtpPort };

    await dovecot.restart();
    await dovecot.restart({ hard: true });

    expect({ imap: dovecot.imapPort, lmtp: dovecot.lmtpPort }).toEqual(ports);
    const listed = await dovecot.listMessages('loket');
    expect(listed.find((m) => m.messageId === messageId)?.uid).toBe(appended.uid);
    expect((await dovecot.mailboxStatus('loket')).uidValidity).toBe(appended.uidValidity);
    expect(dovecot.readLog()).toMatch(/starting up for imap, lmtp/);
  }, 60_000);

  it('cuts off connected clients when halted and serves again after resume', async () => {
    const client = await dovecot.connect('jan');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await client.mailboxOpen('INBOX');
    await dovecot.halt();
    await closed;
    await expect(dovecot.listMessages('jan')).rejects.toThrow();
    await dovecot.resume();
    expect((await dovecot.listMessages('jan')).length).toBeGreaterThan(0);
  }, 60_000);
});
