import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { nulAt } from '../text.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
const UNSUPPORTED = {
  error: 'unsupported_media_type',
  message: 'Deze soort inhoud wordt hier niet aangenomen. Stuur JSON, een formulier of (waar bestanden horen) multipart/form-data.',
};

/** PostgreSQL's answers to text it cannot store: invalid byte sequence, untranslatable character, bad escape. */
const PG_BAD_TEXT = new Set(['22021', '22P05', '22025']);

/** 400 naming the field: JSON for programs, a short page for a person's browser. */
function refuseInput(request: FastifyRequest, reply: FastifyReply, field: string) {
  const message = 'Deze invoer bevat een teken dat niet is toegestaan.';
  if (request.headers.accept?.includes('text/html')) {
    return reply
      .code(400)
      .type('text/html; charset=utf-8')
      .send(layout({ lang: 'nl', title: 'Ongeldige invoer', body: html`<h1>Ongeldige invoer</h1><p role="alert">${message} Ga terug, pas het veld <code>${field}</code> aan en probeer het opnieuw.</p>` }));
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
  trustProxy: boolean;
  /**
   * The largest body of a route that takes no files (login, JSON APIs, forms). Routes that
   * take uploads say so (`config.uploads`) and set their own, larger limit.
   */
  bodyLimit: number;
  maxFiles: number;
  maxFileBytes: number;
  /** Shared rate-limit counters across web processes; in-memory when absent. */
  rateLimitRedis?: Redis;
  namespace: string;
}

/** The Fastify instance with the plugins and error handling every route relies on. */
export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    trustProxy: options.trustProxy,
    bodyLimit: options.bodyLimit,
    // Probes and scrapes would drown the request log.
    logController: new LogController({ disableRequestLogging: (request) => PROBES.has(request.url) }),
    return503OnClosing: true,
  });

  await app.register(multipart, {
    limits: { files: options.maxFiles, fileSize: options.maxFileBytes, fields: 50, fieldSize: 1_000_000, parts: options.maxFiles + 50 },
    throwFileSizeLimit: true,
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
      const en = request.headers['accept-language']?.toLowerCase().startsWith('en');
      return {
        statusCode: 429,
        error: 'too_many_requests',
        message: en
          ? `You are sending too many messages in a row. Try again in ${context.after}.`
          : `U verstuurt te veel berichten achter elkaar. Probeer het over ${context.after} opnieuw.`,
      };
    },
  });

  // NUL has no place in any text and PostgreSQL cannot store it: refused here, for every
  // route at once, naming where it was (multipart fields are checked by their own schemas).
  app.addHook('preValidation', async (request, reply) => {
    const where = nulAt(request.params, ['params']) ?? nulAt(request.query, ['query']) ?? nulAt(request.body, ['body']);
    if (where) return refuseInput(request, reply, where);
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'same-origin');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Text PostgreSQL cannot store (an encoding a check above did not foresee) is bad input, not our failure.
    if (typeof error.code === 'string' && PG_BAD_TEXT.has(error.code)) return refuseInput(request, reply, '(invoer)');
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error, url: request.url }, 'request failed');
      return reply.code(status).send({ error: 'internal_error', message: 'Er ging iets mis. Probeer het later opnieuw.' });
    }
    if (status === 413) return reply.code(413).send({ error: 'payload_too_large', message: 'Het bericht is te groot.' });
    if (status === 415) return reply.code(415).send(UNSUPPORTED);
    if (status === 429) return reply.code(429).send(error);
    return reply.code(status).send({ error: error.code ?? 'bad_request', message: error.message });
  });

  return app;
}
