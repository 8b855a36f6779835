import { randomUUID } from 'node:crypto';
import type { Locale } from '../../src/message.js';
import { html, type SafeHtml } from '../../src/ui/html.js';
import { formField } from '../../src/ui/form.js';
import { errorFocus, layout } from '../../src/ui/layout.js';
import type { WebformField } from './webform.schema.js';
import { TEXTS } from './webform.texts.js';

export interface ContactPageOptions {
  locale: Locale;
  topics: { key: string; name: string }[];
  maxFiles: number;
  maxFileMb: number;
  values?: Record<string, string>;
  errors?: Partial<Record<WebformField, string>>;
}

/** The contact form: labelled fields, errors tied to their field, works without JavaScript. */
export function contactPage(options: ContactPageOptions): string {
  const t = TEXTS[options.locale];
  const values = options.values ?? {};
  const errors = options.errors ?? {};
  const errorEntries = Object.entries(errors) as [WebformField, string][];

  const field = (name: WebformField, label: string, required: boolean, control: (attrs: SafeHtml) => SafeHtml, hint?: string) =>
    formField(t, { name, label, required, error: errors[name], hint }, control);

  const body = html`<h1>${t.title}</h1>
<p>${t.intro}</p>
${
  errorEntries.length > 0
    ? html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
<h2>${t.errorSummary}</h2>
<ul>${errorEntries.map(([name, message]) => html`<li><a href="#${name}">${message}</a></li>`)}</ul>
</div>`
    : ''
}
<form method="post" action="/contact" enctype="multipart/form-data" novalidate>
<input type="hidden" name="submissionId" value="${values['submissionId'] || randomUUID()}">
<input type="hidden" name="lang" value="${options.locale}">
${field('name', t.name, true, (a) => html`<input type="text" ${a} autocomplete="name" maxlength="200" value="${values['name'] ?? ''}">`)}
${field('email', t.email, true, (a) => html`<input type="email" ${a} autocomplete="email" maxlength="320" value="${values['email'] ?? ''}">`)}
${field('employeeNumber', t.employeeNumber, false, (a) => html`<input type="text" ${a} inputmode="numeric" maxlength="20" value="${values['employeeNumber'] ?? ''}">`)}
${field(
  'topic',
  t.topic,
  false,
  (a) =>
    html`<select ${a}><option value="">${t.topicNone}</option>${options.topics.map(
      (topic) => html`<option value="${topic.key}"${values['topic'] === topic.key ? html` selected` : ''}>${topic.name}</option>`,
    )}</select>`,
)}
<fieldset class="complaint-fields"><legend>${t.complaint}</legend>
<p class="hint">${t.complaintIntro}</p>
${field('complaintReference', t.complaintReference, false, (a) => html`<input type="text" ${a} maxlength="40" value="${values['complaintReference'] ?? ''}">`)}
${field('complaintLastContact', t.complaintLastContact, false, (a) => html`<input type="date" ${a} value="${values['complaintLastContact'] ?? ''}">`)}
${field('complaintEmployee', t.complaintEmployee, false, (a) => html`<input type="text" ${a} maxlength="200" value="${values['complaintEmployee'] ?? ''}">`)}
</fieldset>
${field('subject', t.subject, true, (a) => html`<input type="text" ${a} maxlength="200" value="${values['subject'] ?? ''}">`)}
${field('message', t.message, true, (a) => html`<textarea ${a} maxlength="20000">${values['message'] ?? ''}</textarea>`)}
${field(
  'attachments',
  t.attachments,
  false,
  (a) => html`<input type="file" ${a} multiple accept=".pdf,.png,.jpg,.jpeg,.gif,.tif,.tiff,.webp,.heic,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp">`,
  t.attachmentsHint(options.maxFiles, options.maxFileMb),
)}
<div class="visually-hidden" aria-hidden="true">
<label for="website">${t.honeypot}</label>
<input type="text" id="website" name="website" tabindex="-1" autocomplete="off" value="">
</div>
<button type="submit">${t.submit}</button>
</form>
${errorEntries.length > 0 ? errorFocus() : ''}`;

  return layout({ lang: options.locale, title: errorEntries.length > 0 ? `${t.title} – ${t.invalid}` : t.title, body });
}

/**
 * The page after a successful submission: the registration number and the case page link; a
 * message added to a case by its number gets no link (the contact has it from the acknowledgement).
 */
export function thanksPage(options: { locale: Locale; reference?: string; statusUrl?: string }): string {
  const t = TEXTS[options.locale];
  const body = options.reference
    ? html`<h1>${t.thanksTitle}</h1>
<p>${t.thanksReference}</p>
<p class="reference" id="reference">${options.reference}</p>
${options.statusUrl ? html`<p>${t.thanksStatus} <a href="${options.statusUrl}">${t.thanksLink}</a></p>` : html`<p>${t.thanksJoined}</p>`}`
    : html`<h1>${t.thanksTitle}</h1><p>${t.thanksGeneric}</p>`;
  return layout({ lang: options.locale, title: t.thanksTitle, body });
}
