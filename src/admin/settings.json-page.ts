import { html, type SafeHtml } from '../ui/html.js';
import { adminPage, csrfField } from './admin.layout.js';
import type { TypedMessage } from '../policy/dry-run.js';
import { dryRunFields } from './dry-run.fields.js';
import type { SettingEditor } from './setting.editors.js';
import { SettingValidationError, type SettingIssue } from './settings.versions.js';

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

/**
 * The advanced editor of one setting: its JSON in a textarea, errors by path, save (and for
 * rules, dry run). The dry-run fields come before the save button: Enter in a field presses
 * the form's first button, and a dry run is the harmless one.
 */
export function editorPage(editor: SettingEditor, view: EditorView, csrfToken: string | undefined): string {
  return adminPage(
    `${editor.title} (JSON)`,
    html`${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}${issueList(view.issues)}
${editor.jsonHelp}
<p><a href="/admin/${editor.slug}">Terug naar het formulier</a> · <a href="/admin/${editor.slug}/geschiedenis">Geschiedenis en terugzetten</a></p>
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
