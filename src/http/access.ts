import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/accounts.js';
import { csrfTokenFor, csrfTokenValid } from '../auth/csrf.js';
import { sameSecret } from '../secret.js';
import { continueSession, sessionPrincipal, tokenPrincipal, type SessionLimits } from '../auth/sessions.js';
import type { Db } from '../db/database.js';
import { ROLES, type Role } from '../db/schema.js';
import type { UiLocale } from '../workspace/language.js';
import { browserLocale } from './browser-locale.js';

/**
 * Who may call a route: anyone (`public`), a Prometheus scraper (`metrics`: METRICS_TOKEN,
 * or from this machine when none is set), or a signed-in person or token with at least
 * this role, or anyone signed in (`signed-in`: signing out, who am I, the language). A route
 * that says nothing is for admins: forgetting locks a route, never opens it.
 */
export type Access = 'public' | 'metrics' | 'signed-in' | Role;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** The session's CSRF token, for pages that render forms. */
    csrfToken?: string;
    /** The session's CSRF secret, which csrfToken was made from and a sent token is checked against. */
    csrfSecret?: string;
  }
}

export const SESSION_COOKIE = 'loket_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const rank = (role: Role) => ROLES.indexOf(role);

/**
 * Whether a role may call a route: agents, coordinators and admins by rank; the privacy
 * officer's pages are theirs alone, and the privacy officer may call nothing else (separation
 * of duties: who reviews access to personal data does not work with it).
 */
export function allowed(role: Role, access: Role | 'signed-in'): boolean {
  if (access === 'signed-in') return true;
  if (access === 'privacy' || role === 'privacy') return role === access;
  return rank(role) >= rank(access);
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

export interface AccessOptions {
  db: Db;
  metricsToken: string | undefined;
  /** A session ends this long after its login, or after its last request. */
  session: SessionLimits;
}

/**
 * Checks every request against its route's access before the body is read, and the CSRF
 * token of every state-changing request made with a session. Returns the table of routes
 * and their access, filled as routes are registered (the role-boundary test walks it).
 */
export function registerAccess(app: FastifyInstance, options: AccessOptions): RouteAccess[] {
  const table: RouteAccess[] = [];
  app.addHook('onRoute', (route) => {
    const access = route.config?.access ?? 'admin';
    route.config = { ...route.config, access };
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access });
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return; // unknown routes answer 404 themselves
    if (access === 'metrics') return checkScraper(request, reply, options.metricsToken);
    const principal = await identify(request, options);
    if (!principal) return refuse(request, reply, 401);
    if (!allowed(principal.role, access)) return refuse(request, reply, 403, principal.locale);
    request.principal = principal;
  });

  app.addHook('preHandler', async (request, reply) => {
    if (!request.principal || request.principal.kind !== 'user' || SAFE_METHODS.has(request.method)) return;
    const sent = request.headers['x-csrf-token'] ?? (request.body as { _csrf?: unknown } | undefined)?._csrf;
    if (typeof sent !== 'string' || !request.csrfSecret || !csrfTokenValid(request.csrfSecret, sent)) {
      return reply.code(403).send({ error: 'csrf', message: REFUSALS[request.principal.locale].csrf });
    }
  });
  return table;
}

/**
 * A bearer token (machines) or the session cookie (people). Every request with the cookie
 * keeps its session alive, except an event stream: that is an open page listening, not a
 * person at work, and must not hold off the idle timeout.
 */
async function identify(request: FastifyRequest, options: AccessOptions): Promise<Principal | undefined> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) return tokenPrincipal(options.db, bearer);
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return undefined;
  const listening = request.headers.accept?.includes('text/event-stream') ?? false;
  const session = listening ? await sessionPrincipal(options.db, cookie) : await continueSession(options.db, cookie, options.session);
  if (!session) return undefined;
  const { csrfSecret, ...principal } = session;
  request.csrfSecret = csrfSecret;
  request.csrfToken = csrfTokenFor(csrfSecret);
  return principal;
}

function checkScraper(request: FastifyRequest, reply: FastifyReply, token: string | undefined) {
  if (token) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer || !sameSecret(bearer, token)) return refuse(request, reply, 401);
    return;
  }
  const from = request.socket.remoteAddress ?? '';
  if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(from)) return refuse(request, reply, 403);
}

/** The refusals' words: in the signed-in person's language, else in the browser's. */
const REFUSALS = {
  nl: {
    401: 'Log eerst in.',
    403: 'U hebt geen toegang tot deze pagina.',
    toLogin: 'Naar inloggen',
    csrf: 'De pagina is verlopen. Laad haar opnieuw en probeer het nog eens.',
  },
  en: {
    401: 'Please sign in first.',
    403: 'You do not have access to this page.',
    toLogin: 'To sign in',
    csrf: 'The page has expired. Reload it and try again.',
  },
} as const;

function refuse(request: FastifyRequest, reply: FastifyReply, status: 401 | 403, locale?: UiLocale) {
  const lang = locale ?? browserLocale(request);
  const message = REFUSALS[lang][status];
  if (request.headers.accept?.includes('text/html')) {
    const login = `/login?next=${encodeURIComponent(request.url)}`;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>${message}</title><p>${message} <a href="${login}">${REFUSALS[lang].toLogin}</a></p></html>`,
      );
  }
  return reply.code(status).send({ error: status === 401 ? 'unauthorized' : 'forbidden', message });
}
