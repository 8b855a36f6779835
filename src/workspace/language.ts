import type { FastifyInstance, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { users } from '../db/schema.js';
import { html, type SafeHtml } from '../ui/html.js';

/** The workspace's languages: Dutch, and English for who prefers it. */
export type UiLocale = 'nl' | 'en';

/** The language of the signed-in person's workspace (their choice, kept on their account). */
export const uiLocale = (request: FastifyRequest): UiLocale => request.principal?.locale ?? 'nl';

/** The switch in the page header: to English on a Dutch page, to Dutch on an English one; back to the same page. */
export function languageSwitch(request: FastifyRequest): SafeHtml {
  const lang = uiLocale(request);
  const other: UiLocale = lang === 'nl' ? 'en' : 'nl';
  return html`<form method="post" action="/werkplek/taal" class="language">
<input type="hidden" name="_csrf" value="${request.csrfToken ?? ''}">
<input type="hidden" name="taal" value="${other}">
<input type="hidden" name="terug" value="${returnPath(request.url)}">
<button type="submit" lang="${other}">${other === 'en' ? 'English' : 'Nederlands'}</button>
</form>`;
}

/** Only a path of Loket's own pages to go back to: never another site. */
function returnPath(url: string): string {
  return /^\/(werkplek|admin|privacy)([/?][^\s]*)?$/.test(url) && !url.startsWith('//') ? url : '/werkplek';
}

/** POST /werkplek/taal: the person's workspace language, kept on their account. */
export function registerLanguageRoute(app: FastifyInstance, deps: { db: Db }): void {
  const body = z.object({ taal: z.enum(['nl', 'en']), terug: z.string().max(2_000).default('/werkplek') });
  app.post('/werkplek/taal', { config: { access: 'signed-in' } }, async (request, reply) => {
    const parsed = body.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_input', message: 'Kies nl of en.', fields: { taal: 'Kies nl of en.' } });
    if (request.principal!.kind === 'user') await deps.db.update(users).set({ locale: parsed.data.taal }).where(eq(users.id, request.principal!.id));
    return reply.code(303).header('location', returnPath(parsed.data.terug)).send();
  });
}
