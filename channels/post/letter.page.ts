import { formatLongDate } from '../../src/calendar.js';
import { html, SafeHtml } from '../../src/ui/html.js';
import { formField } from '../../src/ui/form.js';
import { errorFocus, layout } from '../../src/ui/layout.js';
import type { UiLocale } from '../../src/workspace/language.js';
import type { LetterField } from './letter.schema.js';
import type { Letter } from './letter.store.js';
import { addressLines } from './letter.pdf.js';
import { TEXTS as DUTCH } from './post.texts.js';

/**
 * The words of the agent's letter pages (entry, review, print queue) in Dutch and English.
 * The Dutch are post.texts.ts's own; what a letter or a case says (subject, PDF) stays there, in Dutch.
 */
export const TEXTS = {
  nl: DUTCH,
  en: {
    entryTitle: 'Enter a letter',
    entryIntro: 'Enter a letter that came in: the scans are read automatically (OCR). Then you check the text and submit the letter.',
    required: 'required',
    optional: 'optional',
    scans: 'Scans of the letter',
    scansHint: (files: number, mb: number) =>
      `PDF, PNG, JPEG or TIFF; several files or pages are possible, in the order of the letter. At most ${files} files of at most ${mb} MB each.`,
    senderName: "Sender's name",
    addressLegend: "Sender's postal address",
    street: 'Street and house number (or PO box)',
    postalCode: 'Postal code',
    postalCodeHint: 'For example 2511 AB.',
    city: 'Town or city',
    country: 'Country',
    countryHint: 'Only fill in if the address is outside the Netherlands.',
    letterDate: 'Date of the letter',
    letterDateHint: 'As it appears on the letter.',
    enter: 'Enter the letter',
    errorSummary: 'Please check the following fields:',
    errorPrefix: 'Error:',
    invalid: 'Please check the marked fields.',
    tooLarge: (files: number, mb: number) => `The scans are too large or too many: at most ${files} files of at most ${mb} MB each.`,
    errors: {
      scans: 'Add at least one scan (PDF, PNG, JPEG or TIFF).',
      scanType: (file: string) => `The file "${file}" is not a PDF, PNG, JPEG or TIFF.`,
      senderName: "Enter the sender's name (at most 200 characters).",
      street: 'Enter the street and house number or PO box (at most 200 characters).',
      postalCode: 'Enter a valid postal code, for example 2511 AB.',
      city: 'Enter the town or city (at most 100 characters).',
      country: 'A country has at most 100 characters.',
      letterDate: 'Enter a valid date that is not in the future, for example 2026-11-20.',
      text: 'Enter the text of the letter (at most 100,000 characters).',
      notReady: 'The scans are still being read. Wait until reading has finished.',
      unknownField: (field: string) => `The field "${field}" is unknown.`,
    },
    letterTitle: (id: number) => `Letter ${id}`,
    status: {
      ocr: 'The scans are being read. This page refreshes by itself.',
      review: 'The scans have been read. Check the text, correct it where needed and submit the letter.',
      failed: 'Reading the scans failed. Type the text of the letter yourself.',
      submitted: 'The letter has been submitted.',
    },
    statusLabel: 'Status',
    refreshNow: 'Refresh now',
    ocrError: 'Error message',
    sender: 'Sender',
    enteredBy: 'Entered by',
    scanList: 'Scans',
    scanLink: (n: number, filename: string) => `Scan ${n}: ${filename}`,
    text: 'Text of the letter',
    textHint: 'Read by OCR; check and correct the text before you submit the letter.',
    submit: 'Submit the letter',
    reference: 'Registration number',
    printTitle: 'Letters to print',
    printIntro: 'Letters Loket has drawn up that still need to go by post. Print the PDF, put it in a window envelope and then mark it as posted.',
    printEmpty: 'There are no letters to print.',
    printPages: 'Pages of the print queue',
    printFirst: 'To the start of the queue',
    printNext: 'Next 100 letters',
    printColumns: { reference: 'Reference', recipient: 'Addressee', subject: 'Subject', createdAt: 'Drawn up', pdf: 'Letter', action: 'Action' },
    printPdf: (reference: string) => `PDF of ${reference}`,
    posted: 'Posted',
    postedFor: (reference: string) => `Letter ${reference} posted`,
    notFound: 'This letter does not exist.',
  },
} as const;
export type PostTexts = (typeof TEXTS)[UiLocale];

type Errors = Partial<Record<string, string>>;

/** An entry error in the agent's language: checkLetter (letter.parse.ts) gives post.texts.ts's Dutch words. */
function errorIn(message: string, lang: UiLocale): string {
  if (lang === 'nl') return message;
  const en = TEXTS.en.errors;
  for (const [key, dutch] of Object.entries(DUTCH.errors)) if (dutch === message) return (en as Record<string, unknown>)[key] as string;
  const scanType = /^Het bestand "(.*)" is geen PDF, PNG, JPEG of TIFF\.$/s.exec(message);
  if (scanType) return en.scanType(scanType[1]!);
  const unknown = /^Het veld "(.*)" is onbekend\.$/s.exec(message);
  return unknown ? en.unknownField(unknown[1]!) : message;
}

/** A labelled control with its hint and error (see formField). */
function field(t: PostTexts, name: string, label: string, required: boolean, errors: Errors, control: (attrs: SafeHtml) => SafeHtml, hint?: string): SafeHtml {
  return formField(t, { name, label, required, error: errors[name], hint }, control);
}

/** The summary on top of a form with errors, each linking to its field; focused on load. */
function errorSummary(t: PostTexts, errors: Errors): SafeHtml {
  const entries = Object.entries(errors).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  if (entries.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
<h2>${t.errorSummary}</h2>
<ul>${entries.map(([name, message]) => html`<li><a href="#${name}">${message}</a></li>`)}</ul>
</div>
${errorFocus()}`;
}

export interface EntryPageOptions {
  /** The agent's language, and the switch to the other one in the header. */
  lang: UiLocale;
  header?: SafeHtml;
  csrfToken: string;
  maxFiles: number;
  maxFileMb: number;
  values?: Record<string, string>;
  errors?: Partial<Record<LetterField, string>>;
}

/** GET /werkplek/brief: scans plus the sender's name, postal address and the letter's date. */
export function entryPage(options: EntryPageOptions): string {
  const { lang } = options;
  const t = TEXTS[lang];
  const values = options.values ?? {};
  const errors: Errors = Object.fromEntries(
    Object.entries(options.errors ?? {}).map(([name, message]) => [name, message === undefined ? message : errorIn(message, lang)]),
  );
  // attrs are literals of this module, never user input.
  const text = (name: string, label: string, required: boolean, attrs: string, hint?: string) =>
    field(t, name, label, required, errors, (a) => html`<input type="text" ${a} ${new SafeHtml(attrs)} value="${values[name] ?? ''}">`, hint);
  const body = html`<h1>${t.entryTitle}</h1>
<p>${t.entryIntro}</p>
${errorSummary(t, errors)}
<form method="post" action="/werkplek/brief" enctype="multipart/form-data" novalidate>
<input type="hidden" name="_csrf" value="${options.csrfToken}">
${field(
  t,
  'scans',
  t.scans,
  true,
  errors,
  (a) => html`<input type="file" ${a} multiple accept=".pdf,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,image/png,image/jpeg,image/tiff">`,
  t.scansHint(options.maxFiles, options.maxFileMb),
)}
${text('senderName', t.senderName, true, 'autocomplete="off" maxlength="200"')}
<fieldset>
<legend>${t.addressLegend}</legend>
${text('street', t.street, true, 'maxlength="200"')}
${text('postalCode', t.postalCode, true, 'maxlength="20" autocapitalize="characters"', t.postalCodeHint)}
${text('city', t.city, true, 'maxlength="100"')}
${text('country', t.country, false, 'maxlength="100"', t.countryHint)}
</fieldset>
${field(t, 'letterDate', t.letterDate, false, errors, (a) => html`<input type="date" ${a} value="${values['letterDate'] ?? ''}">`, t.letterDateHint)}
<button type="submit">${t.enter}</button>
</form>`;
  return layout({ lang, header: options.header, title: Object.keys(errors).length > 0 ? `${t.entryTitle} – ${t.invalid}` : t.entryTitle, body });
}

export interface LetterPageOptions {
  /** The agent's language, and the switch to the other one in the header. */
  lang: UiLocale;
  header?: SafeHtml;
  letter: Letter;
  csrfToken: string;
  /** The text as the agent last sent it, when it came back with an error. */
  text?: string;
  error?: string;
}

/** GET /werkplek/brief/:id: status, scans, and the OCR text to check and submit. */
export function letterPage({ lang, header, letter, csrfToken, text, error }: LetterPageOptions): string {
  const t = TEXTS[lang];
  const address = letter.sender.postalAddress ?? {};
  const editable = letter.status === 'review' || letter.status === 'failed';
  const body = html`<h1>${t.letterTitle(letter.id)}</h1>
<div role="status" id="status" data-status="${letter.status}">
<p><strong>${t.statusLabel}:</strong> ${t.status[letter.status]}</p>
${letter.status === 'ocr' ? html`<p><a href="/werkplek/brief/${letter.id}">${t.refreshNow}</a></p>` : ''}
${letter.status === 'failed' && letter.ocrError ? html`<p class="meta">${t.ocrError}: ${letter.ocrError}</p>` : ''}
${letter.reference ? html`<p>${t.reference}:</p><p class="reference" id="reference">${letter.reference}</p>` : ''}
</div>
<dl>
<dt>${t.sender}</dt><dd>${addressLines(letter.sender.name, address).map((line) => html`${line}<br>`)}</dd>
${letter.letterDate ? html`<dt>${t.letterDate}</dt><dd>${formatLongDate(letter.letterDate, lang)}</dd>` : ''}
<dt>${t.enteredBy}</dt><dd>${letter.enteredBy}</dd>
</dl>
<h2>${t.scanList}</h2>
<ul>${letter.scans.map((scan, i) => html`<li><a href="/werkplek/brief/${letter.id}/scan/${i + 1}">${t.scanLink(i + 1, scan.filename)}</a></li>`)}</ul>
${editable ? reviewForm(t, letter, csrfToken, text ?? letter.ocrText ?? '', error) : ''}`;
  return layout({ lang, header, title: error ? `${t.letterTitle(letter.id)} – ${t.invalid}` : t.letterTitle(letter.id), body });
}

function reviewForm(t: PostTexts, letter: Letter, csrfToken: string, text: string, error?: string): SafeHtml {
  const errors: Errors = error ? { text: error } : {};
  return html`${errorSummary(t, errors)}
<form method="post" action="/werkplek/brief/${letter.id}">
<input type="hidden" name="_csrf" value="${csrfToken}">
${field(t, 'text', t.text, true, errors, (a) => html`<textarea ${a} rows="20" maxlength="100000">${text}</textarea>`, t.textHint)}
<button type="submit">${t.submit}</button>
</form>`;
}
