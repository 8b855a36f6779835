import type { TrustedProxies } from '../config.js';
import { fastifyTrust } from './client-address.js';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { nulAt } from '../text.js';
import { loggablePath } from '../logger.js';
import { DatabaseOutage, isDatabaseUnavailable } from './database-outage.js';
import { browserLocale } from './browser-locale.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};
const BULL_BOARD_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const UNSUPPORTED = {
  error: 'unsupported_media_type',
  message: 'Deze soort inhoud wordt hier niet aangenomen. Stuur JSON, een formulier of (waar bestanden horen) multipart/form-data.',
};

/** PostgreSQL's answers to text it cannot store: invalid byte sequence, untranslatable character, bad escape. */
const PG_BAD_TEXT = new Set(['22021', '22P05', '22025']);

/** 503 with Retry-After, in the client's language: a page for a person, JSON for a program. */
function unavailable(request: FastifyRequest, reply: FastifyReply) {
  const en = browserLocale(request) === 'en';
  const message = en
    ? 'The service is briefly unavailable. Nothing you sent before is lost; please try again in a minute.'
    : 'De dienst is even niet beschikbaar. Wat u eerder stuurde, is niet verloren; probeer het over een minuut opnieuw.';
  reply.code(503).header('retry-after', '60');
  if (request.headers.accept?.includes('text/html')) {
    const title = en ? 'Briefly unavailable' : 'Even niet beschikbaar';
    return reply.type('text/html; charset=utf-8').send(layout({ lang: en ? 'en' : 'nl', title, body: html`<h1>${title}</h1><p role="alert">${message}</p>` }));
  }
  return reply.send({ error: 'unavailable', message });
}

/** 400 naming the field: JSON for programs, a short page for a person's browser. */
function refuseInput(request: FastifyRequest, reply: FastifyReply, field: string) {
  const message = 'Deze invoer bevat een teken dat niet is toegestaan.';
  if (request.headers.accept?.includes('text/html')) {
    return reply
      .code(400)
      .type('text/html; charset=utf-8')
      .send(
        layout({
          lang: 'nl',
          title: 'Ongeldige invoer',
          body: html`<h1>Ongeldige invoer</h1><p role="alert">${message} Ga terug, pas het veld <code>${field}</code> aan en probeer het opnieuw.</p>`,
        }),
      );
  }
  return reply.code(400).send({ error: 'invalid_input', message, fields: { [field]: message } });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes files: multipart bodies (and its own bodyLimit) are allowed. */
    uploads?: boolean;
  }
}

export interface AppOptions {
  log: Logger;
  /** Which proxies to believe about the client's address (TRUST_PROXY). */
  trustProxy: TrustedProxies;
  /**
   * The largest body of a route that takes no files (login, JSON APIs, forms). Routes that
   * take uploads say so (`config.uploads`) and set their own, larger limit.
   */
  bodyLimit: number;
  maxFiles: number;
  maxFileBytes: number;
  /** Shared rate-limit counters across web processes; in-memory when absent. */
  rateLimitRedis?: Redis;
  /** Pings the database: while it is away, requests get 503 and the outage is logged once. */
  databasePing: () => Promise<void>;
  /** PUBLIC_URL is https: browsers are told to come back over https only (HSTS). */
  https: boolean;
  namespace: string;
}

/** The Fastify instance with the plugins and error handling every route relies on. */
export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    trustProxy: fastifyTrust(options.trustProxy),
    bodyLimit: options.bodyLimit,
    // Probes and scrapes would drown the request log.
    logController: new LogController({ disableRequestLogging: (request) => PROBES.has(request.url) }),
    return503OnClosing: true,
  });

  await app.register(multipart, {
    limits: { files: options.maxFiles, fileSize: options.maxFileBytes, fields: 50, fieldSize: 1_000_000, parts: options.maxFiles + 50 },
    throwFileSizeLimit: true,
  });
  // Security headers on every answer (helmet), with a strict Content Security Policy: scripts
  // and styles from Loket's own files only, nothing inline, no plugins, no framing.
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: options.bodyLimit });
  // Nothing of Loket reads plain text: a text body gets 415, not a confusing field error.
  app.removeContentTypeParser('text/plain');
  // Files travel only to the routes made for them; anywhere else a multipart body is refused
  // before a byte of it is read.
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.uploads === true || !request.headers['content-type']?.toLowerCase().startsWith('multipart/')) return;
    return reply.code(415).send(UNSUPPORTED);
  });
  await app.register(rateLimit, {
    global: false,
    redis: options.rateLimitRedis,
    nameSpace: `${options.namespace}:rate-limit:`,
    skipOnError: true,
    errorResponseBuilder: (request, context) => {
      const en = browserLocale(request) === 'en';
      const login = request.url.startsWith('/login');
      const message = login
        ? en
          ? `Too many sign-in attempts in a row. Try again in ${context.after}.`
          : `Te veel inlogpogingen achter elkaar. Probeer het over ${context.after} opnieuw.`
        : en
          ? `You are sending too many messages in a row. Try again in ${context.after}.`
          : `U verstuurt te veel berichten achter elkaar. Probeer het over ${context.after} opnieuw.`;
      return { statusCode: 429, error: 'too_many_requests', message };
    },
  });

  // NUL has no place in any text and PostgreSQL cannot store it: refused here, for every
  // route at once, naming where it was (multipart fields are checked by their own schemas).
  app.addHook('preValidation', async (request, reply) => {
    const where = nulAt(request.params) ?? nulAt(request.query) ?? nulAt(request.body);
    // The field as the client named it (`summary`, not where in it: `summary.0`).
    if (where) return refuseInput(request, reply, where[0] ?? '(body)');
  });

  app.addHook('onSend', async (request, reply) => {
    // What signed-in people see is theirs alone: no browser or proxy keeps a copy.
    if (/^\/(werkplek|admin)(\/|\?|$)/.test(request.url)) reply.header('cache-control', 'no-store');
    // Bull Board (admins only) writes style attributes in its page; its scripts stay strict.
    if (request.url.startsWith('/admin/queues')) reply.header('content-security-policy', BULL_BOARD_POLICY);
  });

  const outage = new DatabaseOutage(options.databasePing, options.log);
  app.addHook('onClose', async () => outage.close());

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDatabaseUnavailable(error)) {
      outage.noticed(error);
      return unavailable(request, reply);
    }
    // Text PostgreSQL cannot store (an encoding a check above did not foresee) is bad input, not our failure.
    if (typeof error.code === 'string' && PG_BAD_TEXT.has(error.code)) return refuseInput(request, reply, '(invoer)');
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error, url: loggablePath(request.url) }, 'request failed');
      return reply.code(status).send({ error: 'internal_error', message: 'Er ging iets mis. Probeer het later opnieuw.' });
    }
    if (status === 413) return reply.code(413).send({ error: 'payload_too_large', message: 'Het bericht is te groot.' });
    // A multipart part named like a built-in property (toString, __proto__): the parser stops before its name is known.
    if (error.code === 'FST_PROTO_VIOLATION')
      return reply.code(400).send({ error: 'invalid_input', message: 'Een veldnaam in het formulier is niet toegestaan.' });
    if (status === 415) return reply.code(415).send(UNSUPPORTED);
    if (status === 429) return reply.code(429).send(error);
    return reply.code(status).send({ error: error.code ?? 'bad_request', message: error.message });
  });

  return app;
}
