import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/accounts.js';
import type { Db } from '../db/database.js';
import { html } from '../ui/html.js';
import { uiLocale } from '../workspace/language.js';
import { adminPage, csrfField, lineDiff, when } from './admin.layout.js';
import { SETTING_EDITORS, type SettingEditor } from './setting.editors.js';
import { formContext, formPage } from './setting.form-page.js';
import { editorPage, parseJsonField, pretty } from './settings.json-page.js';
import {
  currentSetting,
  currentVersion,
  issuesIn,
  listVersions,
  rollback,
  saveSetting,
  SettingValidationError,
  SettingVersionConflictError,
  SettingVersionNotFoundError,
} from './settings.versions.js';

const TEXTS = {
  nl: {
    history: (title: string) => `${title}: geschiedenis`,
    back: 'Terug naar bewerken',
    noVersions: 'Nog geen versies: de standaardwaarde is in gebruik.',
    version: (n: number, inUse: boolean) => `Versie ${n}${inUse ? ' (in gebruik)' : ''}`,
    by: 'door',
    changes: 'Wijzigingen',
    rollBack: (n: number) => `Terugzetten naar versie ${n}`,
    saved: (n: string) => `Opgeslagen als versie ${n}.`,
    rolledBack: (n: string) => `Teruggezet; de oude waarde geldt nu als versie ${n}.`,
    chooseVersion: 'Kies een versie.',
    noSuchVersion: (n: number) => `Versie ${n} bestaat niet.`,
    noLongerValid: 'Deze versie past niet meer bij de huidige regels.',
  },
  en: {
    history: (title: string) => `${title}: history`,
    back: 'Back to editing',
    noVersions: 'No versions yet: the default value is in use.',
    version: (n: number, inUse: boolean) => `Version ${n}${inUse ? ' (in use)' : ''}`,
    by: 'by',
    changes: 'Changes',
    rollBack: (n: number) => `Roll back to version ${n}`,
    saved: (n: string) => `Saved as version ${n}.`,
    rolledBack: (n: string) => `Rolled back; the old value is now in force as version ${n}.`,
    chooseVersion: 'Choose a version.',
    noSuchVersion: (n: number) => `Version ${n} does not exist.`,
    noLongerValid: 'This version no longer fits the current rules.',
  },
} as const;

/** Who an audit row and a version name. */
export const authorOf = (principal: Principal | undefined) => (principal ? `${principal.name} (${principal.kind} ${principal.id})` : 'onbekend');

function historyPage(editor: SettingEditor, versions: Awaited<ReturnType<typeof listVersions>>, request: FastifyRequest, notice?: string): string {
  const lang = uiLocale(request);
  const t = TEXTS[lang];
  const newest = versions[0]?.version;
  return adminPage(
    t.history(editor.texts[lang].title),
    html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}<p><a href="/admin/${editor.slug}">${t.back}</a></p>
${versions.length === 0 ? html`<p>${t.noVersions}</p>` : ''}
${versions.map(
  (v) => html`<section class="entry" id="versie-${v.version}">
<h2>${t.version(v.version, v.version === newest)}</h2>
<p class="meta">${when(v.createdAt, lang)} ${t.by} ${v.author}${v.comment ? html` — ${v.comment}` : ''}</p>
<details${v.version === newest ? html` open` : ''}><summary>${t.changes}</summary>${lineDiff(v.previous === undefined ? '' : pretty(v.previous), pretty(v.value))}</details>
${v.version === newest ? '' : html`<form method="post" action="/admin/${editor.slug}/terugzetten" class="inline">${csrfField(request.csrfToken)}<input type="hidden" name="version" value="${v.version}"><button type="submit">${t.rollBack(v.version)}</button></form>`}
</section>`,
)}`,
    request,
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
      const notice = saved ? TEXTS[uiLocale(request)].saved(saved) : undefined;
      return sendHtml(reply, formPage(editor, editor.form.ofSetting(value, version), context, { notice }, request));
    });

    app.get(`${base}/json`, { config: { access: 'admin' } }, async (request, reply) => {
      return sendHtml(reply, editorPage(editor, { text: pretty(await currentSetting(db, editor.key)) }, request));
    });

    app.post(base, { config: { access: 'admin' } }, async (request, reply) => {
      const body = bodyOf(request);
      // A JSON body is always the JSON form: without `value` it is refused, never read as empty fields.
      if ('value' in body || wantsJson(request)) return saveJson(editor, request, reply);
      const comment = typeof body['comment'] === 'string' ? body['comment'] : undefined;
      const state = editor.form.ofPosted(body);
      if (state.edited) return sendHtml(reply, formPage(editor, state, await formContext(db), { comment }, request));
      try {
        const { version } = await saveSetting(db, editor.key, state.value, authorOf(request.principal), comment, state.version);
        return reply.redirect(`${base}?opgeslagen=${version}`, 303);
      } catch (err) {
        if (err instanceof SettingVersionConflictError) {
          return sendHtml(reply, formPage(editor, state, await formContext(db), { comment, conflict: err.current }, request), 409);
        }
        if (!(err instanceof SettingValidationError)) throw err;
        return sendHtml(reply, formPage(editor, state, await formContext(db), { comment, issues: err.issues }, request), 400);
      }
    });

    app.get(`${base}/geschiedenis`, { config: { access: 'admin' } }, async (request, reply) => {
      const back = (request.query as { teruggezet?: string }).teruggezet;
      const notice = back ? TEXTS[uiLocale(request)].rolledBack(back) : undefined;
      return sendHtml(reply, historyPage(editor, await listVersions(db, editor.key), request, notice));
    });

    app.post(`${base}/terugzetten`, { config: { access: 'admin' } }, async (request, reply) => {
      const t = TEXTS[uiLocale(request)];
      const version = Number(bodyOf(request)['version']);
      if (!Number.isInteger(version) || version < 1) return reply.code(400).send({ error: 'invalid', message: t.chooseVersion });
      try {
        const saved = await rollback(db, editor.key, version, authorOf(request.principal));
        if (wantsJson(request)) return reply.send(saved);
        return reply.redirect(`${base}/geschiedenis?teruggezet=${saved.version}`, 303);
      } catch (err) {
        if (err instanceof SettingVersionNotFoundError) return reply.code(404).send({ error: 'not-found', message: t.noSuchVersion(version) });
        if (err instanceof SettingValidationError)
          return reply.code(409).send({ error: 'invalid', message: t.noLongerValid, issues: issuesIn(err.issues, uiLocale(request)) });
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
      if (wantsJson(request)) return reply.code(400).send({ error: 'invalid', issues: issuesIn(err.issues, uiLocale(request)) });
      const text = typeof body['value'] === 'string' ? body['value'] : pretty(body['value']);
      return sendHtml(reply, editorPage(editor, { text, comment, issues: err.issues }, request), 400);
    }
  }
}
