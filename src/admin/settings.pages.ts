import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/accounts.js';
import type { Db } from '../db/database.js';
import { html, type SafeHtml } from '../ui/html.js';
import { adminPage, csrfField, lineDiff, when } from './admin.layout.js';
import type { TypedMessage } from './dry-run.js';
import {
  currentSetting,
  listVersions,
  rollback,
  saveSetting,
  SettingValidationError,
  SettingVersionNotFoundError,
  type SettingIssue,
  type VersionedKey,
} from './settings.versions.js';

export interface SettingEditor {
  slug: string;
  key: VersionedKey;
  title: string;
  help: SafeHtml;
}

const RULES_HELP = html`<p>Regels gelden van boven naar beneden. Een regel werkt als <em>alle</em> voorwaarden in <code>when</code> kloppen;
een latere regel kan overschrijven wat een eerdere besliste, tenzij die <code>"stop": true</code> heeft.</p>
<details><summary>Voorwaarden en acties</summary>
<p><strong>when</strong>: <code>channels</code> (email, webform, chat, phone, post), <code>topics</code>, <code>senders</code> (adres of <code>@domein.nl</code>),
<code>subjectContains</code>, <code>bodyContains</code>, <code>subjectMatches</code>/<code>bodyMatches</code> (reguliere expressie, max. 200 tekens, geen geneste herhaling),
<code>hasAttachment</code> (true/false), <code>officeHours</code> ("inside"/"outside").</p>
<p><strong>then</strong>: <code>topic</code>, <code>team</code>, <code>priority</code> (low/normal/high), <code>complaint</code> (true: onderwerp klacht),
<code>replyTemplate</code> (sleutel van een antwoordsjabloon, vervangt de ontvangstbevestiging), <code>stop</code> (true).</p>
<pre>[{ "id": "bzk-spoed", "name": "BZK met voorrang", "when": { "senders": ["@minbzk.nl"] }, "then": { "priority": "high", "team": "spoed" } }]</pre>
</details>`;

export const SETTING_EDITORS: SettingEditor[] = [
  { slug: 'regels', key: 'routing.rules', title: 'Routeringsregels', help: RULES_HELP },
  {
    slug: 'onderwerpen',
    key: 'topics',
    title: 'Onderwerpen',
    help: html`<p>De volgorde telt bij gelijke scores. Per onderwerp: <code>key</code>, <code>nameNl</code>, <code>nameEn</code>, <code>keywords</code> (<code>nl</code> en <code>en</code>), <code>team</code>, <code>weight</code> (1–10).</p>`,
  },
  {
    slug: 'chat',
    key: 'chat.topics',
    title: 'Chatonderwerpen',
    help: html`<p>De sleutels van de onderwerpen die de chat mag behandelen. Andere chatvragen krijgen een verwijzing naar formulier, e-mail en telefoon.</p>`,
  },
  {
    slug: 'openingstijden',
    key: 'office.hours',
    title: 'Openingstijden',
    help: html`<p>Maandag tot en met vrijdag, Nederlandse tijd. Op nationale feestdagen is het contactcenter altijd dicht; zet extra sluitingsdagen in <code>extraClosedDays</code> (bijv. <code>"2026-12-24"</code>). Buiten openingstijden staat de chat offline.</p>`,
  },
  {
    slug: 'sjablonen',
    key: 'reply.templates',
    title: 'Antwoordsjablonen',
    help: html`<p>Automatische antwoorden die een regel (<code>replyTemplate</code>) in plaats van de ontvangstbevestiging stuurt. Variabelen: <code>{reference}</code> (registratienummer), <code>{answerBy}</code> (uiterste antwoorddatum), <code>{name}</code>.</p>`,
  },
];

/** Who an audit row and a version name. */
export const authorOf = (principal: Principal | undefined) => (principal ? `${principal.name} (${principal.kind} ${principal.id})` : 'onbekend');

export const pretty = (value: unknown) => JSON.stringify(value, null, 2);

export interface EditorView {
  text: string;
  comment?: string;
  issues?: SettingIssue[];
  notice?: string;
  typed?: TypedMessage;
  /** The dry run looked at the last messages rather than the typed one. */
  recent?: boolean;
  results?: SafeHtml;
}

/** The parsed JSON of a textarea, or a SettingValidationError that says where it broke. */
export function parseJsonField(key: string, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new SettingValidationError(key, [{ path: '', message: `geen geldige JSON: ${(err as Error).message}` }]);
  }
}

function issueList(issues: SettingIssue[] | undefined): SafeHtml | '' {
  if (!issues?.length) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1"><h2>Niet opgeslagen: ${issues.length} ${issues.length === 1 ? 'fout' : 'fouten'}</h2>
<ul>${issues.map((issue) => html`<li><strong>${issue.path || 'geheel'}</strong>: ${issue.message}</li>`)}</ul></div>`;
}

function dryRunFields(typed: TypedMessage | undefined, recent: boolean): SafeHtml {
  const t = typed ?? { channel: 'email', from: '', subject: '', text: '', hasAttachment: false };
  const channels = ['email', 'webform', 'chat', 'phone', 'post'];
  return html`<fieldset><legend>Proefdraaien (schrijft niets weg)</legend>
<label for="mode">Waarop</label>
<select id="mode" name="mode"><option value="bericht">Het bericht hieronder</option><option value="recent"${recent ? html` selected` : ''}>De laatste 500 berichten</option></select>
<label for="channel">Kanaal</label>
<select id="channel" name="channel">${channels.map((c) => html`<option value="${c}"${c === t.channel ? html` selected` : ''}>${c}</option>`)}</select>
<label for="from">Afzender (e-mailadres)</label><input id="from" name="from" value="${t.from}">
<label for="subject">Onderwerp</label><input id="subject" name="subject" value="${t.subject}">
<label for="text">Tekst</label><textarea id="text" name="text">${t.text}</textarea>
<label><input type="checkbox" name="attachment" value="ja" style="width:auto"${t.hasAttachment ? html` checked` : ''}> Met bijlage</label>
<button type="submit" class="secondary" formaction="/admin/regels/proefdraaien" name="action" value="proefdraaien">Proefdraaien</button>
</fieldset>`;
}

/**
 * The editor page of one setting: JSON textarea, errors per field, save (and for rules, dry
 * run). The dry-run fields come before the save button: Enter in a field presses the form's
 * first button, and a dry run is the harmless one.
 */
export function editorPage(editor: SettingEditor, view: EditorView, csrfToken: string | undefined): string {
  return adminPage(
    editor.title,
    html`${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}${issueList(view.issues)}
${editor.help}
<p><a href="/admin/${editor.slug}/geschiedenis">Geschiedenis en terugzetten</a></p>
<form method="post" action="/admin/${editor.slug}">
${csrfField(csrfToken)}
<label for="value">Waarde (JSON)</label>
<textarea id="value" name="value" class="json" spellcheck="false"${view.issues?.length ? html` aria-invalid="true"` : ''}>${view.text}</textarea>
${editor.key === 'routing.rules' ? dryRunFields(view.typed, view.recent ?? false) : ''}
<label for="comment">Toelichting <span class="hint">(optioneel)</span></label>
<input id="comment" name="comment" value="${view.comment ?? ''}">
<button type="submit" name="action" value="opslaan">Opslaan</button>
</form>
${view.results ?? ''}`,
  );
}

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

/** GET/POST /admin/<slug>, GET /admin/<slug>/geschiedenis, POST /admin/<slug>/terugzetten for every versioned setting. */
export function registerSettingPages(app: FastifyInstance, db: Db): void {
  for (const editor of SETTING_EDITORS) {
    const base = `/admin/${editor.slug}`;
    app.get(base, { config: { access: 'admin' } }, async (request, reply) => {
      const saved = (request.query as { opgeslagen?: string }).opgeslagen;
      const text = pretty(await currentSetting(db, editor.key));
      return sendHtml(reply, editorPage(editor, { text, notice: saved ? `Opgeslagen als versie ${saved}.` : undefined }, request.csrfToken));
    });

    app.post(base, { config: { access: 'admin' } }, async (request, reply) => {
      const body = bodyOf(request);
      const comment = typeof body['comment'] === 'string' ? body['comment'] : undefined;
      try {
        const value = parseJsonField(editor.key, body['value']);
        const { version } = await saveSetting(db, editor.key, value, authorOf(request.principal), comment);
        if (wantsJson(request)) return reply.send({ version });
        return reply.redirect(`${base}?opgeslagen=${version}`, 303);
      } catch (err) {
        if (!(err instanceof SettingValidationError)) throw err;
        if (wantsJson(request)) return reply.code(400).send({ error: 'invalid', issues: err.issues });
        const text = typeof body['value'] === 'string' ? body['value'] : pretty(body['value']);
        return sendHtml(reply, editorPage(editor, { text, comment, issues: err.issues }, request.csrfToken), 400);
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
        if (err instanceof SettingValidationError) return reply.code(409).send({ error: 'invalid', message: 'Deze versie past niet meer bij de huidige regels.', issues: err.issues });
        throw err;
      }
    });
  }
}
