/**
 * The workspace in the agent's language: Dutch by default, English by choice, kept on the
 * account. Real: HTTP with sessions, PostgreSQL, Redis, the workers.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let anna: Session;
let reference: string;

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Jan', email: 'jan@example.org', subject: 'Verlof', message: 'Hoeveel verlofuren heb ik nog?' }),
  });
  ({ reference } = (await response.json()) as { reference: string });
  await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length === 1, 'the case');
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

const casePage = async () => (await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: anna.cookie } })).text();

it('shows the case in Dutch, switches to English on the account, and back', async () => {
  const dutch = await casePage();
  expect(dutch).toContain('<html lang="nl">');
  expect(dutch).toContain('<h2 id="actions-title">Behandelen</h2>');
  expect(dutch).toMatch(/<button type="submit" lang="en">English<\/button>/);

  const switched = await postAs(loket.url, anna, '/werkplek/taal', { taal: 'en', terug: `/werkplek/zaken/${reference}` });
  expect(switched.status).toBe(303);
  expect(switched.headers.get('location')).toBe(`/werkplek/zaken/${reference}`);
  const [account] = await loket.db!.query<{ locale: string }>(`select locale from users where email = 'anna@example.org'`);
  expect(account!.locale).toBe('en');

  const english = await casePage();
  expect(english).toContain('<html lang="en">');
  expect(english).toContain('<h2 id="actions-title">Handle</h2>');
  expect(english).toContain('Back to the cases');
  expect(english).toContain('<dt>Channel</dt><dd>Web form</dd>');
  expect(english).not.toContain('Behandelen');
  expect(english).toMatch(/<button type="submit" lang="nl">Nederlands<\/button>/);

  expect((await postAs(loket.url, anna, '/werkplek/taal', { taal: 'nl', terug: '/werkplek' })).status).toBe(303);
  expect(await casePage()).toContain('<html lang="nl">');
});

it('goes back only to its own pages, and refuses a language it does not have', async () => {
  const away = await postAs(loket.url, anna, '/werkplek/taal', { taal: 'nl', terug: 'https://elders.example.org/' });
  expect(away.headers.get('location')).toBe('/werkplek');
  const sneaky = await postAs(loket.url, anna, '/werkplek/taal', { taal: 'nl', terug: '//elders.example.org/werkplek' });
  expect(sneaky.headers.get('location')).toBe('/werkplek');
  const unknown = await postAs(loket.url, anna, '/werkplek/taal', { taal: 'de', terug: '/werkplek' });
  expect(unknown.status).toBe(400);
  expect(((await unknown.json()) as { fields: Record<string, string> }).fields).toHaveProperty('taal');
  // Without the session's CSRF token the language is not changed.
  const forged = await fetch(`${loket.url}/werkplek/taal`, {
    method: 'POST',
    headers: { cookie: anna.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ taal: 'en', terug: '/werkplek' }),
  });
  expect(forged.status).toBe(403);
});
