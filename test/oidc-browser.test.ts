/**
 * Sign-in with the organisation's account (issue 20): a real OpenID provider (the
 * oidc-provider package, started by the test with its development login and consent pages)
 * and Chromium. A person in the employees' group lands in the workspace as an agent; one
 * without a Loket group is refused; signing out ends the provider's session too.
 * Real: Chromium, the OpenID provider over HTTP, Loket with PostgreSQL and Redis.
 */
import type { Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRoleMap, roleFromGroups } from '../src/auth/oidc.js';
import { ARTIFACTS, freePort, launchChromium, screenshot } from './support/browser.js';
import { startTestLoket, type TestLoket } from './support/loket.js';

let loket: TestLoket;
let server: Server;
let browser: Browser;
const SECRET = 'oidc-client-secret-for-the-tests-0123456789';
/** Who the provider knows: their groups. */
const PEOPLE: Record<string, string[]> = { ans: ['loket-medewerkers'], coen: ['loket-medewerkers', 'loket-coordinatoren'], nienke: ['andere-afdeling'] };

beforeAll(async () => {
  const [providerPort, loketPort] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${providerPort}`;
  const loketUrl = `http://127.0.0.1:${loketPort}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'loket',
        client_secret: SECRET,
        redirect_uris: [`${loketUrl}/login/oidc/callback`],
        post_logout_redirect_uris: [`${loketUrl}/login`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'groups'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@organisatie.example`, name: `${id[0]!.toUpperCase()}${id.slice(1)} Rijksambtenaar`, groups: PEOPLE[id] ?? [] }),
    }),
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['provider-cookie-key-for-the-tests'] },
  });
  server = provider.listen(providerPort);
  loket = await startTestLoket({
    HTTP_PORT: String(loketPort),
    PUBLIC_URL: loketUrl,
    OIDC_ISSUER: issuer,
    IDENTITY_ALLOW_HTTP: 'true',
    OIDC_CLIENT_ID: 'loket',
    OIDC_CLIENT_SECRET: SECRET,
    OIDC_ROLE_MAP: 'loket-medewerkers=agent,loket-coordinatoren=coordinator,loket-privacy=privacy',
  });
  browser = await launchChromium();
  await mkdir(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await loket?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

/** Through Loket's login page to the provider, its login and consent, and back. */
async function signIn(login: string) {
  // A Dutch browser: the pages of the way back from the provider follow the browser's language.
  const context = await browser.newContext({ locale: 'nl-NL' });
  const page = await context.newPage();
  await page.goto(`${loket.url}/login`);
  await page.click('#login-organisation');
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'om-het-even');
  await page.click('button[type="submit"]');
  await page.getByRole('button', { name: 'Continue' }).click();
  return { context, page };
}

it('signs a person in through the organisation and gives the role of their group', async () => {
  const { context, page } = await signIn('ans');
  await page.waitForURL(`${loket.url}/werkplek`);
  expect(await page.locator('main').innerText()).toContain('U bent ingelogd als Ans Rijksambtenaar (medewerker)');
  await screenshot(page, 'oidc-signed-in');
  const [account] = await loket.db!.query<{ role: string; name: string }>(`select role, name from users where email = 'ans@organisatie.example'`);
  expect(account).toEqual({ role: 'agent', name: 'Ans Rijksambtenaar' });
  // The account has no password of its own: the organisation is its only way in.
  const local = await fetch(`${loket.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'ans@organisatie.example', password: '!oidc' }),
    redirect: 'manual',
  });
  expect(local.status).toBe(401);

  // Signing out ends the provider's session too: the next sign-in asks for the login again.
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  // The provider asks to confirm (its development page); then it sends the browser back to Loket's login.
  await page.getByRole('button', { name: /sign me out/i }).click();
  await page.waitForURL(`${loket.url}/login`);
  await page.goto(`${loket.url}/login/oidc`);
  await expect.poll(async () => page.locator('input[name="login"]').count()).toBe(1);
  await context.close();
});

it('gives the highest role of several groups', async () => {
  const { context, page } = await signIn('coen');
  await page.waitForURL(`${loket.url}/werkplek`);
  expect(await page.locator('main').innerText()).toContain('(coördinator)');
  await context.close();
});

it('refuses a person without a Loket group, and makes no account', async () => {
  const { context, page } = await signIn('nienke');
  await expect.poll(async () => page.locator('h1').innerText()).toBe('Geen toegang tot Loket');
  await screenshot(page, 'oidc-refused');
  expect(await loket.db!.query(`select 1 from users where email = 'nienke@organisatie.example'`)).toEqual([]);
  await context.close();
});

it("answers a way back it cannot use in the browser's language", async () => {
  // No sign-in started from this browser: nothing to check the provider's answer against.
  const english = await fetch(`${loket.url}/login/oidc/callback?code=x&state=y`, { headers: { 'accept-language': 'en-GB' } });
  expect(english.status).toBe(400);
  const page = await english.text();
  expect(page).toContain('<html lang="en">');
  expect(page).toContain('<h1>Sign-in failed</h1><p>The sign-in attempt has expired. <a href="/login?lang=en">Try again</a>.</p>');
  const dutch = await fetch(`${loket.url}/login/oidc/callback?code=x&state=y`);
  expect(await dutch.text()).toContain('<h1>Inloggen mislukt</h1><p>De inlogpoging is verlopen. <a href="/login">Probeer het opnieuw</a>.</p>');
});

it('maps groups to roles, and refuses a privacy officer with another role too', () => {
  const map = parseRoleMap('a=agent, c=coordinator, p=privacy');
  expect(roleFromGroups(['a', 'c'], map)).toBe('coordinator');
  expect(roleFromGroups(['p'], map)).toBe('privacy');
  expect(roleFromGroups(['p', 'a'], map)).toBe('conflict');
  expect(roleFromGroups(['x'], map)).toBeUndefined();
  expect(() => parseRoleMap('a=koning')).toThrow(/OIDC_ROLE_MAP/);
});
