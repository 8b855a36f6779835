/**
 * The people who ask, signed in at the employees' portal (issue 20, item 6): the form takes the
 * portal's ID token, checked against the keys the portal publishes (found through its discovery
 * document), with issuer, audience and expiry; the verified employee number goes on the message,
 * threads it, and shows the person their cases on "Mijn vragen". The test plays the portal: its
 * own key pair, its discovery document and JWKS served over HTTP. Loket is real (HTTP,
 * socket.io, PostgreSQL, Redis, the workers).
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { freePort } from './support/browser.js';
import { OPEN_CLOCK, visitor } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let portal: Server;
let issuer: string;
let portalKey: CryptoKey;
let agent: Session;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  portalKey = privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'portal-1', alg: 'RS256', use: 'sig' };
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  portal = createServer((request, response) => {
    const body =
      request.url === '/.well-known/openid-configuration' ? { issuer, jwks_uri: `${issuer}/keys` } : request.url === '/keys' ? { keys: [jwk] } : undefined;
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => portal.listen(port, '127.0.0.1', resolve));
  // Office hours (the chat is open); the tokens' times stay the real ones.
  loket = await startTestLoket(
    { PORTAL_ISSUER: issuer, PORTAL_AUDIENCE: 'loket', IDENTITY_ALLOW_HTTP: 'true', LOGIN_RATE_LIMIT: '1000' },
    { clock: OPEN_CLOCK },
  );
  await createUser(loket.database.db, { email: 'ali@example.org', name: 'Ali Agent', role: 'agent', password: PASSWORD });
  agent = await loginAs(loket.url, 'ali@example.org');
}, 60_000);

afterAll(async () => {
  await loket?.stop();
  await new Promise((resolve) => portal?.close(resolve));
});

/** An ID token as the portal makes it; `change` makes it wrong in one way. */
async function idToken(change: { key?: CryptoKey; audience?: string; expiresIn?: string | number; employee?: string; subject?: string } = {}) {
  return new SignJWT({ employee_number: change.employee ?? '104882', name: 'Bob Jansen', email: 'bob@rijk.example' })
    .setProtectedHeader({ alg: 'RS256', kid: 'portal-1' })
    .setIssuer(issuer)
    .setSubject(change.subject ?? 'portal-user-104882')
    .setAudience(change.audience ?? 'loket')
    .setIssuedAt()
    .setExpirationTime(change.expiresIn ?? '5m')
    .sign(change.key ?? portalKey);
}

const sendForm = (fields: Record<string, string>) =>
  fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bob Jansen', email: 'bob@rijk.example', subject: 'Verlof', message: 'Hoeveel verlofuren heb ik nog?', ...fields }),
  });

const messageCount = async () => Number((await loket.db!.query<{ n: string }>(`select count(*) as n from messages`))[0]!.n);

const caseOf = async (reference: string) => {
  await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length === 1, `case ${reference}`);
  const [row] = await loket.db!.query<{ sender: Record<string, unknown>; mentions: string[] | null }>(
    `select sender, mentions from cases where reference = $1`,
    [reference],
  );
  return row!;
};

let verifiedReference: string;

describe('a form sent from inside the portal', () => {
  it('carries the verified employee number, whatever was typed, and the workspace marks it verified', async () => {
    const response = await sendForm({ identity: await idToken(), employeeNumber: '999999' });
    expect(response.status).toBe(202);
    verifiedReference = ((await response.json()) as { reference: string }).reference;
    const { sender } = await caseOf(verifiedReference);
    expect(sender).toMatchObject({ employeeNumber: '104882', verified: { issuer, subject: 'portal-user-104882' } });
    expect(sender).not.toHaveProperty('employeeNumberUnverified');
    const page = await (await fetch(`${loket.url}/werkplek/zaken/${verifiedReference}`, { headers: { cookie: agent.cookie } })).text();
    expect(page).toContain('Geverifieerd via het portaal: personeelsnummer 104882');
  });

  it('refuses an expired, forged or foreign-audience token with a clear error, and stores nothing', async () => {
    const { privateKey: forger } = await generateKeyPair('RS256');
    const cases: [string, string, string][] = [
      ['expired', await idToken({ expiresIn: Math.floor(Date.now() / 1000) - 600 }), 'Uw inlog bij het portaal is verlopen.'],
      ['forged', await idToken({ key: forger }), 'Uw inlog bij het portaal kon niet worden gecontroleerd.'],
      ['foreign audience', await idToken({ audience: 'een-andere-app' }), 'Deze inlog is niet voor Loket bedoeld.'],
      ['not a token', 'geen.token', 'Uw inlog bij het portaal kon niet worden gelezen.'],
    ];
    const before = await messageCount();
    for (const [what, token, text] of cases) {
      const response = await sendForm({ identity: token });
      expect(response.status, what).toBe(400);
      const body = (await response.json()) as { error: string; fields: Record<string, string> };
      expect(body.error, what).toBe('invalid_input');
      expect(body.fields['identity'], what).toContain(text);
    }
    // The contact page (no JavaScript) says it in the page, in English when asked.
    const page = await fetch(`${loket.url}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'Bob', email: 'bob@rijk.example', subject: 'Leave', message: 'How many hours?', lang: 'en', identity: cases[0]![1] }),
    });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Your portal sign-in has expired.');
    expect(await messageCount()).toBe(before);
  });
});

describe('threading by verified identity', () => {
  it('joins the person’s follow-up from another address, but not a stranger who types their employee number', async () => {
    const follow = await sendForm({
      identity: await idToken(),
      email: 'b.jansen@thuis.example',
      subject: `Re: ${verifiedReference}`,
      message: 'Nog een vraag.',
    });
    expect(follow.status).toBe(202);
    const stranger = await sendForm({
      name: 'Mallory',
      email: 'mallory@evil.example',
      employeeNumber: '104882',
      subject: `Over ${verifiedReference}`,
      message: 'Laat mij zijn zaak zien.',
    });
    expect(stranger.status).toBe(202);
    const strangerReference = ((await stranger.json()) as { reference: string }).reference;
    await waitFor(
      async () =>
        (
          await loket.db!.query(`select 1 from messages m join cases c on c.id = m.case_id where c.reference = $1 and m.text = 'Nog een vraag.'`, [
            verifiedReference,
          ])
        ).length === 1,
      'the follow-up on the case',
    );
    const mallory = await caseOf(strangerReference);
    expect(strangerReference).not.toBe(verifiedReference);
    // Its own case, marked as naming somebody else's.
    expect(mallory.mentions).toEqual([verifiedReference]);
    expect(mallory.sender).toMatchObject({ employeeNumber: '104882', employeeNumberUnverified: true });
  });
});

describe('Mijn vragen', () => {
  it('shows the signed-in person their cases, not one a stranger made with their number', async () => {
    const page = await fetch(`${loket.url}/mijn-vragen`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ identity: await idToken() }),
    });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('<h1>Mijn vragen</h1>');
    expect(text).toContain(`>${verifiedReference}</a>`);
    expect(text.match(/<tr><td><a href="\/zaak\//g)?.length).toBe(1);

    const api = await fetch(`${loket.url}/api/v1/mijn-vragen`, { headers: { authorization: `Bearer ${await idToken()}` } });
    expect(api.status).toBe(200);
    const json = (await api.json()) as { employeeNumber: string; cases: { reference: string; caseUrl: string }[] };
    expect(json.employeeNumber).toBe('104882');
    expect(json.cases.map((c) => c.reference)).toEqual([verifiedReference]);
    const casePage = await fetch(json.cases[0]!.caseUrl.replace(/^https?:\/\/[^/]+/, loket.url));
    expect(await casePage.text()).toContain('Hoeveel verlofuren heb ik nog?');
  });

  it('shows another employee nothing of Bob’s, and refuses a bad token', async () => {
    const other = await fetch(`${loket.url}/api/v1/mijn-vragen`, {
      headers: { authorization: `Bearer ${await idToken({ employee: '200001', subject: 'portal-user-200001' })}` },
    });
    expect(((await other.json()) as { cases: unknown[] }).cases).toEqual([]);
    for (const token of [await idToken({ expiresIn: Math.floor(Date.now() / 1000) - 600 }), await idToken({ audience: 'een-andere-app' })]) {
      const refused = await fetch(`${loket.url}/api/v1/mijn-vragen`, { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(401);
      expect(await refused.json()).not.toHaveProperty('cases');
    }
    const page = await fetch(`${loket.url}/mijn-vragen`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('Open Mijn vragen vanuit het portaal');
  });
});

describe('a chat started inside the portal', () => {
  it('carries the verified employee number; a forged token is refused by name and starts nothing', async () => {
    const socket = await visitor(loket.url);
    try {
      const started = await socket.call<{ ok: boolean; conversationId: string }>('chat:start', {
        name: 'Bob',
        topic: 'inloggen',
        identity: await idToken(),
        employeeNumber: '1',
      });
      expect(started.ok).toBe(true);
      const [row] = await loket.db!.query<{ visitor: Record<string, unknown> }>(`select visitor from conversations where id = $1`, [started.conversationId]);
      expect(row!.visitor).toMatchObject({ employeeNumber: '104882', verified: { issuer, subject: 'portal-user-104882' } });

      const { privateKey: forger } = await generateKeyPair('RS256');
      const before = await loket.db!.query(`select id from conversations`);
      const refused = await socket.call('chat:start', { name: 'Bob', topic: 'inloggen', identity: await idToken({ key: forger }), locale: 'en' });
      expect(refused).toEqual({
        ok: false,
        error: 'identity',
        field: 'identity',
        message: 'Your portal sign-in could not be checked. Reload the portal page and try again.',
      });
      expect((await loket.db!.query(`select id from conversations`)).length).toBe(before.length);

      // A number typed in the widget is only the visitor's word.
      const typed = await socket.call<{ ok: boolean; conversationId: string }>('chat:start', { name: 'Mallory', topic: 'inloggen', employeeNumber: '104882' });
      const [own] = await loket.db!.query<{ visitor: Record<string, unknown> }>(`select visitor from conversations where id = $1`, [typed.conversationId]);
      expect(own!.visitor).toMatchObject({ employeeNumber: '104882', employeeNumberUnverified: true });
    } finally {
      socket.close();
    }
  });
});
