import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import * as client from 'openid-client';
import { runPrepared, type Db } from '../db/database.js';
import { ROLES, type Role } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { browserLocale } from '../http/browser-locale.js';
import type { UiLocale } from '../workspace/language.js';
import { createSession, type SessionLimits } from './sessions.js';

export interface OidcOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: PUBLIC_URL + /login/oidc/callback. */
  publicUrl: string;
  rolesClaim: string;
  /** The provider's groups (or roles) and the Loket role each gives. */
  roleMap: ReadonlyMap<string, Role>;
  /** The provider may be plain http (tests, a laptop); never in production. */
  allowHttp: boolean;
}

/** `group=role,group=role` into a map; an unknown role is a configuration error, said at start. */
export function parseRoleMap(text: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [group, role] = pair.split('=').map((part) => part?.trim() ?? '');
    if (!group || !(ROLES as readonly string[]).includes(role ?? ''))
      throw new Error(`OIDC_ROLE_MAP: "${pair}" is not group=role with role one of ${ROLES.join(', ')}`);
    map.set(group, role as Role);
  }
  return map;
}

/**
 * The role a person's groups give: the highest of agent, coordinator and admin. The privacy
 * officer's role stands apart: given with another role it is refused (one account, one duty).
 */
export function roleFromGroups(groups: readonly string[], roleMap: ReadonlyMap<string, Role>): Role | 'conflict' | undefined {
  const roles = new Set(groups.flatMap((group) => roleMap.get(group) ?? []));
  if (roles.has('privacy')) return roles.size === 1 ? 'privacy' : 'conflict';
  return (['admin', 'coordinator', 'agent'] as const).find((role) => roles.has(role));
}

/** What the login keeps between going to the provider and coming back (a cookie of its own, Lax: the return is a cross-site GET). */
const FLOW_COOKIE = 'loket_oidc';
/** The ID token of the session, for signing out at the provider too. */
export const ID_TOKEN_COOKIE = 'loket_oidc_id';

/** The pages of the way back from the provider, in the browser's language (nobody is signed in yet). */
const TEXTS = {
  nl: {
    failed: 'Inloggen mislukt',
    expired: html`De inlogpoging is verlopen. <a href="/login">Probeer het opnieuw</a>.`,
    notConfirmed: html`Uw organisatie kon uw inlog niet bevestigen. <a href="/login">Probeer het opnieuw</a>.`,
    noAccess: 'Geen toegang',
    noAccessHeading: 'Geen toegang tot Loket',
    noGroup: (conflict: boolean) =>
      `Uw account hoort niet bij een groep die Loket mag gebruiken${conflict ? ', of bij groepen die elkaar uitsluiten' : ''}. Vraag uw beheerder om toegang.`,
    disabled: 'Uw account is uitgeschakeld.',
    signedIn: 'Ingelogd',
    signedInHeading: 'U bent ingelogd',
    onward: 'Verder',
  },
  en: {
    failed: 'Sign-in failed',
    expired: html`The sign-in attempt has expired. <a href="/login?lang=en">Try again</a>.`,
    notConfirmed: html`Your organisation could not confirm your sign-in. <a href="/login?lang=en">Try again</a>.`,
    noAccess: 'No access',
    noAccessHeading: 'No access to Loket',
    noGroup: (conflict: boolean) =>
      `Your account is not in a group that may use Loket${conflict ? ', or it is in groups that exclude each other' : ''}. Ask your administrator for access.`,
    disabled: 'Your account has been disabled.',
    signedIn: 'Signed in',
    signedInHeading: 'You are signed in',
    onward: 'Continue',
  },
} as const;

const page = (reply: FastifyReply, lang: UiLocale, status: number, title: string, body: ReturnType<typeof html>) =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ lang, title, body }));

/**
 * Sign-in with the organisation's account (issue 20): authorization code with PKCE, state and
 * nonce; the person's groups give the role; the account is made or brought up to date from
 * the provider's claims (it has no password: the provider is its only way in); local accounts
 * stay for small installations and as a break-glass account.
 */
export function registerOidcRoutes(
  app: FastifyInstance,
  deps: { db: Db; options: OidcOptions; session: SessionLimits; secureCookies: boolean; setSession(reply: FastifyReply, token: string): void; log: Logger },
): { endSessionUrl(idToken: string): Promise<string | undefined> } {
  const { options } = deps;
  let configuration: Promise<client.Configuration> | undefined;
  // Found on first use: Loket starts while the provider is away, and tries again at the next login.
  const config = () =>
    (configuration ??= client
      .discovery(
        new URL(options.issuer),
        options.clientId,
        options.clientSecret,
        undefined,
        options.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        configuration = undefined;
        throw err;
      }));
  const redirectUri = `${options.publicUrl.replace(/\/$/, '')}/login/oidc/callback`;

  app.get('/login/oidc', { config: { access: 'public' } }, async (_request, reply) => {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(await config(), {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    reply.setCookie(FLOW_COOKIE, JSON.stringify({ verifier, state, nonce }), {
      path: '/login/oidc',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      maxAge: 600,
    });
    return reply.redirect(url.href, 303);
  });

  app.get('/login/oidc/callback', { config: { access: 'public' } }, async (request: FastifyRequest, reply) => {
    const lang = browserLocale(request);
    const t = TEXTS[lang];
    const flow = readFlow(request.cookies[FLOW_COOKIE]);
    reply.clearCookie(FLOW_COOKIE, { path: '/login/oidc' });
    if (!flow) return page(reply, lang, 400, t.failed, html`<h1>${t.failed}</h1><p>${t.expired}</p>`);
    let claims: Record<string, unknown>;
    let idToken: string | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(await config(), new URL(request.url, redirectUri), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
      });
      claims = { ...(tokens.claims() ?? {}) };
      idToken = tokens.id_token;
      // Groups may come from the userinfo endpoint only.
      if (claims[options.rolesClaim] === undefined && tokens.access_token && typeof claims['sub'] === 'string') {
        Object.assign(claims, await client.fetchUserInfo(await config(), tokens.access_token, claims['sub']));
      }
    } catch (err) {
      deps.log.warn({ err }, 'sign-in with the organisation account failed');
      return page(reply, lang, 400, t.failed, html`<h1>${t.failed}</h1><p>${t.notConfirmed}</p>`);
    }
    const groups = ([] as unknown[]).concat(claims[options.rolesClaim] ?? []).filter((g): g is string => typeof g === 'string');
    const role = roleFromGroups(groups, options.roleMap);
    const email = typeof claims['email'] === 'string' ? claims['email'] : undefined;
    if (!role || role === 'conflict' || !email) {
      deps.log.info({ role: role ?? 'none' }, 'sign-in refused: no Loket role for this account');
      return page(reply, lang, 403, t.noAccess, html`<h1>${t.noAccessHeading}</h1><p>${t.noGroup(role === 'conflict')}</p>`);
    }
    const name = typeof claims['name'] === 'string' && claims['name'].trim() ? claims['name'].trim() : email;
    const [account] = await runPrepared<{ id: string | number; disabled: boolean }>(
      deps.db,
      sql`insert into users (email, name, role, password_hash) values (${email}, ${name}, ${role}, ${`!oidc:${randomBytes(16).toString('hex')}`})
          on conflict (lower(email)) do update set name = excluded.name, role = excluded.role
          returning id, disabled_at is not null as disabled`,
    );
    if (!account || account.disabled) return page(reply, lang, 403, t.noAccess, html`<h1>${t.noAccessHeading}</h1><p>${t.disabled}</p>`);
    const session = await createSession(deps.db, Number(account.id), deps.session);
    deps.setSession(reply, session.token);
    if (idToken) reply.setCookie(ID_TOKEN_COOKIE, idToken, { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.secureCookies });
    deps.log.info({ userId: Number(account.id), role }, 'logged in with the organisation account');
    const next = role === 'privacy' ? '/privacy' : '/werkplek';
    // A page of our own, not a redirect: the session cookie is SameSite=Strict, and a redirect
    // within the provider's cross-site navigation would not send it.
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('refresh', `0;url=${next}`)
      .send(layout({ lang, title: t.signedIn, body: html`<h1>${t.signedInHeading}</h1><p><a href="${next}" id="continue">${t.onward}</a></p>` }));
  });

  return {
    endSessionUrl: async (idToken) => {
      const configured = await config().catch(() => undefined);
      if (!configured?.serverMetadata().end_session_endpoint) return undefined;
      return client.buildEndSessionUrl(configured, { id_token_hint: idToken, post_logout_redirect_uri: `${options.publicUrl.replace(/\/$/, '')}/login` }).href;
    },
  };
}

function readFlow(cookie: string | undefined): { verifier: string; state: string; nonce: string } | undefined {
  if (!cookie) return undefined;
  try {
    const value = JSON.parse(cookie) as Record<string, unknown>;
    return typeof value['verifier'] === 'string' && typeof value['state'] === 'string' && typeof value['nonce'] === 'string'
      ? { verifier: value['verifier'], state: value['state'], nonce: value['nonce'] }
      : undefined;
  } catch {
    return undefined;
  }
}
