import type { FastifyInstance } from 'fastify';
import { discardQuarantined, listQuarantine, quarantinedRaw, reprocessQuarantined } from './quarantine.js';
import type { Db } from '../../src/db/database.js';
import type { Intake } from '../../src/intake.js';
import { html } from '../../src/ui/html.js';
import { adminPage, csrfField, when } from '../../src/admin/admin.layout.js';
import { authorOf } from '../../src/admin/settings.pages.js';

const REASONS = { unparseable: 'onleesbaar', 'too-large': 'te groot', invalid: 'ongeldig' } as const;
const STATUSES = { held: 'vastgehouden', reprocessed: 'opnieuw verwerkt', discarded: 'weggegooid' } as const;
const NOTICES: Record<string, string> = { opnieuw: 'De mail is opnieuw verwerkt.', weg: 'De mail is weggegooid.', al: 'Deze mail was al afgehandeld.' };

const idOf = (params: unknown) => {
  const id = Number((params as { id?: string }).id);
  return Number.isInteger(id) && id > 0 ? id : undefined;
};

/** The mail quarantine: list, raw source, reprocess, discard (channels/email/quarantine.ts). */
export function registerQuarantinePages(app: FastifyInstance, deps: { db: Db; intake: Intake }): void {
  app.get('/admin/quarantaine', { config: { access: 'admin' } }, async (request, reply) => {
    const all = (request.query as { alle?: string }).alle !== undefined;
    const rows = await listQuarantine(deps.db, all ? 'all' : 'held');
    const notice = (request.query as { klaar?: string }).klaar;
    const page = adminPage(
      'Quarantaine (e-mail)',
      html`${notice && NOTICES[notice] ? html`<p class="notice" role="status">${NOTICES[notice]}</p>` : ''}
<p>${all ? html`<a href="/admin/quarantaine">Alleen vastgehouden mail</a>` : html`<a href="/admin/quarantaine?alle">Ook afgehandelde mail tonen</a>`}</p>
${
  rows.length === 0
    ? html`<p>Er staat geen mail in quarantaine.</p>`
    : html`<table><thead><tr><th>Nr.</th><th>Ontvangen</th><th>Reden</th><th>Fout</th><th>Grootte</th><th>Status</th><th>Acties</th></tr></thead><tbody>
${rows.map(
  (
    row,
  ) => html`<tr><td>${row.id}</td><td>${when(row.createdAt)}</td><td>${REASONS[row.reason]}</td><td>${row.error ?? ''}</td><td>${row.size ?? ''}</td><td>${STATUSES[row.status]}</td>
<td>${row.rawSha256 ? html`<a href="/admin/quarantaine/${row.id}/bron">Bron bekijken</a>` : html`<span class="hint">alleen kopregels bewaard</span>`}
${
  row.status === 'held'
    ? html`${row.rawSha256 ? html`<form method="post" action="/admin/quarantaine/${row.id}/opnieuw" class="inline">${csrfField(request.csrfToken)}<button type="submit">Opnieuw verwerken</button></form>` : ''}
<form method="post" action="/admin/quarantaine/${row.id}/weggooien" class="inline">${csrfField(request.csrfToken)}<button type="submit" class="secondary">Weggooien</button></form>`
    : ''
}</td></tr>`,
)}</tbody></table>`
}`,
    );
    return reply.type('text/html; charset=utf-8').send(page);
  });

  app.get('/admin/quarantaine/:id/bron', { config: { access: 'admin' } }, async (request, reply) => {
    const id = idOf(request.params);
    const raw = id === undefined ? undefined : await quarantinedRaw(deps.db, id);
    if (!raw) return reply.code(404).send({ error: 'not-found', message: 'Deze mail heeft geen bewaarde bron.' });
    // Shown as text, never rendered: the source is untrusted.
    return reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').header('content-disposition', 'inline').send(raw);
  });

  app.post('/admin/quarantaine/:id/opnieuw', { config: { access: 'admin' } }, async (request, reply) => {
    const id = idOf(request.params);
    if (id === undefined || !(await quarantinedRaw(deps.db, id)))
      return reply.code(404).send({ error: 'not-found', message: 'Deze mail heeft geen bewaarde bron.' });
    const accepted = await reprocessQuarantined(deps.db, deps.intake, id, authorOf(request.principal));
    if (!accepted) return reply.redirect('/admin/quarantaine?klaar=al', 303);
    request.log.info({ quarantineId: id, by: request.principal?.id }, 'quarantined mail reprocessed');
    return reply.redirect('/admin/quarantaine?klaar=opnieuw', 303);
  });

  app.post('/admin/quarantaine/:id/weggooien', { config: { access: 'admin' } }, async (request, reply) => {
    const id = idOf(request.params);
    if (id === undefined) return reply.code(404).send({ error: 'not-found', message: 'Onbekende mail.' });
    const discarded = await discardQuarantined(deps.db, id, authorOf(request.principal));
    if (!discarded) return reply.redirect('/admin/quarantaine?klaar=al', 303);
    request.log.info({ quarantineId: id, by: request.principal?.id }, 'quarantined mail discarded');
    return reply.redirect('/admin/quarantaine?klaar=weg', 303);
  });
}
