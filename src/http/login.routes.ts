import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { checkLogin, LOCKOUT } from '../auth/accounts.js';
import { createSession, endSession } from '../auth/sessions.js';
import type { Db } from '../db/database.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { SESSION_COOKIE } from './access.js';

export interface LoginRouteOptions {
  db: Db;
  /** Secure cookies when Loket is reached over https (PUBLIC_URL). */
  secureCookies: boolean;
  sessionHours: number;
  /** Login attempts one address may make per minute. */
  attemptsPerMinute: number;
}

const loginSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1_000),
  next: z.string().optional(),
});

/** Only a path on this site: never an open redirect to somewhere else. */
const safeNext = (next: string | undefined) => (next && /^\/(?![/\\])/.test(next) ? next : '/werkplek');

const T = {
  title: 'Inloggen',
  email: 'E-mailadres',
  password: 'Wachtwoord',
  submit: 'Inloggen',
  invalid: 'Het e-mailadres of het wachtwoord klopt niet.',
  locked: `Dit account is tijdelijk geblokkeerd na ${LOCKOUT.failures} mislukte pogingen. Probeer het over ${LOCKOUT.minutes} minuten opnieuw.`,
};

function loginPage(next: string, error?: string) {
  return layout({
    lang: 'nl',
    title: T.title,
    body: html`<h1>${T.title}</h1>
${error ? html`<div class="error-summary" role="alert" tabindex="-1"><p>${error}</p></div>` : ''}
<form method="post" action="/login">
  <input type="hidden" name="next" value="${next}">
  <label for="email">${T.email}</label>
  <input id="email" name="email" type="email" autocomplete="username" required>
  <label for="password">${T.password}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${T.submit}</button>
</form>`,
  });
}

/**
 * GET/POST /login and POST /logout. A session cookie (HttpOnly, SameSite=Strict, Secure
 * behind TLS) after a good password; wrong passwords count towards a lockout, and every
 * address is rate-limited. JSON clients get `{ csrfToken }` back instead of a redirect.
 */
export function registerLoginRoutes(app: FastifyInstance, options: LoginRouteOptions): void {
  app.get('/login', { config: { access: 'public' } }, async (request, reply) => {
    const next = safeNext((request.query as { next?: string }).next);
    return reply.type('text/html; charset=utf-8').send(loginPage(next));
  });

  app.post(
    '/login',
    { config: { access: 'public', rateLimit: { max: options.attemptsPerMinute, timeWindow: 60_000 } } },
    async (request, reply) => {
      const wantsJson = request.headers['content-type']?.includes('application/json') ?? false;
      const parsed = loginSchema.safeParse(request.body);
      if (!parsed.success) {
        const field = String(parsed.error.issues[0]?.path[0] ?? 'email');
        if (wantsJson) return reply.code(400).send({ error: 'invalid', errors: { [field]: 'Vul dit veld in.' } });
        return reply.code(400).type('text/html; charset=utf-8').send(loginPage('/werkplek', T.invalid));
      }
      const { email, password } = parsed.data;
      const next = safeNext(parsed.data.next);
      const result = await checkLogin(options.db, email, password);
      if (!result.ok) {
        const message = result.reason === 'locked' ? T.locked : T.invalid;
        const status = result.reason === 'locked' ? 423 : 401;
        if (wantsJson) return reply.code(status).send({ error: result.reason, message });
        return reply.code(status).type('text/html; charset=utf-8').send(loginPage(next, message));
      }
      const session = await createSession(options.db, result.principal.id, options.sessionHours);
      setSessionCookie(reply, session.token, options);
      request.log.info({ userId: result.principal.id }, 'logged in');
      if (wantsJson) return reply.send({ ok: true, name: result.principal.name, role: result.principal.role, csrfToken: session.csrfToken });
      return reply.redirect(next, 303);
    },
  );

  app.post('/logout', { config: { access: 'agent' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(options.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  app.get('/api/v1/me', { config: { access: 'agent' } }, async (request) => ({
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
    maxAge: options.sessionHours * 3_600,
  });
}
