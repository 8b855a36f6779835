/**
 * Login against password guessing, without telling which accounts exist and without letting
 * anyone lock an account. Real: HTTP, PostgreSQL (accounts), Redis (the throttle's counters),
 * argon2. Client addresses come from X-Forwarded-For (TRUST_PROXY), so each test picks its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { PASSWORD } from './support/session.js';
import { sleep } from './support/wait.js';

let loket: TestLoket;

beforeAll(async () => {
  loket = await startTestLoket({
    TRUST_PROXY: 'true',
    LOGIN_RATE_LIMIT: '1000',
    LOGIN_FREE_FAILURES: '3',
    LOGIN_DELAY_MAX_SECONDS: '2',
    LOGIN_IP_FAILURES: '5',
  });
  for (const name of ['anna', 'bram', 'cor', 'dirk', 'eva', 'fien', 'gijs', 'hans', 'ilse', 'joop', 'kees']) {
    await createUser(loket.database.db, { email: `${name}@example.org`, name, role: name === 'anna' ? 'admin' : 'agent', password: PASSWORD });
  }
});

afterAll(async () => {
  await loket?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: string;
  /** The device cookie the answer set, if any (`loket_device=…`). */
  device: string | undefined;
}

async function attempt(email: string, password: string, from: string, form = false, cookie?: string): Promise<Answer> {
  const response = await fetch(`${loket.url}/login`, {
    method: 'POST',
    headers: {
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-forwarded-for': from,
      ...(cookie ? { cookie } : {}),
    },
    body: form ? new URLSearchParams({ email, password }) : JSON.stringify({ email, password }),
    redirect: 'manual',
  });
  const device = response.headers
    .getSetCookie()
    .find((line) => line.startsWith('loket_device='))
    ?.split(';')[0];
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text(), device };
}

async function timed(email: string, password: string, from: string): Promise<number> {
  const start = performance.now();
  await attempt(email, password, from);
  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

describe('login answers', () => {
  for (const form of [false, true]) {
    it(`give an unknown address exactly the answers of an existing account, however many wrong passwords (${form ? 'form' : 'JSON'})`, async () => {
      const existing = form ? 'cor@example.org' : 'bram@example.org';
      const unknown = form ? 'niemand-form@example.org' : 'niemand@example.org';
      const answers: Array<{ existing: Answer; unknown: Answer }> = [];
      for (let i = 0; i < 8; i++) {
        answers.push({
          existing: await attempt(existing, `fout-${i}`, form ? '192.0.2.11' : '192.0.2.1', form),
          unknown: await attempt(unknown, `fout-${i}`, form ? '192.0.2.12' : '192.0.2.2', form),
        });
      }
      for (const [i, pair] of answers.entries()) expect(pair.unknown, `attempt ${i + 1}`).toEqual(pair.existing);
      expect(answers.map((pair) => pair.existing.status)).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
      expect(answers[0]?.existing.body).toContain('Het e-mailadres of het wachtwoord klopt niet.');
      expect(answers[3]?.existing.body).toContain('Te veel mislukte pogingen om in te loggen. Wacht 1 seconde');
    });
  }

  it('take as long for an unknown address as for a wrong password', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (const [i, name] of ['dirk', 'eva', 'fien', 'gijs', 'hans'].entries()) {
      known.push(await timed(`${name}@example.org`, 'fout', `192.0.2.${20 + i}`));
      unknown.push(await timed(`onbekend-${i}@example.org`, 'fout', `192.0.2.${30 + i}`));
    }
    // An unknown address that skipped the password hash would answer in a fraction of the time.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.6);
    expect(median(unknown)).toBeLessThan(median(known) * 1.7);
  });
});

describe('wrong passwords for one account', () => {
  it('make each further attempt wait 1, 2 … seconds up to the maximum, from any address', async () => {
    let address = 0;
    const from = () => `198.51.100.${++address}`;
    const wrong = () => attempt('ilse@example.org', 'fout', from());
    for (let i = 0; i < 3; i++) expect((await wrong()).status).toBe(401);
    expect(await wrong()).toMatchObject({ status: 429, retryAfter: '1' });
    await sleep(1_050);
    expect((await wrong()).status).toBe(401);
    expect(await wrong()).toMatchObject({ status: 429, retryAfter: '2' });
    await sleep(2_050);
    expect((await wrong()).status).toBe(401);
    // The next wait would be 4 seconds; LOGIN_DELAY_MAX_SECONDS holds it at 2.
    expect(await wrong()).toMatchObject({ status: 429, retryAfter: '2' });
  });

  it('keep the real user out no longer than the wait: the right password after it signs in', async () => {
    const attacker = '203.0.113.66';
    for (let i = 0; i < 20; i++) await attempt('joop@example.org', `geraden-${i}`, attacker);

    const tooEarly = await attempt('joop@example.org', PASSWORD, '203.0.113.7');
    expect(tooEarly.status).toBe(429);
    const wait = Number(tooEarly.retryAfter);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(2);

    await sleep(wait * 1_000 + 50);
    const signedIn = await attempt('joop@example.org', PASSWORD, '203.0.113.7');
    expect(signedIn.status).toBe(200);
    // A good password ends the waiting: the next mistake is a free one again.
    expect((await attempt('joop@example.org', 'tikfout', '203.0.113.7')).status).toBe(401);
    expect((await attempt('joop@example.org', PASSWORD, '203.0.113.7')).status).toBe(200);
  });
});

describe('guessing that never stops', () => {
  it('cannot keep the owner out: a browser that signed in before has a turn of its own', async () => {
    const mine = await attempt('kees@example.org', PASSWORD, '192.0.2.10');
    expect(mine.status).toBe(200);
    expect(mine.device).toMatch(/^loket_device=.{20,}/);

    // Guesses from ever new addresses: each admitted one holds the account's shared turn.
    let address = 0;
    const guess = () => attempt('kees@example.org', `raden-${address}`, `198.18.0.${++address}`);
    // Past the free failures: from now on every admitted guess makes the next one wait.
    for (let i = 0; i < 3; i += 1) expect((await guess()).status).toBe(401);
    for (let round = 0; round < 3; round += 1) {
      while ((await guess()).status !== 401) await sleep(100);
      // Right after an admitted guess: a new browser waits, the owner's own browser does not.
      expect((await attempt('kees@example.org', PASSWORD, '192.0.2.11')).status, 'a browser never seen before').toBe(429);
      const owner = await attempt('kees@example.org', PASSWORD, '192.0.2.10', false, mine.device);
      expect(owner.status, 'the owner’s browser').toBe(200);
    }
  });
});

describe('wrong passwords from one client address', () => {
  it('stop that address, over all accounts, once it used up its window, and no other address', async () => {
    const guesser = '203.0.113.99';
    for (let i = 0; i < 5; i++) expect((await attempt(`gok-${i}@example.org`, 'fout', guesser)).status).toBe(401);

    const refused = await attempt('anna@example.org', PASSWORD, guesser);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60 * 60);
    expect(refused.body).toContain('Te veel mislukte pogingen om in te loggen.');

    expect((await attempt('anna@example.org', PASSWORD, '203.0.113.100')).status).toBe(200);
  });

  it('are counted by the address our proxy added, not by what the client wrote in front of it', async () => {
    const real = '203.0.113.150';
    for (let i = 0; i < 5; i++) expect((await attempt(`vals-${i}@example.org`, 'fout', `10.0.${i}.1, ${real}`)).status).toBe(401);
    expect((await attempt('anna@example.org', PASSWORD, `10.99.0.1, ${real}`)).status).toBe(429);
  });
});
