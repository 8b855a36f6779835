/**
 * Bad input never reaches a 500: NUL anywhere, line breaks and bidi overrides in one-line
 * fields, files in fields not meant for them. Real: Loket over HTTP with sessions and CSRF,
 * PostgreSQL (a database of its own, which refuses NUL in text), Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';

let loket: TestLoket;
let agent: Session;
let reference: string;

beforeAll(async () => {
  loket = await startTestLoket({ WEBFORM_RATE_LIMIT_MAX: '1000' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  agent = await loginAs(loket.url, 'anna@example.org');
  reference = await postWebform(loket.url, { name: 'Sanne', email: 'sanne@example.org', subject: 'Verlof', message: 'Een vraag.' });
});

afterAll(async () => {
  await loket?.stop();
});

const valid = { name: 'Sanne', email: 'sanne@example.org', subject: 'Verlof', message: 'Een vraag.' };

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${loket.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const asAgent = (path: string, init: RequestInit = {}) =>
  fetch(`${loket.url}${path}`, { ...init, headers: { cookie: agent.cookie, accept: 'text/html', ...(init.headers ?? {}) }, redirect: 'manual' });

const agentForm = (path: string, fields: Record<string, string>) =>
  asAgent(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: agent.csrfToken, ...fields }),
  });

describe('NUL', () => {
  it.each(['name', 'subject', 'message'])("in the form API's %s is a 400 naming the field", async (field) => {
    const response = await postJson('/api/v1/webform', { ...valid, [field]: `voor\u0000na` });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain(field);
  });

  it('in the no-JavaScript form gives the citizen a page, not JSON', async () => {
    const response = await fetch(`${loket.url}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ ...valid, name: 'San\u0000ne' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });

  it("in the login, the phone API and the workspace's queries, paths, notes and answers is a 400", async () => {
    const statuses = [
      (await postJson('/login', { email: 'anna@example.org\u0000', password: PASSWORD })).status,
      (await postJson('/api/v1/calls', { summary: 'Gebeld\u0000', outcome: 'beantwoord' }, { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken })).status,
      (await asAgent('/werkplek/zaken?team=%00')).status,
      (await asAgent('/werkplek/zaken?topic=%00')).status,
      (await asAgent(`/werkplek/zaken/${reference}%00`)).status,
      (await agentForm(`/werkplek/zaken/${reference}/notitie`, { text: 'notitie\u0000' })).status,
      (await agentForm(`/werkplek/zaken/${reference}/antwoord`, { text: 'antwoord\u0000' })).status,
    ];
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400]);
  });
});

describe('one-line fields', () => {
  it.each([
    ['a line break that would add a mail header', 'Evil\r\nBcc: victim@example.org'],
    ['a bidi override that turns text around', 'Jan \u202eredoov'],
    ['a control character', 'Jan\u0007'],
  ])('refuse %s with a 400 naming the field', async (_what, name) => {
    const response = await postJson('/api/v1/webform', { ...valid, name });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fields: Record<string, string> };
    expect(Object.keys(body.fields)).toEqual(['name']);
    expect(body.fields['name']).toMatch(/teken dat niet is toegestaan/);
  });

  it('keep line breaks where text has lines', async () => {
    expect((await postJson('/api/v1/webform', { ...valid, message: 'Regel een.\r\nRegel twee.' })).status).toBe(202);
  });
});

describe('files', () => {
  const multipart = (build: (form: FormData) => void) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(valid)) form.set(key, value);
    build(form);
    return fetch(`${loket.url}/api/v1/webform`, { method: 'POST', body: form });
  };
  const pdf = new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' });

  it('are taken in the attachments field only', async () => {
    expect((await multipart((form) => form.set('attachments', pdf, 'bon.pdf'))).status).toBe(202);
    const elsewhere = await multipart((form) => form.set('subject', pdf, 'bon.pdf'));
    expect(elsewhere.status).toBe(400);
    expect(Object.keys(((await elsewhere.json()) as { fields: Record<string, string> }).fields)).toContain('subject');
  });

  it('with a bidi override in their name are refused', async () => {
    const response = await multipart((form) => form.set('attachments', pdf, 'factuur\u202efdp.exe'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { fields: Record<string, string> }).fields['attachments']).toMatch(/bijlage/);
  });
});
