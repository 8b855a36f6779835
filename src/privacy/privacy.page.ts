import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SafeHtml } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { languageSwitch, uiLocale } from '../workspace/language.js';

/** A page of the privacy officer's, in their language: never cached, with the language switch. */
export function privacyPage(request: FastifyRequest, reply: FastifyReply, page: { status: number; title: string; body: SafeHtml }) {
  return reply
    .code(page.status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(layout({ lang: uiLocale(request), title: page.title, body: page.body, wide: true, header: languageSwitch(request) }));
}
