/**
 * Who may call what. Real: HTTP, PostgreSQL (accounts, sessions, tokens), Redis (login rate
 * limit). The routes are not listed here by hand: the test walks every route Loket
 * registered, so a new route without the right access fails it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { createApiToken } from '../src/auth/sessions.js';
import { startTestLoket, type TestLoket } from './support/loket.js';

let loket: TestLoket;
const PASSWORD = 'een-lang-wachtwoord-42';

/** A concrete path for a route pattern: parameters and wildcards filled in. */
const pathOf = (url: string) => url.replace(/:[^/]+/g, 'x').replace(/\*/g, 'x');

async function login(email: string, password = PASSWORD): Promise<{ cookie: string; csrfToken: string; response: Response }> {
  const response = await fetch(`${loket.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { csrfToken?: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrfToken: body.csrfToken ?? '', response };
}

const call = (method: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${loket.url}${path}`, { method, headers: { accept: 'application/json', ...headers }, redirect: 'manual' });

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000' });
  const db = loket.database.db;
  await createUser(db, { email: 'agent@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(db, { email: 'admin@example.org', name: 'Ada Admin', role: 'admin', password: PASSWORD });
});

afterAll(async () => {
  await loket?.stop();
});

describe('role boundaries on every registered route', () => {
  it('anonymous callers get 401 on every route that is not public', async () => {
    const guarded = loket.routes.filter((route) => route.access !== 'public' && route.access !== 'metrics');
    expect(guarded.map((r) => r.url)).toEqual(expect.arrayContaining(['/werkplek', '/api/v1/me', '/logout', '/admin/queues']));
    for (const route of guarded) {
      const response = await call(route.method, pathOf(route.url));
      expect(response.status, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('public routes answer anonymous callers', async () => {
    const open = loket.routes.filter((route) => route.access === 'public' && route.method === 'GET');
    expect(open.map((r) => r.url)).toEqual(
      expect.arrayContaining(['/contact', '/zaak/:token', '/widget.js', '/api/v1/chat/config', '/healthz', '/readyz', '/login']),
    );
    for (const route of open) {
      const response = await call('GET', pathOf(route.url));
      // Mijn vragen takes the portal's ID token instead of a session: without one it refuses by itself, saying why.
      if (route.url === '/api/v1/mijn-vragen') {
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ error: 'identity_refused' });
        continue;
      }
      expect([401, 403], `GET ${route.url} answered ${response.status}`).not.toContain(response.status);
    }
  });

  it('an agent gets 403 on every admin route, and in on agent routes', async () => {
    const { cookie } = await login('agent@example.org');
    const admin = loket.routes.filter((route) => route.access === 'admin');
    expect(admin.length).toBeGreaterThan(0);
    for (const route of admin) {
      const response = await call(route.method, pathOf(route.url), { cookie });
      expect(response.status, `${route.method} ${route.url}`).toBe(403);
    }
    const me = await call('GET', '/api/v1/me', { cookie });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ name: 'Anna Agent', role: 'agent' });
  });

  it('an admin opens the queues board', async () => {
    const { cookie } = await login('admin@example.org');
    const board = await call('GET', '/admin/queues', { cookie, accept: 'text/html' });
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('<html');
  });

  it('machines use API tokens with a role of their own', async () => {
    const token = await createApiToken(loket.database.db, 'telefonie', 'agent');
    expect((await call('GET', '/api/v1/me', { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await call('GET', '/admin/queues', { authorization: `Bearer ${token}` })).status).toBe(403);
    expect((await call('GET', '/api/v1/me', { authorization: 'Bearer lkt_not-a-real-token' })).status).toBe(401);
  });
});

describe('sessions', () => {
  it('a login sets an HttpOnly, SameSite=Strict cookie; state changes need the CSRF token; logout ends the session', async () => {
    const { cookie, csrfToken, response } = await login('agent@example.org');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(csrfToken.length).toBeGreaterThan(20);

    const forged = await fetch(`${loket.url}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(forged.status).toBe(403);
    // A token is good for its own session only: another person's (valid) token is refused.
    const other = await login('admin@example.org');
    const borrowed = await fetch(`${loket.url}/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': other.csrfToken }, redirect: 'manual' });
    expect(borrowed.status).toBe(403);
    // A fresh token from the session's own page (/api/v1/me) is good, as the one from the login.
    const fresh = ((await (await call('GET', '/api/v1/me', { cookie })).json()) as { csrfToken: string }).csrfToken;
    expect(fresh).not.toBe(csrfToken);
    expect((await call('GET', '/api/v1/me', { cookie })).status).toBe(200);

    const out = await fetch(`${loket.url}/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': fresh }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect((await call('GET', '/api/v1/me', { cookie })).status).toBe(401);
  });

  it('the login form works without JavaScript and sends a person where they were going', async () => {
    const response = await fetch(`${loket.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'agent@example.org', password: PASSWORD, next: '/api/v1/me' }),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/api/v1/me');
    const elsewhere = await fetch(`${loket.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'agent@example.org', password: PASSWORD, next: '//evil.example.com/' }),
      redirect: 'manual',
    });
    expect(elsewhere.headers.get('location')).toBe('/werkplek');
  });

  it('rate-limits login attempts per client', async () => {
    const strict = await startTestLoket({ LOGIN_RATE_LIMIT: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${strict.url}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'x@example.org', password: 'x' }),
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await strict.stop();
    }
  });
});

describe('the first admin', () => {
  it('is made by npm run user:add and can log in', async () => {
    const env = { ...process.env, DATABASE_URL: loket.db!.url, DATA_DIR: loket.dataDir, LOG_LEVEL: 'silent' };
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'scripts/user.ts', 'add', '--email', 'eerste@example.org', '--role', 'admin', '--name', 'Eerste Beheerder'],
      { env },
    );
    const password = /password: (\S+)/.exec(stdout)?.[1];
    expect(password, stdout).toBeDefined();
    const { response } = await login('eerste@example.org', password);
    expect(response.status).toBe(200);
    const bad = promisify(execFile)('npx', ['tsx', 'scripts/user.ts', 'add', '--email', 'x@example.org', '--role', 'king'], { env });
    await expect(bad).rejects.toMatchObject({ stderr: expect.stringContaining('--role must be one of agent, coordinator, admin') });
  });
});

describe('/metrics', () => {
  it('answers this machine without a token, and with METRICS_TOKEN only a scraper that sends it', async () => {
    expect((await call('GET', '/metrics')).status).toBe(200);
    const guarded = await startTestLoket({ METRICS_TOKEN: 'scrape-token-0123456789' });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scrape-token-0123456789' } })).status).toBe(200);
    } finally {
      await guarded.stop();
    }
  });
});
