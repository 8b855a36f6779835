/**
 * Large bodies are refused early on every kind of route, and a wrong content type gets 415.
 * Real: Loket over HTTP on PostgreSQL (a database of its own) and Redis; the bodies are
 * streamed over a real socket and counted, as an attacker would send them.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';

let loket: TestLoket;
let agent: Session;

beforeAll(async () => {
  loket = await startTestLoket({ WEBFORM_RATE_LIMIT_MAX: '1000', WEBFORM_MAX_FILES: '2', WEBFORM_MAX_FILE_MB: '1' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  agent = await loginAs(loket.url, 'anna@example.org');
});

afterAll(async () => {
  await loket?.stop();
});

const MB = 1024 * 1024;

/**
 * Streams `size` bytes to the path in 64 KB chunks, announcing the whole length, and stops
 * once the answer arrives; says what the status was and how much had gone out by then.
 */
function sendLarge(
  path: string,
  contentType: string,
  size: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; sentBeforeAnswer: number }> {
  const { hostname, port } = new URL(loket.url);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(
      { hostname, port, path, method: 'POST', headers: { 'content-type': contentType, 'content-length': String(size), ...headers } },
      (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sentBeforeAnswer: sent });
        req.destroy();
      },
    );
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const pump = () => {
      while (!answered && sent < size) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('an oversized body', () => {
  it.each([
    ['the login', '/login', 'application/json'],
    ['a signed-in JSON API', '/api/v1/calls', 'application/json'],
    ['the no-JavaScript contact form', '/contact', 'application/x-www-form-urlencoded'],
    ['the JSON form API, beyond what its files may take', '/api/v1/webform', 'application/json'],
  ])('to %s is refused with 413 before it has arrived', async (_what, path, contentType) => {
    const { status, sentBeforeAnswer } = await sendLarge(path, contentType, 100 * MB, { cookie: agent.cookie });
    expect(status).toBe(413);
    expect(sentBeforeAnswer).toBeLessThan(20 * MB);
  });

  it('leaves memory flat: three 100 MB bodies to the login at once', async () => {
    const before = process.memoryUsage();
    const results = await Promise.all([1, 2, 3].map(() => sendLarge('/login', 'application/json', 100 * MB)));
    expect(results.map((r) => r.status)).toEqual([413, 413, 413]);
    const after = process.memoryUsage();
    // Loket runs in this process: had it read the bodies, it would hold hundreds of MB.
    expect(after.rss - before.rss).toBeLessThan(64 * MB);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(32 * MB);
  });

  it('still lets a form with its allowed files through', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(900 * 1024, 'x')]);
    const response = await fetch(`${loket.url}/api/v1/webform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Sanne',
        email: 'sanne@example.org',
        subject: 'Bonnetjes',
        message: 'Twee bonnetjes.',
        attachments: [1, 2].map((n) => ({ filename: `bon-${n}.pdf`, contentType: 'application/pdf', content: pdf.toString('base64') })),
      }),
    });
    expect(response.status).toBe(202);
  });
});

/** `unit` repeated to exactly `length` UTF-16 code units (what the form's maxlength and the schema count). */
const textOf = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Scripts at their widest: Dutch with diacritics, Chinese (3 UTF-8 bytes a character), emoji (4 bytes, 2 units). */
const SCRIPTS = [
  ['Dutch with diacritics', 'Één café, één crème brûlée, ’s ochtends geïnd. '],
  ['Chinese', '我的工资单上的金额不对，请帮我看看。'],
  ['emoji', '😀🎉👍🏽'],
] as const;

/** How a form message can arrive: as the JSON API gets it, escaped as some JSON writers do, as a plain form, as multipart. */
const SENDERS: Record<string, (fields: Record<string, string>) => Promise<Response>> = {
  JSON: (fields) => fetch(`${loket.url}/api/v1/webform`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) }),
  'JSON with every character escaped': (fields) =>
    fetch(`${loket.url}/api/v1/webform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fields).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    }),
  'a plain form post': (fields) =>
    fetch(`${loket.url}/contact`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) }),
  multipart: (fields) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return fetch(`${loket.url}/contact`, { method: 'POST', body: form });
  },
};

describe('a message as long as the form allows', () => {
  const cases = SCRIPTS.flatMap(([script, unit]) => Object.keys(SENDERS).map((way) => [script, way, unit] as const));
  it.each(cases)('in %s, sent as %s, is accepted and stored whole', async (_script, way, unit) => {
    const message = textOf(unit, 20_000);
    const subject = `${way}: ${textOf(unit, 150)}`;
    const response = await SENDERS[way]!({ name: textOf(unit, 200), email: 'sanne@example.org', subject, message });
    expect(response.status, (await response.clone().text()).slice(0, 300)).toBeLessThan(300);
    const stored = await loket.db!.query<{ text: string }>(`select text from messages where subject = $1`, [subject]);
    expect(stored.map((row) => row.text === message)).toEqual([true]);
  });

  it('with its line breaks as a browser posts them (CRLF), each counted once as the text box counts it', async () => {
    // 200 lines of 99 characters and a line break: 20,000 characters in the text box.
    const typed = Array.from({ length: 200 }, () => textOf('Één café. ', 99)).join('\n');
    expect(typed.length).toBe(19_999);
    const subject = 'Veel regels';
    const response = await SENDERS['a plain form post']!({ name: 'Sanne', email: 'sanne@example.org', subject, message: typed.replaceAll('\n', '\r\n') });
    expect(response.status, (await response.clone().text()).slice(0, 300)).toBe(200);
    const stored = await loket.db!.query<{ text: string }>(`select text from messages where subject = $1`, [subject]);
    expect(stored.map((row) => row.text)).toEqual([typed]);
  });
});

describe('the login', () => {
  it('keeps a small limit: a body past 16 KB gets 413 before a password is checked', async () => {
    const response = await fetch(`${loket.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ email: 'anna@example.org', password: 'x'.repeat(32 * 1024) }),
    });
    expect(response.status).toBe(413);
  });
});

describe('a body of the wrong kind', () => {
  it('as plain text to the form API gets 415, not a field error', async () => {
    const response = await fetch(`${loket.url}/api/v1/webform`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'naam=Mallory' });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  it('with files to a route that takes none gets 415 before it is read', async () => {
    const { status, sentBeforeAnswer } = await sendLarge('/login', 'multipart/form-data; boundary=x', 50 * MB);
    expect(status).toBe(415);
    expect(sentBeforeAnswer).toBeLessThan(20 * MB);
  });
});
