/** Outbound mail through a real SMTP server (smtp-server) and into the .eml folder. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as libqp from 'libqp';
import nodemailer from 'nodemailer';
import { classifySmtpError, createMailTransport, headerSafe, plainTextMessage, type OutgoingMail } from '../channels/email/mail.transport.js';
import { PermanentError, TransientError } from '../src/errors.js';
import { startSmtpSink } from './support/smtp-sink.js';

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  from: 'Contactcenter <contactcenter@loket.localhost>',
  to: { name: 'Jan', address: 'jan@example.org' },
  subject: 'Ontvangstbevestiging [ZK-2026-000001]',
  text: 'Beste Jan,\n\nBedankt.',
  messageId: '<loket.outbox.1@loket.localhost>',
  date: new Date('2026-11-23T10:00:00Z'),
  automatic: true,
  ...overrides,
});

beforeAll(async () => {
  smtp = await startSmtpSink();
});

afterAll(async () => {
  await smtp?.close();
});

describe('SMTP transport', () => {
  it("sends automatic mail with loop-prevention headers and Loket's own Message-ID", async () => {
    const transport = createMailTransport({ smtpUrl: smtp.url, dataDir: tmpdir() });
    await transport.send(mail({ inReplyTo: '<q1@example.org>', references: ['<q0@example.org>', '<q1@example.org>'] }));
    await transport.close();
    const sent = smtp.mails.at(-1)!;
    expect(sent.messageId).toBe('<loket.outbox.1@loket.localhost>');
    expect(sent.header('Auto-Submitted')).toBe('auto-replied');
    expect(sent.header('X-Auto-Response-Suppress')).toBe('All');
    expect(sent.header('In-Reply-To')).toBe('<q1@example.org>');
    expect(sent.header('References')).toBe('<q0@example.org> <q1@example.org>');
  });

  it('cannot be made to inject a header through the subject or the name', async () => {
    const transport = createMailTransport({ smtpUrl: smtp.url, dataDir: tmpdir() });
    await transport.send(
      mail({
        messageId: '<loket.outbox.2@loket.localhost>',
        subject: 'Vraag\r\nBcc: victim@example.org',
        to: { name: 'Jan\r\nX-Evil: 1', address: 'jan@example.org' },
      }),
    );
    await transport.close();
    const sent = smtp.mails.find((m) => m.messageId === '<loket.outbox.2@loket.localhost>')!;
    expect(sent.to).toEqual(['jan@example.org']);
    expect(sent.header('Bcc')).toBeUndefined();
    expect(sent.header('X-Evil')).toBeUndefined();
  });
});

describe('SMTP errors', () => {
  it('retries connection trouble and 4xx, gives up on 5xx and a bad envelope', () => {
    expect(classifySmtpError(Object.assign(new Error('refused'), { code: 'ECONNECTION' }))).toBeInstanceOf(TransientError);
    expect(classifySmtpError(Object.assign(new Error('try later'), { code: 'EENVELOPE', responseCode: 451 }))).toBeInstanceOf(TransientError);
    expect(classifySmtpError(Object.assign(new Error('no such user'), { code: 'EENVELOPE', responseCode: 550 }))).toBeInstanceOf(PermanentError);
    expect(classifySmtpError(Object.assign(new Error('no recipients'), { code: 'EENVELOPE' }))).toBeInstanceOf(PermanentError);
  });

  it('reports a server that refuses connections as transient', async () => {
    const transport = createMailTransport({ smtpUrl: 'smtp://127.0.0.1:1', dataDir: tmpdir() });
    await expect(transport.send(mail())).rejects.toBeInstanceOf(TransientError);
    await transport.close();
  });
});

describe('.eml folder transport', () => {
  it('writes one file per Message-ID, so a resend replaces instead of doubling', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'loket-eml-'));
    try {
      const transport = createMailTransport({ dataDir: dir });
      await transport.send(mail());
      await transport.send(mail());
      const files = await readdir(path.join(dir, 'outbox'));
      expect(files).toEqual(['loket.outbox.1@loket.localhost.eml']);
      const eml = await readFile(path.join(dir, 'outbox', files[0]!), 'utf8');
      expect(eml).toMatch(/^Message-ID: <loket\.outbox\.1@loket\.localhost>$/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a file it cannot write as transient, and writes again once it can', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'loket-eml-'));
    try {
      const transport = createMailTransport({ dataDir: dir });
      await transport.send(mail({ messageId: '<first@loket.localhost>' }));
      // A directory where the file should go: the rename onto it fails (EISDIR).
      const blocked = path.join(dir, 'outbox', 'blocked@loket.localhost.eml');
      await mkdir(blocked);
      await writeFile(path.join(blocked, 'keep'), '');
      const refused = transport.send(mail({ messageId: '<blocked@loket.localhost>' }));
      await expect(refused).rejects.toBeInstanceOf(TransientError);
      await expect(refused).rejects.toMatchObject({ code: expect.stringMatching(/^E[A-Z]+$/) });
      await rm(blocked, { recursive: true });
      await transport.send(mail({ messageId: '<blocked@loket.localhost>' }));
      expect((await readdir(path.join(dir, 'outbox'))).sort()).toEqual(['blocked@loket.localhost.eml', 'first@loket.localhost.eml']);
      await transport.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A message's head, its body as written, and its body decoded by its Content-Transfer-Encoding. */
function parts(message: string): { head: string; body: string; text: string } {
  const split = message.indexOf('\n\n');
  const head = message.slice(0, split);
  const body = message.slice(split + 2);
  const encoding = /^Content-Transfer-Encoding: (.+)$/im.exec(head)?.[1]?.trim().toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? libqp.decode(body).toString('utf8')
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return { head, body, text };
}

describe('.eml text', () => {
  it("is the message nodemailer's sendMail writes: the same headers (encoded words, folding), the same body once decoded, lines of at most 76", async () => {
    const streamed = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const samples = [
      mail(),
      mail({ text: 'Beste Jan,\n\nEen regel die langer is dan zesenzeventig tekens, zodat de tekst quoted-printable wordt.\n' }),
      mail({
        to: { name: 'Zoë "de" Vries, jr.', address: 'zoe@example.org' },
        subject: `Ontvangstbevestiging [ZK-2026-000002]: café ${'lang onderwerp '.repeat(8)}`,
        text: 'Beste Zoë,\n\nRégelé.\n',
        inReplyTo: '<q1@example.org>',
        references: ['<q0@example.org>', '<q1@example.org>'],
      }),
      mail({ to: { name: 'فاطمة العمراني', address: 'f@example.org' }, text: 'مرحبا بكم في مركز الاتصال '.repeat(5) }),
      mail({ automatic: false, to: { address: 'jan@example.org' }, text: 'zonder slotregel' }),
    ];
    for (const sample of samples) {
      const info = (await streamed.sendMail({
        from: sample.from,
        to: { name: headerSafe(sample.to.name ?? ''), address: headerSafe(sample.to.address) },
        subject: headerSafe(sample.subject),
        text: sample.text,
        messageId: sample.messageId,
        date: sample.date,
        inReplyTo: sample.inReplyTo,
        references: sample.references,
        headers: sample.automatic ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
      })) as { message: Buffer };
      const ours = parts(plainTextMessage(sample));
      const theirs = parts(info.message.toString('utf8'));
      expect(ours.head).toBe(theirs.head);
      expect(ours.text).toBe(theirs.text);
      for (const line of ours.body.split('\n')) expect(line.length).toBeLessThanOrEqual(76);
    }
  });
});
