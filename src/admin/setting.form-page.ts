import type { Db } from '../db/database.js';
import { html, type SafeHtml } from '../ui/html.js';
import { adminPage, csrfField } from './admin.layout.js';
import type { TypedMessage } from '../policy/dry-run.js';
import { dryRunFields } from './dry-run.fields.js';
import type { SettingEditor } from './setting.editors.js';
import { REFRESH_ACTION, VERSION_FIELD, type FormContext, type FormState } from './setting.form.js';
import { currentSetting, type SettingIssue } from './settings.versions.js';
import type { TopicsSetting } from '../policy/topics.setting.js';
import type { ReplyTemplate } from '../policy/templates.js';

export interface FormView {
  notice?: string;
  issues?: SettingIssue[];
  comment?: string;
  typed?: TypedMessage;
  recent?: boolean;
  results?: SafeHtml;
  /** The version saved meanwhile by someone else: this save was refused (409). */
  conflict?: number;
}

/** The topics and templates in force, for the forms' choices. */
export async function formContext(db: Db): Promise<FormContext> {
  const [topics, templates] = await Promise.all([
    currentSetting(db, 'topics') as Promise<TopicsSetting>,
    currentSetting(db, 'reply.templates') as Promise<ReplyTemplate[]>,
  ]);
  const keys = [...new Map(templates.map((t) => [t.key, { key: t.key, name: `${t.name} (${t.key})` }])).values()];
  return { topics, templates: keys };
}

/**
 * The form page of one setting: error summary linking to the fields, the fields with their
 * errors, (for rules) the dry run, a comment, save. Its first button is a hidden "refresh"
 * that Enter in a field presses: it shows the form again and saves nothing.
 */
export function formPage(editor: SettingEditor, state: FormState, context: FormContext, view: FormView, csrfToken: string | undefined): string {
  const { summary, fields } = state.render(context, view.issues);
  return adminPage(
    editor.title,
    html`${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}${view.conflict === undefined ? '' : conflictSummary(editor, view.conflict)}${summary}
${editor.formHelp}
<p><a href="/admin/${editor.slug}/geschiedenis">Geschiedenis en terugzetten</a> · <a href="/admin/${editor.slug}/json">Geavanceerd: als JSON bewerken</a></p>
<form method="post" action="/admin/${editor.slug}" novalidate>
${csrfField(csrfToken)}
${state.version === undefined ? '' : html`<input type="hidden" name="${VERSION_FIELD}" value="${state.version}">`}
<button type="submit" name="actie" value="${REFRESH_ACTION}" class="visually-hidden" tabindex="-1" aria-hidden="true">Bijwerken</button>
${fields}
${editor.key === 'routing.rules' ? dryRunFields(view.typed, view.recent ?? false, 'actie') : ''}
<label for="comment">Toelichting bij deze wijziging <span class="hint">(optioneel)</span></label>
<input id="comment" name="comment" value="${view.comment ?? ''}">
<button type="submit" name="actie" value="opslaan">Opslaan</button>
</form>
${view.results ?? ''}`,
  );
}

/** Why a save was refused: someone saved a newer version since this form was loaded. */
function conflictSummary(editor: SettingEditor, current: number): SafeHtml {
  return html`<div class="error-summary" id="foutoverzicht" role="alert" tabindex="-1"><h2>Niet opgeslagen: iemand anders heeft deze instelling intussen gewijzigd</h2>
<p>Er geldt nu versie ${current}. <a href="/admin/${editor.slug}">Laad de pagina opnieuw</a> om die te zien en breng uw wijzigingen daarin opnieuw aan. Wat u invulde staat hieronder nog.</p></div>`;
}
