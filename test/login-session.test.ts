/**
 * How long a workspace session lasts: SESSION_IDLE_MINUTES after its last request (here two
 * seconds), and never more than SESSION_HOURS after the login. Real: HTTP, PostgreSQL
 * (sessions), Redis (the live-update stream).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, type Session } from './support/session.js';
import { sleep } from './support/wait.js';

const IDLE_MS = 2_000;

let loket: TestLoket;

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', SESSION_IDLE_MINUTES: String(IDLE_MS / 60_000) });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: 'een-lang-wachtwoord-42' });
});

afterAll(async () => {
  await loket?.stop();
});

const me = (session: Session) => fetch(`${loket.url}/api/v1/me`, { headers: { cookie: session.cookie, accept: 'application/json' } });

/** Opens the workspace's live-update stream as an open page does, and closes it again once answered. */
async function listen(session: Session): Promise<number> {
  const stop = new AbortController();
  const response = await fetch(`${loket.url}/werkplek/live`, { headers: { cookie: session.cookie, accept: 'text/event-stream' }, signal: stop.signal });
  stop.abort();
  return response.status;
}

describe('a workspace session', () => {
  it('ends after the idle timeout without a request', async () => {
    const session = await loginAs(loket.url, 'anna@example.org');
    expect((await me(session)).status).toBe(200);
    await sleep(IDLE_MS + 500);
    const after = await me(session);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { message: string }).message).toBe('Log eerst in.');
  });

  it('stays open past the idle timeout while requests keep coming', async () => {
    const session = await loginAs(loket.url, 'anna@example.org');
    for (let i = 0; i < 5; i++) {
      await sleep(IDLE_MS / 2);
      expect((await me(session)).status, `request ${i + 1}, ${((i + 1) * IDLE_MS) / 2} ms after login`).toBe(200);
    }
  });

  it('is not kept open by an open page listening for live updates', async () => {
    const session = await loginAs(loket.url, 'anna@example.org');
    const streams: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sleep(IDLE_MS / 2);
      streams.push(await listen(session));
    }
    expect(streams[0], 'the stream opened while the session was young').toBe(200);
    expect((await me(session)).status).toBe(401);
  });

  it('ends SESSION_HOURS after the login, however busy', async () => {
    const session = await loginAs(loket.url, 'anna@example.org');
    expect((await me(session)).status).toBe(200);
    await loket.db!.query(`update sessions set created_at = now() - interval '10 hours'`);
    expect((await me(session)).status).toBe(401);
  });
});
