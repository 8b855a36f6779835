import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/accounts.js';
import type { Db } from '../db/database.js';
import { html } from '../ui/html.js';
import { adminPage, csrfField, lineDiff, when } from './admin.layout.js';
import { SETTING_EDITORS, type SettingEditor } from './setting.editors.js';
import { formContext, formPage } from './setting.form-page.js';
import { editorPage, parseJsonField, pretty } from './settings.json-page.js';
import {
  currentSetting,
  currentVersion,
  listVersions,
  rollback,
  saveSetting,
  SettingValidationError,
  SettingVersionConflictError,
  SettingVersionNotFoundError,
} from './settings.versions.js';

/** Who an audit row and a version name. */
export const authorOf = (principal: Principal | undefined) => (principal ? `${principal.name} (${principal.kind} ${principal.id})` : 'onbekend');

function historyPage(editor: SettingEditor, versions: Awaited<ReturnType<typeof listVersions>>, csrfToken: string | undefined, notice?: string): string {
  const newest = versions[0]?.version;
  return adminPage(
    `${editor.title}: geschiedenis`,
    html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}<p><a href="/admin/${editor.slug}">Terug naar bewerken</a></p>
${versions.length === 0 ? html`<p>Nog geen versies: de standaardwaarde is in gebruik.</p>` : ''}
${versions.map(
  (v) => html`<section class="entry" id="versie-${v.version}">
<h2>Versie ${v.version}${v.version === newest ? ' (in gebruik)' : ''}</h2>
<p class="meta">${when(v.createdAt)} door ${v.author}${v.comment ? html` — ${v.comment}` : ''}</p>
<details${v.version === newest ? html` open` : ''}><summary>Wijzigingen</summary>${lineDiff(v.previous === undefined ? '' : pretty(v.previous), pretty(v.value))}</details>
${v.version === newest ? '' : html`<form method="post" action="/admin/${editor.slug}/terugzetten" class="inline">${csrfField(csrfToken)}<input type="hidden" name="version" value="${v.version}"><button type="submit">Terugzetten naar versie ${v.version}</button></form>`}
</section>`,
)}`,
  );
}

const wantsJson = (request: FastifyRequest) => request.headers['content-type']?.includes('application/json') ?? false;
const sendHtml = (reply: FastifyReply, page: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(page);
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

/**
 * For every versioned setting: GET/POST /admin/<slug> (the form; a post with `value` is the
 * JSON editor's or an API client's), GET /admin/<slug>/json (the JSON editor),
 * GET /admin/<slug>/geschiedenis and POST /admin/<slug>/terugzetten. Every save goes through
 * saveSetting: validated, versioned, audited.
 */
export function registerSettingPages(app: FastifyInstance, db: Db): void {
  for (const editor of SETTING_EDITORS) {
    const base = `/admin/${editor.slug}`;
    app.get(base, { config: { access: 'admin' } }, async (request, reply) => {
      const saved = (request.query as { opgeslagen?: string }).opgeslagen;
      // The version before the value: a save in between makes this form's save a 409, never an overwrite.
      const version = await currentVersion(db, editor.key);
      const [value, context] = await Promise.all([currentSetting(db, editor.key), formContext(db)]);
      const notice = saved ? `Opgeslagen als versie ${saved}.` : undefined;
      return sendHtml(reply, formPage(editor, editor.form.ofSetting(value, version), context, { notice }, request.csrfToken));
    });

    app.get(`${base}/json`, { config: { access: 'admin' } }, async (request, reply) => {
      return sendHtml(reply, editorPage(editor, { text: pretty(await currentSetting(db, editor.key)) }, request.csrfToken));
    });

    app.post(base, { config: { access: 'admin' } }, async (request, reply) => {
      const body = bodyOf(request);
      // A JSON body is always the JSON form: without `value` it is refused, never read as empty fields.
      if ('value' in body || wantsJson(request)) return saveJson(editor, request, reply);
      const comment = typeof body['comment'] === 'string' ? body['comment'] : undefined;
      const state = editor.form.ofPosted(body);
      if (state.edited) return sendHtml(reply, formPage(editor, state, await formContext(db), { comment }, request.csrfToken));
      try {
        const { version } = await saveSetting(db, editor.key, state.value, authorOf(request.principal), comment, state.version);
        return reply.redirect(`${base}?opgeslagen=${version}`, 303);
      } catch (err) {
        if (err instanceof SettingVersionConflictError) {
          return sendHtml(reply, formPage(editor, state, await formContext(db), { comment, conflict: err.current }, request.csrfToken), 409);
        }
        if (!(err instanceof SettingValidationError)) throw err;
        return sendHtml(reply, formPage(editor, state, await formContext(db), { comment, issues: err.issues }, request.csrfToken), 400);
      }
    });

    app.get(`${base}/geschiedenis`, { config: { access: 'admin' } }, async (request, reply) => {
      const back = (request.query as { teruggezet?: string }).teruggezet;
      const notice = back ? `Teruggezet; de oude waarde geldt nu als versie ${back}.` : undefined;
      return sendHtml(reply, historyPage(editor, await listVersions(db, editor.key), request.csrfToken, notice));
    });

    app.post(`${base}/terugzetten`, { config: { access: 'admin' } }, async (request, reply) => {
      const version = Number(bodyOf(request)['version']);
      if (!Number.isInteger(version) || version < 1) return reply.code(400).send({ error: 'invalid', message: 'Kies een versie.' });
      try {
        const saved = await rollback(db, editor.key, version, authorOf(request.principal));
        if (wantsJson(request)) return reply.send(saved);
        return reply.redirect(`${base}/geschiedenis?teruggezet=${saved.version}`, 303);
      } catch (err) {
        if (err instanceof SettingVersionNotFoundError) return reply.code(404).send({ error: 'not-found', message: `Versie ${version} bestaat niet.` });
        if (err instanceof SettingValidationError)
          return reply.code(409).send({ error: 'invalid', message: 'Deze versie past niet meer bij de huidige regels.', issues: err.issues });
        throw err;
      }
    });
  }

  /** A save from the JSON editor or an API client: `{ value, comment }`. */
  async function saveJson(editor: SettingEditor, request: FastifyRequest, reply: FastifyReply) {
    const body = bodyOf(request);
    const comment = typeof body['comment'] === 'string' ? body['comment'] : undefined;
    try {
      const value = parseJsonField(editor.key, body['value']);
      const { version } = await saveSetting(db, editor.key, value, authorOf(request.principal), comment);
      if (wantsJson(request)) return reply.send({ version });
      return reply.redirect(`/admin/${editor.slug}?opgeslagen=${version}`, 303);
    } catch (err) {
      if (!(err instanceof SettingValidationError)) throw err;
      if (wantsJson(request)) return reply.code(400).send({ error: 'invalid', issues: err.issues });
      const text = typeof body['value'] === 'string' ? body['value'] : pretty(body['value']);
      return sendHtml(reply, editorPage(editor, { text, comment, issues: err.issues }, request.csrfToken), 400);
    }
  }
}
