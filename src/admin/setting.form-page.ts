import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { html, type SafeHtml } from '../ui/html.js';
import { uiLocale } from '../workspace/language.js';
import { adminPage, csrfField } from './admin.layout.js';
import type { TypedMessage } from '../policy/dry-run.js';
import { dryRunFields } from './dry-run.fields.js';
import type { SettingEditor } from './setting.editors.js';
import { REFRESH_ACTION, VERSION_FIELD, type FormContext, type FormState } from './setting.form.js';
import { currentSetting, type SettingIssue } from './settings.versions.js';
import type { TopicsSetting } from '../policy/topics.setting.js';
import type { ReplyTemplate } from '../policy/templates.js';

const TEXTS = {
  nl: {
    history: 'Geschiedenis en terugzetten',
    json: 'Geavanceerd: als JSON bewerken',
    refresh: 'Bijwerken',
    comment: 'Toelichting bij deze wijziging',
    optional: 'optioneel',
    save: 'Opslaan',
    conflict: 'Niet opgeslagen: iemand anders heeft deze instelling intussen gewijzigd',
    conflictHelp: (version: number, reload: SafeHtml) =>
      html`Er geldt nu versie ${version}. ${reload} om die te zien en breng uw wijzigingen daarin opnieuw aan. Wat u invulde staat hieronder nog.`,
    reload: 'Laad de pagina opnieuw',
  },
  en: {
    history: 'History and rollback',
    json: 'Advanced: edit as JSON',
    refresh: 'Update',
    comment: 'Note on this change',
    optional: 'optional',
    save: 'Save',
    conflict: 'Not saved: someone else changed this setting in the meantime',
    conflictHelp: (version: number, reload: SafeHtml) =>
      html`Version ${version} is now in force. ${reload} to see it and make your changes in it again. What you filled in is still below.`,
    reload: 'Reload the page',
  },
} as const;

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
 * The form page of one setting, in the admin's language: error summary linking to the fields,
 * the fields with their errors, (for rules) the dry run, a comment, save. Its first button is
 * a hidden "refresh" that Enter in a field presses: it shows the form again and saves nothing.
 */
export function formPage(editor: SettingEditor, state: FormState, context: FormContext, view: FormView, request: FastifyRequest): string {
  const lang = uiLocale(request);
  const t = TEXTS[lang];
  const texts = editor.texts[lang];
  const { summary, fields } = state.render(context, view.issues, lang);
  return adminPage(
    texts.title,
    html`${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}${view.conflict === undefined ? '' : conflictSummary(editor, view.conflict, t)}${summary}
${texts.formHelp}
<p><a href="/admin/${editor.slug}/geschiedenis">${t.history}</a> · <a href="/admin/${editor.slug}/json">${t.json}</a></p>
<form method="post" action="/admin/${editor.slug}" novalidate>
${csrfField(request.csrfToken)}
${state.version === undefined ? '' : html`<input type="hidden" name="${VERSION_FIELD}" value="${state.version}">`}
<button type="submit" name="actie" value="${REFRESH_ACTION}" class="visually-hidden" tabindex="-1" aria-hidden="true">${t.refresh}</button>
${fields}
${editor.key === 'routing.rules' ? dryRunFields(view.typed, view.recent ?? false, lang, 'actie') : ''}
<label for="comment">${t.comment} <span class="hint">(${t.optional})</span></label>
<input id="comment" name="comment" value="${view.comment ?? ''}">
<button type="submit" name="actie" value="opslaan">${t.save}</button>
</form>
${view.results ?? ''}`,
    request,
  );
}

/** Why a save was refused: someone saved a newer version since this form was loaded. */
function conflictSummary(editor: SettingEditor, current: number, t: (typeof TEXTS)[keyof typeof TEXTS]): SafeHtml {
  return html`<div class="error-summary" id="foutoverzicht" role="alert" tabindex="-1"><h2>${t.conflict}</h2>
<p>${t.conflictHelp(current, html`<a href="/admin/${editor.slug}">${t.reload}</a>`)}</p></div>`;
}
