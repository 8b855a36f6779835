import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../ui/html.js';
import { uiLocale, type UiLocale } from '../workspace/language.js';
import { adminPage, csrfField } from './admin.layout.js';
import { SUMMARY_TEXTS } from './admin.texts.js';
import type { TypedMessage } from '../policy/dry-run.js';
import { dryRunFields } from './dry-run.fields.js';
import type { SettingEditor } from './setting.editors.js';
import { issueIn, SettingValidationError, type SettingIssue } from './settings.versions.js';

const TEXTS = {
  nl: {
    back: 'Terug naar het formulier',
    history: 'Geschiedenis en terugzetten',
    value: 'Waarde (JSON)',
    comment: 'Toelichting',
    optional: 'optioneel',
    save: 'Opslaan',
  },
  en: {
    back: 'Back to the form',
    history: 'History and rollback',
    value: 'Value (JSON)',
    comment: 'Note',
    optional: 'optional',
    save: 'Save',
  },
} as const;

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
    const why = (err as Error).message;
    throw new SettingValidationError(key, [{ path: '', message: `geen geldige JSON: ${why}`, en: { path: '', message: `not valid JSON: ${why}` } }]);
  }
}

function issueList(issues: SettingIssue[] | undefined, lang: UiLocale): SafeHtml | '' {
  if (!issues?.length) return '';
  const t = SUMMARY_TEXTS[lang];
  return html`<div class="error-summary" role="alert" tabindex="-1"><h2>${t.notSaved(issues.length)}</h2>
<ul>${issues.map((issue) => issueIn(issue, lang)).map((issue) => html`<li><strong>${issue.path || t.whole}</strong>: ${issue.message}</li>`)}</ul></div>`;
}

/**
 * The advanced editor of one setting, in the admin's language: its JSON in a textarea, errors
 * by path, save (and for rules, dry run). The dry-run fields come before the save button:
 * Enter in a field presses the form's first button, and a dry run is the harmless one.
 */
export function editorPage(editor: SettingEditor, view: EditorView, request: FastifyRequest): string {
  const lang = uiLocale(request);
  const t = TEXTS[lang];
  const texts = editor.texts[lang];
  return adminPage(
    `${texts.title} (JSON)`,
    html`${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}${issueList(view.issues, lang)}
${texts.jsonHelp}
<p><a href="/admin/${editor.slug}">${t.back}</a> · <a href="/admin/${editor.slug}/geschiedenis">${t.history}</a></p>
<form method="post" action="/admin/${editor.slug}">
${csrfField(request.csrfToken)}
<label for="value">${t.value}</label>
<textarea id="value" name="value" class="json" spellcheck="false"${view.issues?.length ? html` aria-invalid="true"` : ''}>${view.text}</textarea>
${editor.key === 'routing.rules' ? dryRunFields(view.typed, view.recent ?? false, lang) : ''}
<label for="comment">${t.comment} <span class="hint">(${t.optional})</span></label>
<input id="comment" name="comment" value="${view.comment ?? ''}">
<button type="submit" name="action" value="opslaan">${t.save}</button>
</form>
${view.results ?? ''}`,
    request,
  );
}
