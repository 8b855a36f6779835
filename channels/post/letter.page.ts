import { formatLongDate } from '../../src/calendar.js';
import { html, SafeHtml } from '../../src/ui/html.js';
import { formField } from '../../src/ui/form.js';
import { errorFocus, layout } from '../../src/ui/layout.js';
import type { LetterField } from './letter.schema.js';
import type { Letter } from './letter.store.js';
import { addressLines } from './letter.pdf.js';
import { TEXTS } from './post.texts.js';

type Errors = Partial<Record<string, string>>;

/** A labelled control with its hint and error (see formField). */
function field(name: string, label: string, required: boolean, errors: Errors, control: (attrs: SafeHtml) => SafeHtml, hint?: string): SafeHtml {
  return formField(TEXTS, { name, label, required, error: errors[name], hint }, control);
}

/** The summary on top of a form with errors, each linking to its field; focused on load. */
function errorSummary(errors: Errors): SafeHtml {
  const entries = Object.entries(errors).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  if (entries.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
<h2>${TEXTS.errorSummary}</h2>
<ul>${entries.map(([name, message]) => html`<li><a href="#${name}">${message}</a></li>`)}</ul>
</div>
${errorFocus()}`;
}

export interface EntryPageOptions {
  csrfToken: string;
  maxFiles: number;
  maxFileMb: number;
  values?: Record<string, string>;
  errors?: Partial<Record<LetterField, string>>;
}

/** GET /werkplek/brief: scans plus the sender's name, postal address and the letter's date. */
export function entryPage(options: EntryPageOptions): string {
  const values = options.values ?? {};
  const errors: Errors = options.errors ?? {};
  // attrs are literals of this module, never user input.
  const text = (name: string, label: string, required: boolean, attrs: string, hint?: string) =>
    field(name, label, required, errors, (a) => html`<input type="text" ${a} ${new SafeHtml(attrs)} value="${values[name] ?? ''}">`, hint);
  const body = html`<h1>${TEXTS.entryTitle}</h1>
<p>${TEXTS.entryIntro}</p>
${errorSummary(errors)}
<form method="post" action="/werkplek/brief" enctype="multipart/form-data" novalidate>
<input type="hidden" name="_csrf" value="${options.csrfToken}">
${field(
  'scans',
  TEXTS.scans,
  true,
  errors,
  (a) => html`<input type="file" ${a} multiple accept=".pdf,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,image/png,image/jpeg,image/tiff">`,
  TEXTS.scansHint(options.maxFiles, options.maxFileMb),
)}
${text('senderName', TEXTS.senderName, true, 'autocomplete="off" maxlength="200"')}
<fieldset>
<legend>${TEXTS.addressLegend}</legend>
${text('street', TEXTS.street, true, 'maxlength="200"')}
${text('postalCode', TEXTS.postalCode, true, 'maxlength="20" autocapitalize="characters"', TEXTS.postalCodeHint)}
${text('city', TEXTS.city, true, 'maxlength="100"')}
${text('country', TEXTS.country, false, 'maxlength="100"', TEXTS.countryHint)}
</fieldset>
${field('letterDate', TEXTS.letterDate, false, errors, (a) => html`<input type="date" ${a} value="${values['letterDate'] ?? ''}">`, TEXTS.letterDateHint)}
<button type="submit">${TEXTS.enter}</button>
</form>`;
  return layout({ lang: 'nl', title: Object.keys(errors).length > 0 ? `${TEXTS.entryTitle} – ${TEXTS.invalid}` : TEXTS.entryTitle, body });
}

export interface LetterPageOptions {
  letter: Letter;
  csrfToken: string;
  /** The text as the agent last sent it, when it came back with an error. */
  text?: string;
  error?: string;
}

/** GET /werkplek/brief/:id: status, scans, and the OCR text to check and submit. */
export function letterPage({ letter, csrfToken, text, error }: LetterPageOptions): string {
  const address = letter.sender.postalAddress ?? {};
  const editable = letter.status === 'review' || letter.status === 'failed';
  const body = html`<h1>${TEXTS.letterTitle(letter.id)}</h1>
<div role="status" id="status" data-status="${letter.status}">
<p><strong>${TEXTS.statusLabel}:</strong> ${TEXTS.status[letter.status]}</p>
${letter.status === 'ocr' ? html`<p><a href="/werkplek/brief/${letter.id}">${TEXTS.refreshNow}</a></p>` : ''}
${letter.status === 'failed' && letter.ocrError ? html`<p class="meta">${TEXTS.ocrError}: ${letter.ocrError}</p>` : ''}
${letter.reference ? html`<p>${TEXTS.reference}:</p><p class="reference" id="reference">${letter.reference}</p>` : ''}
</div>
<dl>
<dt>${TEXTS.sender}</dt><dd>${addressLines(letter.sender.name, address).map((line) => html`${line}<br>`)}</dd>
${letter.letterDate ? html`<dt>${TEXTS.letterDate}</dt><dd>${formatLongDate(letter.letterDate, 'nl')}</dd>` : ''}
<dt>${TEXTS.enteredBy}</dt><dd>${letter.enteredBy}</dd>
</dl>
<h2>${TEXTS.scanList}</h2>
<ul>${letter.scans.map((scan, i) => html`<li><a href="/werkplek/brief/${letter.id}/scan/${i + 1}">${TEXTS.scanLink(i + 1, scan.filename)}</a></li>`)}</ul>
${editable ? reviewForm(letter, csrfToken, text ?? letter.ocrText ?? '', error) : ''}`;
  return layout({ lang: 'nl', title: error ? `${TEXTS.letterTitle(letter.id)} – ${TEXTS.invalid}` : TEXTS.letterTitle(letter.id), body });
}

function reviewForm(letter: Letter, csrfToken: string, text: string, error?: string): SafeHtml {
  const errors: Errors = error ? { text: error } : {};
  return html`${errorSummary(errors)}
<form method="post" action="/werkplek/brief/${letter.id}">
<input type="hidden" name="_csrf" value="${csrfToken}">
${field('text', TEXTS.text, true, errors, (a) => html`<textarea ${a} rows="20" maxlength="100000">${text}</textarea>`, TEXTS.textHint)}
<button type="submit">${TEXTS.submit}</button>
</form>`;
}
