import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TopicCache } from '../../src/topic.store.js';
import type { ChatConfig, Contact } from './chat.protocol.js';

export interface ChatRouteOptions {
  topics: TopicCache;
  chatTopics: () => Promise<readonly string[]>;
  contact: Contact;
  isOpen: () => boolean;
  maxLength: number;
  allowedOrigins: readonly string[];
  /** The built widget (npm run build writes it). */
  widgetFile: string;
}

/**
 * GET /widget.js — the chat widget for any page (one script tag);
 * GET /api/v1/chat/config — what the widget needs before it connects.
 */
export function registerChatRoutes(app: FastifyInstance, options: ChatRouteOptions): void {
  let widget: Promise<Buffer> | undefined;

  app.get('/widget.js', { config: { access: 'public' } }, async (_request, reply) => {
    widget ??= readFile(options.widgetFile).catch((err: unknown) => {
      widget = undefined; // built later: try again on the next request
      throw err;
    });
    let body: Buffer;
    try {
      body = await widget;
    } catch {
      app.log.error({ file: options.widgetFile }, 'chat widget not built; run npm run build');
      return reply.code(503).type('text/plain; charset=utf-8').send('The chat widget is not built on this server.\n');
    }
    return (
      reply
        .type('application/javascript; charset=utf-8')
        // Pages on other origins load it with a script tag.
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('cache-control', 'public, max-age=300')
        .send(body)
    );
  });

  app.get('/api/v1/chat/config', { config: { access: 'public' } }, async (request, reply) => {
    allowOrigin(request, reply, options.allowedOrigins);
    const english = (request.query as { lang?: string }).lang === 'en';
    const [all, keys] = await Promise.all([options.topics.get(), options.chatTopics()]);
    const config: ChatConfig = {
      online: options.isOpen(),
      topics: keys.map((key) => {
        const topic = all.find((t) => t.key === key);
        return { key, label: (english ? topic?.nameEn : topic?.nameNl) ?? key };
      }),
      contact: options.contact,
      maxLength: options.maxLength,
    };
    return reply.header('cache-control', 'no-store').send(config);
  });
}

/** CORS for the widget's pages: only origins on the allow-list get the header. */
function allowOrigin(request: FastifyRequest, reply: FastifyReply, allowed: readonly string[]): void {
  const origin = request.headers.origin;
  reply.header('vary', 'Origin');
  if (origin && (allowed.includes(origin) || allowed.includes('*'))) reply.header('access-control-allow-origin', origin);
}
