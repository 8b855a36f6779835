/**
 * The per-minute limit on sign-in speaks of sign-in attempts, and counts per client as our
 * proxy saw it (TRUST_PROXY). Real: Loket over HTTP, PostgreSQL, Redis.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestLoket, type TestLoket } from './support/loket.js';

let loket: TestLoket;

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '2', TRUST_PROXY: 'true' });
});

afterAll(async () => {
  await loket?.stop();
});

const attempt = (forwardedFor?: string, email = 'iemand@example.org') =>
  fetch(`${loket.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ email, password: 'fout-wachtwoord-123' }),
  });

it('answers the sign-in past its per-minute limit with 429 in words about signing in', async () => {
  const statuses = [(await attempt()).status, (await attempt()).status];
  const third = await attempt();
  expect(statuses).toEqual([401, 401]);
  expect(third.status).toBe(429);
  expect(((await third.json()) as { message: string }).message).toMatch(/inlogpogingen/);
});

it('counts by the address our proxy added, not by what the client wrote in front of it', async () => {
  const real = '203.0.113.77';
  // The client forges a new first entry every time (and a new account name, so no account's
  // own wait answers first); the proxy appends the real address last.
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await attempt(`10.${i}.0.1, ${real}`, `vals-${i}@example.org`));
  expect(answers.map((answer) => answer.status)).toEqual([401, 401, 429]);
  expect(((await answers[2]!.json()) as { message: string }).message).toMatch(/inlogpogingen/);
  // Another client behind the same proxy has a count of its own.
  expect((await attempt('10.9.0.1, 203.0.113.78', 'ander@example.org')).status).toBe(401);
});
