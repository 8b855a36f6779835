import type { FastifyRequest } from 'fastify';
import type { UiLocale } from '../workspace/language.js';

/** The language the visitor picked in the address (`?lang=en`, `?lang=nl`: the link to the other language), if any. */
export function chosenLocale(request: FastifyRequest): UiLocale | undefined {
  const lang = (request.query as { lang?: unknown } | undefined)?.lang;
  return lang === 'en' || lang === 'nl' ? lang : undefined;
}

/**
 * The language of a page for someone not signed in: their pick in the address, else English
 * when the browser asks for it first (`Accept-Language: en…`), else Dutch.
 */
export function browserLocale(request: FastifyRequest): UiLocale {
  return chosenLocale(request) ?? (/^en\b/i.test(request.headers['accept-language'] ?? '') ? 'en' : 'nl');
}
