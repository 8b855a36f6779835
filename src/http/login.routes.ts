import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkLogin } from '../auth/accounts.js';
import { DEVICE_SECONDS, type LoginThrottle } from '../auth/login-throttle.js';

/** The device cookie: a browser that signed in before (see LoginThrottle). Sent to /login only. */
const DEVICE_COOKIE = 'loket_device';
import { createSession, endSession, type SessionLimits } from '../auth/sessions.js';
import { ID_TOKEN_COOKIE, registerOidcRoutes, type OidcOptions } from '../auth/oidc.js';
import type { Role } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Db } from '../db/database.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { uiLocale, type UiLocale } from '../workspace/language.js';
import { SESSION_COOKIE } from './access.js';
import { browserLocale, chosenLocale } from './browser-locale.js';

export interface LoginRouteOptions {
  db: Db;
  /** Secure cookies when Loket is reached over https (PUBLIC_URL). */
  secureCookies: boolean;
  session: SessionLimits;
  /** Login attempts one address may make per minute, right or wrong. */
  attemptsPerMinute: number;
  /** Slows down wrong passwords per account name and per client address. */
  throttle: LoginThrottle;
  /** Sign-in with the organisation's account, when configured (src/auth/oidc.ts). */
  oidc?: OidcSettings;
}

/** What the login needs of OpenID Connect: whether to offer it, and how to sign out there too. */
type OidcSettings = Omit<OidcOptions, 'roleMap'> & { roleMap: ReadonlyMap<string, Role>; log: Logger };

const loginSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1_000),
  next: z.string().optional(),
});

/** Only a path on this site: never an open redirect to somewhere else. */
const safeNext = (next: string | undefined) => (next && /^\/(?![/\\])/.test(next) ? next : '/werkplek');

const TEXTS = {
  nl: {
    title: 'Inloggen',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    submit: 'Inloggen',
    organisation: 'Inloggen met het account van uw organisatie',
    invalid: 'Het e-mailadres of het wachtwoord klopt niet.',
    fillIn: 'Vul dit veld in.',
    tooMany: (seconds: number) => `Te veel mislukte pogingen om in te loggen. Wacht ${duration(seconds, 'nl')} en probeer het dan opnieuw.`,
    signingOut: 'Uitloggen',
    signedOut: 'U wordt uitgelogd',
    organisationOut: 'Ook bij uw organisatie uitloggen',
  },
  en: {
    title: 'Sign in',
    email: 'E-mail address',
    password: 'Password',
    submit: 'Sign in',
    organisation: "Sign in with your organisation's account",
    invalid: 'The e-mail address or password is incorrect.',
    fillIn: 'Fill in this field.',
    tooMany: (seconds: number) => `Too many failed attempts to sign in. Wait ${duration(seconds, 'en')} and then try again.`,
    signingOut: 'Signing out',
    signedOut: 'You are being signed out',
    organisationOut: 'Sign out of your organisation as well',
  },
} as const;

function duration(seconds: number, lang: UiLocale): string {
  if (lang === 'en') return seconds === 1 ? '1 second' : seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  if (seconds === 1) return '1 seconde';
  if (seconds < 120) return `${seconds} seconden`;
  return `${Math.ceil(seconds / 60)} minuten`;
}

/** The sign-in page in the visitor's language, with a link to the same page in the other one. */
function loginPage(request: FastifyRequest, next: string, error?: string, organisation = false) {
  const lang = browserLocale(request);
  const t = TEXTS[lang];
  const chosen = chosenLocale(request);
  return layout({
    lang,
    title: t.title,
    header: otherLanguage(lang, next),
    body: html`<h1>${t.title}</h1>
${error ? html`<div class="error-summary" role="alert" tabindex="-1"><p>${error}</p></div>` : ''}
<form method="post" action="/login${chosen ? `?lang=${chosen}` : ''}">
  <input type="hidden" name="next" value="${next}">
  <label for="email">${t.email}</label>
  <input id="email" name="email" type="email" autocomplete="username" required>
  <label for="password">${t.password}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${t.submit}</button>
</form>
${organisation ? html`<p><a href="/login/oidc" id="login-organisation">${t.organisation}</a></p>` : ''}`,
  });
}

/** The link to the sign-in page in the other language, keeping where the person was going. */
function otherLanguage(lang: UiLocale, next: string) {
  const other: UiLocale = lang === 'nl' ? 'en' : 'nl';
  const query = new URLSearchParams({ lang: other, ...(next === '/werkplek' ? {} : { next }) });
  return html`<a href="/login?${query.toString()}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : 'Nederlands'}</a>`;
}

/**
 * GET/POST /login and POST /logout. A session cookie (HttpOnly, SameSite=Strict, Secure
 * behind TLS) after a good password. A wrong password, an unknown address and a disabled
 * account get one and the same 401; wrong passwords slow down further attempts (429 with
 * Retry-After), never lock an account. JSON clients get `{ csrfToken }` back instead of a redirect.
 */
export function registerLoginRoutes(app: FastifyInstance, options: LoginRouteOptions): void {
  app.get('/login', { config: { access: 'public' } }, async (request, reply) => {
    const next = safeNext((request.query as { next?: string }).next);
    return reply.type('text/html; charset=utf-8').send(loginPage(request, next, undefined, Boolean(options.oidc)));
  });

  const rateLimit = { max: options.attemptsPerMinute, timeWindow: 60_000 };
  // Two short fields: a small body limit (16 KB), where other routes take 20,000 characters of text.
  app.post('/login', { config: { access: 'public', rateLimit }, bodyLimit: 16 * 1024 }, async (request, reply) => {
    const wantsJson = request.headers['content-type']?.includes('application/json') ?? false;
    const t = TEXTS[browserLocale(request)];
    const parsed = loginSchema.safeParse(request.body);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'email');
      if (wantsJson) return reply.code(400).send({ error: 'invalid', errors: { [field]: t.fillIn } });
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(loginPage(request, '/werkplek', t.invalid, Boolean(options.oidc)));
    }
    const { email, password } = parsed.data;
    const next = safeNext(parsed.data.next);
    // Too early is said openly (429, not a pretended wrong password): the same waits apply to
    // every address, account or not, so it tells nothing, and a person with the right
    // password learns to wait instead of doubting it.
    const device = request.cookies[DEVICE_COOKIE];
    const admission = await options.throttle.admit(email, request.ip, device);
    if (!admission.admitted) {
      request.log.info({ by: admission.by, retryAfter: admission.retryAfterSeconds }, 'login attempt refused: too many failures');
      const message = t.tooMany(admission.retryAfterSeconds);
      reply.code(429).header('retry-after', String(admission.retryAfterSeconds));
      if (wantsJson) return reply.send({ error: 'too_many_requests', message });
      return reply.type('text/html; charset=utf-8').send(loginPage(request, next, message, Boolean(options.oidc)));
    }
    const result = await checkLogin(options.db, email, password);
    if (!result.ok) {
      if (wantsJson) return reply.code(401).send({ error: 'invalid', message: t.invalid });
      return reply
        .code(401)
        .type('text/html; charset=utf-8')
        .send(loginPage(request, next, t.invalid, Boolean(options.oidc)));
    }
    const trusted = await options.throttle.succeeded(email, request.ip, device);
    const session = await createSession(options.db, result.principal.id, options.session);
    setSessionCookie(reply, session.token, options);
    // This browser signed in: its next attempts have a lane of their own (LoginThrottle).
    reply.setCookie(DEVICE_COOKIE, trusted, { path: '/login', httpOnly: true, sameSite: 'strict', secure: options.secureCookies, maxAge: DEVICE_SECONDS });
    request.log.info({ userId: result.principal.id }, 'logged in');
    if (wantsJson) return reply.send({ ok: true, name: result.principal.name, role: result.principal.role, csrfToken: session.csrfToken });
    // The privacy officer's place is the access log; the workspace is not theirs.
    return reply.redirect(result.principal.role === 'privacy' && next === '/werkplek' ? '/privacy' : next, 303);
  });

  // With the organisation's account, signing out ends the provider's session too (where it offers that).
  const oidc = options.oidc
    ? registerOidcRoutes(app, {
        db: options.db,
        options: options.oidc,
        session: options.session,
        secureCookies: options.secureCookies,
        setSession: (reply, token) => setSessionCookie(reply, token, options),
        log: options.oidc.log,
      })
    : undefined;

  app.post('/logout', { config: { access: 'signed-in' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(options.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const idToken = request.cookies[ID_TOKEN_COOKIE];
    if (idToken) reply.clearCookie(ID_TOKEN_COOKIE, { path: '/' });
    const there = idToken ? await oidc?.endSessionUrl(idToken) : undefined;
    if (!there) return reply.redirect('/login', 303);
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    // A page that goes on to the provider, not a redirect: the pages' CSP (form-action 'self') stops a form's redirect to another site.
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('refresh', `0;url=${there}`)
      .send(
        layout({
          lang,
          title: t.signingOut,
          body: html`<h1>${t.signedOut}</h1><p><a href="${there}" id="continue">${t.organisationOut}</a></p>`,
        }),
      );
  });

  app.get('/api/v1/me', { config: { access: 'signed-in' } }, async (request) => ({
    name: request.principal?.name,
    role: request.principal?.role,
    csrfToken: request.csrfToken,
  }));
}

function setSessionCookie(reply: FastifyReply, token: string, options: LoginRouteOptions): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: options.secureCookies,
    maxAge: options.session.hours * 3_600,
  });
}
