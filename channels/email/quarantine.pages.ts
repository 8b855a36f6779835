import type { FastifyInstance } from 'fastify';
import { discardQuarantined, listQuarantine, quarantinedRaw, reprocessQuarantined } from './quarantine.js';
import type { Db } from '../../src/db/database.js';
import type { Intake } from '../../src/intake.js';
import { html } from '../../src/ui/html.js';
import { adminPage, csrfField, when } from '../../src/admin/admin.layout.js';
import { authorOf } from '../../src/admin/settings.pages.js';
import { uiLocale } from '../../src/workspace/language.js';

/** The quarantine page's words, in the admin's language. */
const TEXTS = {
  nl: {
    title: 'Quarantaine (e-mail)',
    reasons: { unparseable: 'onleesbaar', 'too-large': 'te groot', invalid: 'ongeldig' },
    statuses: { held: 'vastgehouden', reprocessed: 'opnieuw verwerkt', discarded: 'weggegooid' },
    notices: { opnieuw: 'De mail is opnieuw verwerkt.', weg: 'De mail is weggegooid.', al: 'Deze mail was al afgehandeld.' } as Record<string, string>,
    heldOnly: 'Alleen vastgehouden mail',
    showAll: 'Ook afgehandelde mail tonen',
    empty: 'Er staat geen mail in quarantaine.',
    columns: ['Nr.', 'Ontvangen', 'Reden', 'Fout', 'Grootte', 'Status', 'Acties'],
    source: 'Bron bekijken',
    headersOnly: 'alleen kopregels bewaard',
    reprocess: 'Opnieuw verwerken',
    discard: 'Weggooien',
    noSource: 'Deze mail heeft geen bewaarde bron.',
    unknown: 'Onbekende mail.',
  },
  en: {
    title: 'Quarantine (e-mail)',
    reasons: { unparseable: 'unreadable', 'too-large': 'too large', invalid: 'invalid' },
    statuses: { held: 'held', reprocessed: 'processed again', discarded: 'discarded' },
    notices: { opnieuw: 'The mail was processed again.', weg: 'The mail was discarded.', al: 'This mail had already been dealt with.' } as Record<
      string,
      string
    >,
    heldOnly: 'Held mail only',
    showAll: 'Show mail already dealt with too',
    empty: 'There is no mail in quarantine.',
    columns: ['No.', 'Received', 'Reason', 'Error', 'Size', 'Status', 'Actions'],
    source: 'View source',
    headersOnly: 'headers kept only',
    reprocess: 'Process again',
    discard: 'Discard',
    noSource: 'This mail has no kept source.',
    unknown: 'Unknown mail.',
  },
} as const;

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
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const page = adminPage(
      t.title,
      html`${notice && t.notices[notice] ? html`<p class="notice" role="status">${t.notices[notice]}</p>` : ''}
<p>${all ? html`<a href="/admin/quarantaine">${t.heldOnly}</a>` : html`<a href="/admin/quarantaine?alle">${t.showAll}</a>`}</p>
${
  rows.length === 0
    ? html`<p>${t.empty}</p>`
    : html`<table><thead><tr>${t.columns.map((column) => html`<th>${column}</th>`)}</tr></thead><tbody>
${rows.map(
  (
    row,
  ) => html`<tr><td>${row.id}</td><td>${when(row.createdAt, lang)}</td><td>${t.reasons[row.reason]}</td><td>${row.error ?? ''}</td><td>${row.size ?? ''}</td><td>${t.statuses[row.status]}</td>
<td>${row.rawSha256 ? html`<a href="/admin/quarantaine/${row.id}/bron">${t.source}</a>` : html`<span class="hint">${t.headersOnly}</span>`}
${
  row.status === 'held'
    ? html`${row.rawSha256 ? html`<form method="post" action="/admin/quarantaine/${row.id}/opnieuw" class="inline">${csrfField(request.csrfToken)}<button type="submit">${t.reprocess}</button></form>` : ''}
<form method="post" action="/admin/quarantaine/${row.id}/weggooien" class="inline">${csrfField(request.csrfToken)}<button type="submit" class="secondary">${t.discard}</button></form>`
    : ''
}</td></tr>`,
)}</tbody></table>`
}`,
      request,
    );
    return reply.type('text/html; charset=utf-8').send(page);
  });

  app.get('/admin/quarantaine/:id/bron', { config: { access: 'admin' } }, async (request, reply) => {
    const id = idOf(request.params);
    const raw = id === undefined ? undefined : await quarantinedRaw(deps.db, id);
    if (!raw) return reply.code(404).send({ error: 'not-found', message: TEXTS[uiLocale(request)].noSource });
    // Shown as text, never rendered: the source is untrusted.
    return reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').header('content-disposition', 'inline').send(raw);
  });

  app.post('/admin/quarantaine/:id/opnieuw', { config: { access: 'admin' } }, async (request, reply) => {
    const id = idOf(request.params);
    if (id === undefined || !(await quarantinedRaw(deps.db, id)))
      return reply.code(404).send({ error: 'not-found', message: TEXTS[uiLocale(request)].noSource });
    const accepted = await reprocessQuarantined(deps.db, deps.intake, id, authorOf(request.principal));
    if (!accepted) return reply.redirect('/admin/quarantaine?klaar=al', 303);
    request.log.info({ quarantineId: id, by: request.principal?.id }, 'quarantined mail reprocessed');
    return reply.redirect('/admin/quarantaine?klaar=opnieuw', 303);
  });

  app.post('/admin/quarantaine/:id/weggooien', { config: { access: 'admin' } }, async (request, reply) => {
    const id = idOf(request.params);
    if (id === undefined) return reply.code(404).send({ error: 'not-found', message: TEXTS[uiLocale(request)].unknown });
    const discarded = await discardQuarantined(deps.db, id, authorOf(request.principal));
    if (!discarded) return reply.redirect('/admin/quarantaine?klaar=al', 303);
    request.log.info({ quarantineId: id, by: request.principal?.id }, 'quarantined mail discarded');
    return reply.redirect('/admin/quarantaine?klaar=weg', 303);
  });
}
