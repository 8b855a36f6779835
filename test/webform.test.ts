/**
 * The web-form flow end to end. Real: PostgreSQL (a database of its own), Redis,
 * BullMQ workers, HTTP, and an SMTP server (smtp-server) that receives the notices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';
import { startSmtpSink } from './support/smtp-sink.js';

let loket: TestLoket;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

const valid = {
  name: 'Jan de Vries',
  email: 'jan.devries@example.org',
  subject: 'Mijn salarisstrook',
  message: 'Op mijn salarisstrook van oktober staat een verkeerd bedrag.',
};

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const countRows = async (table: string) => Number((await loket.db!.query<{ n: string }>(`select count(*) as n from ${table}`))[0]!.n);

/** A tiny but real PDF. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

beforeAll(async () => {
  smtp = await startSmtpSink();
  loket = await startTestLoket({ SMTP_URL: smtp.url, WEBFORM_MAX_FILE_MB: '0.05', WEBFORM_MAX_FILES: '2', WEBFORM_RATE_LIMIT_MAX: '1000' });
});

afterAll(async () => {
  await loket?.stop();
  await smtp?.close();
});

describe('a form message', () => {
  it('gets 202 with a reference, opens a case, and its acknowledgement reaches the case page and the mailbox', async () => {
    const response = await post(valid);
    expect(response.status).toBe(202);
    const body = (await response.json()) as { reference: string; statusUrl: string };
    expect(body.reference).toMatch(/^ZK-\d{4}-\d{6}$/);
    expect(body.statusUrl).toMatch(/\/zaak\/[A-Za-z0-9_-]{30,}$/);

    const [acknowledgement] = await waitFor(async () => {
      const rows = await loket.db!.query<{ status: string; subject: string; body: string; topic: string }>(
        `select o.status, o.subject, o.body, c.topic from outbox o join cases c on c.id = o.case_id
           where c.reference = $1 and o.kind = 'acknowledgement' and o.status = 'sent'`,
        [body.reference],
      );
      return rows.length > 0 && rows;
    }, 'the acknowledgement to be sent');
    expect(acknowledgement!.topic).toBe('salaris');
    expect(acknowledgement!.body).toContain(body.reference);
    expect(acknowledgement!.body).toMatch(/uiterlijk op \w+dag \d+ \w+ \d{4}/);

    const page = await (await fetch(body.statusUrl.replace(loket.config.PUBLIC_URL, loket.url))).text();
    expect(page).toContain(body.reference);
    expect(page).toContain('data-kind="acknowledgement"');
    expect(page).toContain('Op mijn salarisstrook van oktober');

    const mail = await waitFor(async () => smtp.mails.find((m) => m.raw.includes(body.reference)), 'the notice mail');
    expect(mail.to).toEqual([valid.email]);
    expect(mail.header('Auto-Submitted')).toBe('auto-replied');
    expect(mail.header('X-Auto-Response-Suppress')).toBe('All');
    expect(mail.messageId).toMatch(/^<loket\.outbox\.\d+@loket\.localhost>$/);
  });

  it('submitted twice with one submissionId is one message with one reference', async () => {
    const before = await countRows('messages');
    const submission = { ...valid, submissionId: 'form-7f3a9c1e-0001' };
    const [first, second] = await Promise.all([post(submission), post(submission)]);
    const third = await post(submission);
    const references = await Promise.all(
      [first, second, third].map(async (r) => {
        expect(r.status).toBe(202);
        return ((await r.json()) as { reference: string }).reference;
      }),
    );
    expect(new Set(references).size).toBe(1);
    expect(await countRows('messages')).toBe(before + 1);
  });

  it('quoting a registration number joins that case instead of opening another', async () => {
    const first = (await (await post(valid)).json()) as { reference: string; statusUrl: string };
    const followUp = (await (await post({ ...valid, subject: `Aanvulling op ${first.reference}`, message: 'Hierbij nog een aanvulling.' })).json()) as {
      reference: string;
      statusUrl?: string;
    };
    expect(followUp.reference).toBe(first.reference);
    expect(followUp.statusUrl, 'quoting a number proves nothing: no case page').toBeUndefined();
    const rows = await waitFor(async () => {
      const found = await loket.db!.query<{ n: string }>(`select count(*) as n from messages m join cases c on c.id = m.case_id where c.reference = $1`, [
        first.reference,
      ]);
      return Number(found[0]!.n) === 2 && found;
    }, 'both messages on one case');
    expect(rows).toBeTruthy();
    // A follow-up gets no second acknowledgement.
    const acks = await loket.db!.query(`select o.id from outbox o join cases c on c.id = o.case_id where c.reference = $1`, [first.reference]);
    expect(acks).toHaveLength(1);
  });

  it('keeps attachments as content-addressed blobs, one blob for the same bytes twice', async () => {
    const form = new FormData();
    for (const [key, value] of Object.entries(valid)) form.append(key, value);
    form.append('attachments', new Blob([PDF], { type: 'application/pdf' }), 'loonstrook.pdf');
    form.append('attachments', new Blob([PDF], { type: 'application/pdf' }), 'kopie.pdf');
    const response = await fetch(`${loket.url}/api/v1/webform`, { method: 'POST', body: form });
    expect(response.status).toBe(202);
    const rows = await loket.db!.query<{ filename: string; content_type: string; sha256: string }>(
      `select a.filename, a.content_type, a.sha256 from attachments a join messages m on m.id = a.message_id
       where m.reference = $1 order by a.filename`,
      [((await response.json()) as { reference: string }).reference],
    );
    expect(rows.map((r) => r.filename)).toEqual(['kopie.pdf', 'loonstrook.pdf']);
    expect(rows.every((r) => r.content_type === 'application/pdf')).toBe(true);
    const blobs = await loket.db!.query<{ size: number }>(`select size from blobs where sha256 = $1`, [rows[0]!.sha256]);
    expect(blobs).toEqual([{ size: PDF.byteLength }]);
  });
});

describe('bad input', () => {
  it('gets 400 with an error for every invalid field, and nothing is stored', async () => {
    const before = await countRows('messages');
    const response = await post({ name: '', email: 'geen-adres', subject: 'x'.repeat(201), message: '  ', topic: 'raketten', extra: 1 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; fields: Record<string, string> };
    expect(body.error).toBe('invalid_input');
    expect(Object.keys(body.fields).sort()).toEqual(['email', 'extra', 'message', 'name', 'subject']);
    expect(body.fields['email']).toMatch(/e-mailadres/);
    expect(await countRows('messages')).toBe(before);
  });

  it('names an unknown topic, in English when asked', async () => {
    const response = await post({ ...valid, topic: 'raketten', lang: 'en' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fields: Record<string, string> };
    expect(body.fields).toEqual({ topic: 'Choose a topic from the list.' });
  });

  it('refuses a file that is not a PDF, image or office document, whatever it claims to be', async () => {
    const form = new FormData();
    for (const [key, value] of Object.entries(valid)) form.append(key, value);
    form.append('attachments', new Blob(['#!/bin/sh\necho hoi\n'], { type: 'application/pdf' }), 'script.pdf');
    const response = await fetch(`${loket.url}/api/v1/webform`, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { fields: Record<string, string> }).fields['attachments']).toContain('script.pdf');
  });

  it('gets 413 for a file over the size limit, in multipart and in JSON', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(60 * 1024, 0x20)]);
    const form = new FormData();
    for (const [key, value] of Object.entries(valid)) form.append(key, value);
    form.append('attachments', new Blob([big], { type: 'application/pdf' }), 'groot.pdf');
    expect((await fetch(`${loket.url}/api/v1/webform`, { method: 'POST', body: form })).status).toBe(413);

    const json = await post({ ...valid, attachments: [{ filename: 'groot.pdf', content: big.toString('base64') }] });
    expect(json.status).toBe(413);
  });

  it('gets 413 for more files than allowed', async () => {
    const form = new FormData();
    for (const [key, value] of Object.entries(valid)) form.append(key, value);
    for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) form.append('attachments', new Blob([PDF], { type: 'application/pdf' }), name);
    expect((await fetch(`${loket.url}/api/v1/webform`, { method: 'POST', body: form })).status).toBe(413);
  });

  it('a filled honeypot looks accepted to the bot but opens no case', async () => {
    const before = await countRows('messages');
    const response = await post({ ...valid, website: 'http://spam.example' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ received: true });
    expect(await countRows('messages')).toBe(before);
  });
});

describe('the rate limit', () => {
  it('answers 429 with Retry-After once an address sends more than the limit', async () => {
    const limited = await startTestLoket({ WEBFORM_RATE_LIMIT_MAX: '3', WEBFORM_RATE_LIMIT_WINDOW_SECONDS: '60' });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 5; i += 1) {
        last = await fetch(`${limited.url}/api/v1/webform`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(valid),
        });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([202, 202, 202, 429, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await last!.json()) as { message: string }).message).toMatch(/te veel berichten/);
    } finally {
      await limited.stop();
    }
  });
});
