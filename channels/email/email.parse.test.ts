import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerRecipient, inboundMessageSchema as schema } from '../../src/message.js';
import { CORPUS, CORPUS_PRESENT, corpusFiles, corpusTitle, FIXTURES, fixtureFiles, MACHINE_FIXTURES, MACHINE_MAIL } from '../../test/support/mail.js';
import { mailExternalId, parseMail, sanitizeMailHtml } from './email.parse.js';

const fixture = async (file: string) => parseMail(await readFile(path.join(FIXTURES, file)), new Date());

describe.skipIf(!CORPUS_PRESENT)(corpusTitle('parseMail over the real-world corpus'), () => {
  it('turns every message into a valid inbound message', async () => {
    const files = await corpusFiles();
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const parsed = await parseMail(await readFile(path.join(CORPUS, file)), new Date());
      expect(() => schema.parse(parsed.message), file).not.toThrow();
    }
  });

  it('marks every bounce and report in the corpus as machine mail that gets no acknowledgement', async () => {
    for (const file of MACHINE_MAIL) {
      const parsed = await parseMail(await readFile(path.join(CORPUS, file)), new Date());
      expect(parsed.automatic, file).toBeDefined();
      expect(parsed.message.meta?.['suppressAutoReply'], file).toBe(true);
    }
  });

  it('finds the Message-ID of the bounced mail and threads the bounce on it', async () => {
    const parsed = await parseMail(await readFile(path.join(CORPUS, 'postal-mime/bounce.eml')), new Date());
    expect(parsed.bounceOf).toBe('<e85f1c9b-9b51-4028-8ec0-0a657155028e@app.fastmail.com>');
    expect(parsed.message.thread?.references).toContain(parsed.bounceOf);
  });

  it("leaves a person's mail alone", async () => {
    const parsed = await parseMail(await readFile(path.join(CORPUS, 'postal-mime/mixed.eml')), new Date());
    expect(parsed.automatic).toBeUndefined();
  });
});

describe("parseMail of the project's own fixtures", () => {
  it('turns every fixture into a valid inbound message', async () => {
    const files = await fixtureFiles();
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const parsed = await fixture(file);
      expect(() => schema.parse(parsed.message), file).not.toThrow();
    }
  });

  it('marks the bounce, the read receipt and the abuse report as machine mail, and threads the bounce on our mail', async () => {
    for (const file of MACHINE_FIXTURES) {
      const parsed = await fixture(file);
      expect(parsed.automatic, file).toBeDefined();
      expect(parsed.message.meta?.['suppressAutoReply'], file).toBe(true);
    }
    const bounce = await fixture('dsn-bounce.eml');
    expect(bounce.bounceOf).toBe('<loket.outbox.417@loket.test>');
    expect(bounce.message.thread?.references).toContain('<loket.outbox.417@loket.test>');
  });

  it('keeps the words of a mail in an unknown charset and of a multipart without a boundary', async () => {
    expect((await fixture('broken-charset.eml')).message.text).toContain('personeelsnummer 1048822');
    const unsplit = await fixture('missing-boundary.eml');
    expect(unsplit.message.text).toContain('reiskosten van september is nog niet uitbetaald');
  });

  it('takes the writer from Sender when From is empty, and from Reply-To when there is no From', async () => {
    expect((await fixture('no-from.eml')).message.sender).toEqual({ name: 'Ahmed el Amrani', email: 'a.elamrani@minbzk.example' });
    expect((await fixture('reply-to-only.eml')).message.sender).toEqual({ name: 'Lotte Smits', email: 'lotte.smits@uwv.example' });
  });

  it("answers the person in Reply-To behind a portal's no-reply From, and acknowledges them", async () => {
    const parsed = await fixture('portal-no-reply.eml');
    expect(parsed.message.sender).toEqual({ name: 'Werkportaal', email: 'no-reply@werkportaal.example', replyTo: 'b.hoekstra@rws.example' });
    expect(answerRecipient(schema.parse(parsed.message).sender).email).toBe('b.hoekstra@rws.example');
    expect(parsed.automatic).toBeUndefined();
  });

  it('keeps two different mails with one Message-ID apart, and threads both on it', async () => {
    const [a, b] = await Promise.all([fixture('reused-message-id-a.eml'), fixture('reused-message-id-b.eml')]);
    expect(a.message.thread?.messageId).toBe('<template@mailer.ministerie.example>');
    expect(b.message.thread?.messageId).toBe('<template@mailer.ministerie.example>');
    expect(a.message.externalId).not.toBe(b.message.externalId);
  });
});

describe('parseMail of a hand-made mail', () => {
  const raw = (headers: string, body: string) => Buffer.from(`${headers}\n\n${body}`.replace(/\n/g, '\r\n'));

  it('uses the Message-ID, threading headers and a text made from HTML when there is no text part', async () => {
    const parsed = await parseMail(
      raw(
        'From: "Jan de Vries" <jan@example.org>\nTo: contact@loket.localhost\nSubject: Re: [ZK-2026-000001] loonstrook\nMessage-ID: <b@example.org>\nIn-Reply-To: <loket.outbox.1@loket.localhost>\nReferences: <a@example.org> <loket.outbox.1@loket.localhost>\nContent-Type: text/html; charset=utf-8',
        '<p>Mijn <b>loonstrook</b> klopt niet.</p><script>alert(1)</script>',
      ),
      new Date(),
    );
    expect(parsed.message.externalId).toMatch(/^<b@example\.org>#[0-9a-f]{32}$/);
    expect(parsed.message.sender).toEqual({ name: 'Jan de Vries', email: 'jan@example.org' });
    expect(parsed.message.thread).toEqual({
      messageId: '<b@example.org>',
      inReplyTo: '<loket.outbox.1@loket.localhost>',
      references: ['<a@example.org>', '<loket.outbox.1@loket.localhost>'],
    });
    expect(parsed.message.text).toContain('Mijn loonstrook klopt niet.');
    expect(parsed.message.html).toBe('<p>Mijn <b>loonstrook</b> klopt niet.</p>');
  });

  it('is stored under its fingerprint when it has no Message-ID, From or Date', async () => {
    const bytes = raw('Subject: zonder afzender', 'Hallo');
    const parsed = await parseMail(bytes, new Date());
    expect(parsed.message.externalId).toBe(mailExternalId(undefined, bytes));
    expect(parsed.message.externalId).toMatch(/^<>#[0-9a-f]{32}$/);
    expect(parsed.message.sender).toEqual({});
  });

  it('removes from a mail what a form would refuse (NUL, line breaks and bidi overrides in one-line fields); the raw source keeps it', async () => {
    const encodedName = `=?utf-8?B?${Buffer.from('Evil\r\nBcc: x@example.org').toString('base64')}?=`;
    const encodedSubject = `=?utf-8?B?${Buffer.from('Verlof\u202eaanvraag').toString('base64')}?=`;
    const body = Buffer.from('Tekst met\u0000NUL').toString('base64');
    const bytes = raw(
      `From: ${encodedName} <evil@example.org>\nSubject: ${encodedSubject}\nMessage-ID: <nul@example.org>\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64`,
      body,
    );
    const parsed = await parseMail(bytes, new Date());
    expect(parsed.message.sender.name).toBe('Evil Bcc: x@example.org');
    expect(parsed.message.subject).toBe('Verlof aanvraag');
    expect(parsed.message.text).toBe('Tekst metNUL');
  });

  it('stores the same mail once however it travelled: other Received headers, bare LF, trailing blanks', async () => {
    const headers = 'From: Jan <jan@example.org>\nSubject: Verlof\nDate: Mon, 9 Nov 2026 10:00:00 +0100\nMessage-ID: <same@example.org>';
    const body = 'Hoeveel verlofuren heb ik nog?\nGroet, Jan';
    const direct = raw(`Received: from a.example by mx.example; Mon, 9 Nov 2026 10:00:01 +0100\n${headers}`, body);
    const viaAlias = raw(
      `Received: from b.example by mx2.example; Mon, 9 Nov 2026 10:03:12 +0100\nReceived: from mx.example by b.example\n${headers}`,
      `${body}  \n\n`,
    );
    const bareLf = Buffer.from(`${headers}\n\n${body}`);
    const ids = new Set([direct, viaAlias, bareLf].map((bytes) => mailExternalId('<same@example.org>', bytes)));
    expect(ids.size).toBe(1);
    const otherBody = raw(headers, 'Hoeveel verlofuren heb ik nog over?\nGroet, Jan');
    expect(mailExternalId('<same@example.org>', otherBody)).not.toBe([...ids][0]);
  });
});

describe('sanitizeMailHtml', () => {
  it('removes scripts, event handlers and remote images but keeps inline cid images and links', () => {
    const clean = sanitizeMailHtml(
      '<div onclick="steal()"><img src="https://tracker.example/p.gif"><img src="cid:logo@x" alt="logo"><a href="https://p-direkt.nl" onmouseover="x()">portaal</a><a href="javascript:alert(1)">x</a><iframe src="https://x"></iframe></div>',
    );
    expect(clean).toBe('<div><img /><img src="cid:logo@x" alt="logo" /><a href="https://p-direkt.nl">portaal</a><a>x</a></div>');
  });
});
