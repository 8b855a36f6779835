import type { AnswerRoute } from '../channel.js';
import type { Sender } from '../message.js';
import type { ReplyTemplate } from '../policy/templates.js';
import { html, type SafeHtml } from '../ui/html.js';
import { who } from './case-timeline.page.js';
import { labels } from './workspace.texts.js';
import type { UiLocale } from './language.js';

/** What the answer composer shows: where the answer goes, the draft, the templates and the file limits. */
export interface ComposerInput {
  /** The case page's URL (`/werkplek/zaken/:reference`). */
  base: string;
  csrfToken: string;
  /** Where an answer would go now, or why it cannot be sent. */
  answerRoute: AnswerRoute | { refused: string };
  contact: Sender;
  /** An open case can be closed or left waiting for the citizen with the answer. */
  open: boolean;
  templates: readonly ReplyTemplate[];
  chosenTemplate?: string;
  /** The answer text as typed (or filled from a template). */
  draft: string;
  uploads: { maxFiles: number; maxFileMb: number };
  /** The agent's language (Dutch when not given). */
  lang?: UiLocale;
}

/** Every sentence of the composer, in Dutch and English. */
const TEXTS = {
  nl: {
    callBack: 'Terugbellen (een taak op de terugbellijst)',
    via: (channel: string) => `Via ${channel}`,
    how: 'Hoe gaat het antwoord naar de contactpersoon?',
    byEmail: (email: string) => `Per e-mail aan ${email}`,
    inChat: 'in het open chatgesprek',
    to: (recipient: string) => `aan ${recipient}`,
    goes: (channel: string, to: string, choice: boolean) => `Het antwoord gaat via ${channel} ${to}${choice ? ', tenzij u hieronder e-mail kiest' : ''}.`,
    filesNone: (channel: string) => `Bijlagen kunnen alleen mee met een antwoord per e-mail; dit antwoord gaat via ${channel}.`,
    files: 'Bijlagen',
    optional: '(niet verplicht)',
    filesHint: (choice: boolean, maxFiles: number, maxFileMb: number) =>
      `${choice ? 'Alleen bij een antwoord per e-mail. ' : ''}Hoogstens ${maxFiles} bestanden van elk hoogstens ${maxFileMb} MB: PDF, afbeeldingen of kantoordocumenten. Bijlagen worden niet in het concept bewaard: kies ze vlak voor het versturen.`,
    title: 'Antwoord schrijven',
    template: 'Sjabloon',
    templateHint: '(wordt op de plek van de cursor ingevoegd; niet verplicht)',
    chooseTemplate: 'Kies een sjabloon',
    insertTemplate: 'Sjabloon invoegen',
    answer: 'Uw antwoord',
    draftSaved: 'Uw concept is bewaard.',
    send: 'Versturen',
    sendClose: 'Versturen en sluiten',
    sendWait: 'Versturen, wacht op reactie',
  },
  en: {
    callBack: 'Call back (a task on the call-back list)',
    via: (channel: string) => `By ${channel}`,
    how: 'How does the answer reach the contact?',
    byEmail: (email: string) => `By e-mail to ${email}`,
    inChat: 'in the open chat',
    to: (recipient: string) => `to ${recipient}`,
    goes: (channel: string, to: string, choice: boolean) => `The answer goes by ${channel} ${to}${choice ? ', unless you choose e-mail below' : ''}.`,
    filesNone: (channel: string) => `Attachments can only go with an answer by e-mail; this answer goes by ${channel}.`,
    files: 'Attachments',
    optional: '(optional)',
    filesHint: (choice: boolean, maxFiles: number, maxFileMb: number) =>
      `${choice ? 'Only with an answer by e-mail. ' : ''}At most ${maxFiles} files of at most ${maxFileMb} MB each: PDF, images or office documents. Attachments are not kept in the draft: choose them just before sending.`,
    title: 'Write an answer',
    template: 'Template',
    templateHint: '(inserted where the cursor is; optional)',
    chooseTemplate: 'Choose a template',
    insertTemplate: 'Insert template',
    answer: 'Your answer',
    draftSaved: 'Your draft is saved.',
    send: 'Send',
    sendClose: 'Send and close',
    sendWait: 'Send, wait for a reply',
  },
} as const;
type Texts = (typeof TEXTS)[UiLocale];

/**
 * Where the answer goes is never switched silently: when the last message was a call or a
 * letter but the contact has an e-mail address, the agent chooses between the two.
 */
function viaChoice(route: ComposerInput['answerRoute'], contact: Sender, lang: UiLocale): SafeHtml | '' {
  // Mail, form and chat answers go as written; a call-back or a letter could go by mail instead.
  if ('refused' in route || (route.channel !== 'phone' && route.channel !== 'post')) return '';
  const email = contact.replyTo ?? contact.email;
  if (!email) return '';
  const t = TEXTS[lang];
  const natural = route.channel === 'phone' ? t.callBack : t.via(labels(lang).channels[route.channel] ?? route.channel);
  return html`<fieldset class="via"><legend>${t.how}</legend>
<label class="check"><input type="radio" name="via" value="${route.channel}" checked> ${natural}</label>
<label class="check"><input type="radio" name="via" value="email"> ${t.byEmail(email)}</label>
</fieldset>`;
}

function destination(route: ComposerInput['answerRoute'], choice: boolean, lang: UiLocale): SafeHtml {
  if ('refused' in route) return html`<p class="field-error" id="answer-destination">${route.refused}</p>`;
  const t = TEXTS[lang];
  const to = route.channel === 'chat' ? t.inChat : t.to(who(route.recipient, lang));
  return html`<p class="hint" id="answer-destination">${t.goes(labels(lang).channels[route.channel] ?? route.channel, to, choice)}</p>`;
}

/**
 * Files go with a mail answer only. Where the answer goes by mail (or may, when the agent
 * chooses mail) the field is there; elsewhere the page says why it is not.
 */
function filesField(route: ComposerInput['answerRoute'], choice: boolean, uploads: ComposerInput['uploads'], lang: UiLocale, t: Texts): SafeHtml | '' {
  if ('refused' in route) return '';
  if (route.channel !== 'email' && !choice)
    return html`<p class="hint" id="answer-files-none">${t.filesNone(labels(lang).channels[route.channel] ?? route.channel)}</p>`;
  return html`<label for="answer-files">${t.files} <span class="hint">${t.optional}</span></label>
<p class="hint" id="answer-files-hint">${t.filesHint(choice, uploads.maxFiles, uploads.maxFileMb)}</p>
<input type="file" id="answer-files" name="bijlagen" multiple aria-describedby="answer-files-hint">`;
}

/**
 * The answer composer: a form that works without a script (a template is added after the
 * text, the text kept), enhanced by /werkplek/composer.js (drafts saved as typed, a template
 * at the cursor). Files go along as multipart; inserting a template without the script posts
 * the text alone.
 */
export function composerSection(input: ComposerInput): SafeHtml {
  const { base, answerRoute } = input;
  const lang = input.lang ?? 'nl';
  const t = TEXTS[lang];
  const choice = viaChoice(answerRoute, input.contact, lang);
  return html`<h2 id="composer-title">${t.title}</h2>
${destination(answerRoute, choice !== '', lang)}
<form method="post" action="${base}/antwoord" id="composer" aria-labelledby="composer-title" data-case-url="${base}" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${input.csrfToken}">
${choice}
<div class="template-pick">
<label for="template">${t.template} <span class="hint">${t.templateHint}</span></label>
<select id="template" name="sjabloon">
<option value="">${t.chooseTemplate}</option>
${input.templates.map((template) => html`<option value="${template.key}"${template.key === input.chosenTemplate ? html` selected` : ''}>${template.name}</option>`)}
</select>
<button type="submit" name="actie" value="sjabloon" formnovalidate formenctype="application/x-www-form-urlencoded" class="secondary" id="insert-template">${t.insertTemplate}</button>
</div>
<label for="answer">${t.answer}</label>
<textarea id="answer" name="text" required aria-required="true" aria-describedby="answer-destination draft-status">${input.draft}</textarea>
<p id="draft-status" class="hint" role="status">${input.draft ? t.draftSaved : ''}</p>
${filesField(answerRoute, choice !== '', input.uploads, lang, t)}
<div class="send-actions">
<button type="submit" name="actie" value="versturen">${t.send}</button>
${
  input.open
    ? html`<button type="submit" name="actie" value="sluiten">${t.sendClose}</button>
<button type="submit" name="actie" value="wachten">${t.sendWait}</button>`
    : ''
}
</div>
</form>
<script src="/werkplek/composer.js" defer></script>`;
}
