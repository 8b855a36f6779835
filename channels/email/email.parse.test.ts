import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inboundMessageSchema } from '../../src/message.js';
import { CORPUS, corpusFiles, MACHINE_MAIL } from '../../test/support/mail.js';
import { mailExternalId, parseMail, sanitizeMailHtml } from './email.parse.js';


describe('parseMail over the real-world corpus', () => {
  it('turns every message into a valid inbound message', async () => {
    const files = await corpusFiles();
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const parsed = await parseMail(await readFile(path.join(CORPUS, file)), new Date());
      expect(() => inboundMessageSchema.parse(parsed.message), file).not.toThrow();
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

  it('leaves a person\'s mail alone', async () => {
    const parsed = await parseMail(await readFile(path.join(CORPUS, 'postal-mime/mixed.eml')), new Date());
    expect(parsed.automatic).toBeUndefined();
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
    expect(parsed.message.externalId).toBe('<b@example.org>');
    expect(parsed.message.sender).toEqual({ name: 'Jan de Vries', email: 'jan@example.org' });
    expect(parsed.message.thread).toEqual({
      messageId: '<b@example.org>',
      inReplyTo: '<loket.outbox.1@loket.localhost>',
      references: ['<a@example.org>', '<loket.outbox.1@loket.localhost>'],
    });
    expect(parsed.message.text).toContain('Mijn loonstrook klopt niet.');
    expect(parsed.message.html).toBe('<p>Mijn <b>loonstrook</b> klopt niet.</p>');
  });

  it('is stored under a hash of its bytes when it has no Message-ID, From or Date', async () => {
    const bytes = raw('Subject: zonder afzender', 'Hallo');
    const parsed = await parseMail(bytes, new Date());
    expect(parsed.message.externalId).toBe(mailExternalId(undefined, bytes));
    expect(parsed.message.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parsed.message.sender).toEqual({});
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
