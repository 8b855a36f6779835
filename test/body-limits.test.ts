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
