import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../src/db/database.js';
import { languageSwitch, uiLocale } from '../../src/workspace/language.js';
import { TEXTS } from './letter.page.js';
import { printPage } from './print.page.js';
import { letterPdf, markPosted, printQueue } from './print.store.js';

const pageQuery = z.object({ na: z.coerce.number().int().positive().optional().catch(undefined) });
const outboxParams = z.object({ outboxId: z.coerce.number().int().positive() });
/** `12.pdf` → 12. */
const pdfParams = z.object({
  file: z
    .string()
    .regex(/^[1-9]\d{0,15}\.pdf$/)
    .transform((file) => Number(file.slice(0, -4))),
});

/** The print queue: letters Loket rendered, waiting to be printed and posted by an agent. */
export function registerPrintRoutes(app: FastifyInstance, db: Db): void {
  app.get('/werkplek/afdrukken', { config: { access: 'agent' } }, async (request, reply) => {
    const { na } = pageQuery.parse(request.query ?? {});
    const { items, more } = await printQueue(db, { after: na });
    const last = items[items.length - 1];
    const paging = { next: more && last ? `/werkplek/afdrukken?na=${last.outboxId}` : undefined, first: na !== undefined ? '/werkplek/afdrukken' : undefined };
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(printPage(items, request.csrfToken ?? '', paging, { lang: uiLocale(request), header: languageSwitch(request) }));
  });

  // One whole-segment parameter ("12.pdf") rather than ":outboxId.pdf": any path below
  // /werkplek/afdrukken/ then reaches this route and its access check, not a bare 404.
  app.get('/werkplek/afdrukken/:file', { config: { access: 'agent' } }, async (request, reply) => {
    const params = pdfParams.safeParse(request.params);
    const pdf = params.success ? await letterPdf(db, params.data.file) : undefined;
    if (!pdf) return reply.code(404).type('text/html; charset=utf-8').send(TEXTS[uiLocale(request)].notFound);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="brief-${pdf.reference}.pdf"`).send(Buffer.from(pdf.content));
  });

  app.post('/werkplek/afdrukken/:outboxId/verstuurd', { config: { access: 'agent' } }, async (request, reply) => {
    const params = outboxParams.safeParse(request.params);
    if (!params.success) return reply.code(404).type('text/html; charset=utf-8').send(TEXTS[uiLocale(request)].notFound);
    // Marking twice (a double click) is fine: the letter has left the queue either way.
    const marked = await markPosted(db, params.data.outboxId, request.principal!.name);
    request.log.info({ channel: 'post', outboxId: params.data.outboxId, marked }, 'letter marked as posted');
    return reply.code(303).header('location', '/werkplek/afdrukken').send();
  });
}
