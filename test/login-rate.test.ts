/** The per-minute limit on sign-in speaks of sign-in attempts. Real: Loket over HTTP, PostgreSQL, Redis. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestLoket, type TestLoket } from './support/loket.js';

let loket: TestLoket;

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '2' });
});

afterAll(async () => {
  await loket?.stop();
});

it('answers the sign-in past its per-minute limit with 429 in words about signing in', async () => {
  const attempt = () =>
    fetch(`${loket.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'iemand@example.org', password: 'fout-wachtwoord-123' }),
    });
  const statuses = [(await attempt()).status, (await attempt()).status];
  const third = await attempt();
  expect(statuses).toEqual([401, 401]);
  expect(third.status).toBe(429);
  expect(((await third.json()) as { message: string }).message).toMatch(/inlogpogingen/);
});
