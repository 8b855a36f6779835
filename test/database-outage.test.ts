/**
 * PostgreSQL away: clients get 503 with Retry-After in their language (a page for a person),
 * the outage is logged once when it starts and once when it ends, never with what people
 * wrote, and Loket takes messages again once the database is back.
 * Real: a PostgreSQL server of the test's own (stopped and started by the test), Redis, HTTP.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { capturingLogger, postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/postgres-server.js';
import { waitFor } from './support/wait.js';

let postgres: PrivatePostgres;
let loket: TestLoket;
const { log, lines } = capturingLogger();

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  loket = await startTestLoket({ DATABASE_URL: postgres.url, WEBFORM_RATE_LIMIT_MAX: '1000' }, { log });
}, 60_000);

afterAll(async () => {
  await loket?.stop();
  await postgres?.close();
});

const secret = 'Mijn bankrekeningnummer is NL00BANK0123456789';
const form = { name: 'Sanne de Geheim', email: 'sanne@example.org', subject: 'Salaris', message: secret };

const post = (headers: Record<string, string> = {}) =>
  fetch(`${loket.url}/api/v1/webform`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(form) });

it('answers 503 with Retry-After while the database is down, logs it once, and takes messages again after', async () => {
  await postWebform(loket.url, form);
  await postgres.stop();

  const answers = [];
  for (let i = 0; i < 10; i++) answers.push(await post());
  expect(answers.map((a) => a.status)).toEqual(Array(10).fill(503));
  expect(answers[0]!.headers.get('retry-after')).toBe('60');
  expect(((await answers[0]!.json()) as { message: string }).message).toMatch(/probeer het over een minuut opnieuw/);
  const english = await post({ 'accept-language': 'en-GB,en;q=0.9' });
  expect(((await english.json()) as { message: string }).message).toMatch(/try again in a minute/);

  const page = await fetch(`${loket.url}/contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(form),
  });
  expect(page.status).toBe(503);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  expect(await page.text()).toContain('Even niet beschikbaar');

  expect(lines.filter((line) => line['msg'] === 'database unavailable; answering 503 until it is back')).toHaveLength(1);
  expect(lines.filter((line) => line['level'] === 50 && line['msg'] === 'request failed')).toEqual([]);

  await postgres.start();
  await waitFor(async () => ((await post()).status === 202 ? true : undefined), 'a form message to be taken again', 30_000, 500);
  await waitFor(async () => lines.some((line) => line['msg'] === 'database back') || undefined, 'the log to say the database is back', 10_000);
  // Nothing anyone wrote reached the log, not even in a failed statement.
  expect(JSON.stringify(lines)).not.toContain('NL00BANK0123456789');
  expect(JSON.stringify(lines)).not.toContain('Sanne de Geheim');
}, 90_000);
