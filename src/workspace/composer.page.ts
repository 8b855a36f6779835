import type { AnswerRoute } from '../channel.js';
import type { Sender } from '../message.js';
import type { ReplyTemplate } from '../policy/templates.js';
import { html, type SafeHtml } from '../ui/html.js';
import { who } from './case-timeline.page.js';
import { CHANNEL_LABELS } from './workspace.texts.js';

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
}

/**
 * Where the answer goes is never switched silently: when the last message was a call or a
 * letter but the contact has an e-mail address, the agent chooses between the two.
 */
function viaChoice(route: ComposerInput['answerRoute'], contact: Sender): SafeHtml | '' {
  // Mail, form and chat answers go as written; a call-back or a letter could go by mail instead.
  if ('refused' in route || (route.channel !== 'phone' && route.channel !== 'post')) return '';
  const email = contact.replyTo ?? contact.email;
  if (!email) return '';
  const natural = route.channel === 'phone' ? 'Terugbellen (een taak op de terugbellijst)' : `Via ${CHANNEL_LABELS[route.channel] ?? route.channel}`;
  return html`<fieldset class="via"><legend>Hoe gaat het antwoord naar de contactpersoon?</legend>
<label class="check"><input type="radio" name="via" value="${route.channel}" checked> ${natural}</label>
<label class="check"><input type="radio" name="via" value="email"> Per e-mail aan ${email}</label>
</fieldset>`;
}

function destination(route: ComposerInput['answerRoute'], choice: boolean): SafeHtml {
  if ('refused' in route) return html`<p class="field-error" id="answer-destination">${route.refused}</p>`;
  const to = route.channel === 'chat' ? 'in het open chatgesprek' : `aan ${who(route.recipient)}`;
  return html`<p class="hint" id="answer-destination">Het antwoord gaat via ${CHANNEL_LABELS[route.channel] ?? route.channel} ${to}${
    choice ? ', tenzij u hieronder e-mail kiest' : ''
  }.</p>`;
}

/**
 * Files go with a mail answer only. Where the answer goes by mail (or may, when the agent
 * chooses mail) the field is there; elsewhere the page says why it is not.
 */
function filesField(route: ComposerInput['answerRoute'], choice: boolean, uploads: ComposerInput['uploads']): SafeHtml | '' {
  if ('refused' in route) return '';
  if (route.channel !== 'email' && !choice)
    return html`<p class="hint" id="answer-files-none">Bijlagen kunnen alleen mee met een antwoord per e-mail; dit antwoord gaat via ${
      CHANNEL_LABELS[route.channel] ?? route.channel
    }.</p>`;
  return html`<label for="answer-files">Bijlagen <span class="hint">(niet verplicht)</span></label>
<p class="hint" id="answer-files-hint">${choice ? 'Alleen bij een antwoord per e-mail. ' : ''}Hoogstens ${uploads.maxFiles} bestanden van elk hoogstens ${
    uploads.maxFileMb
  } MB: PDF, afbeeldingen of kantoordocumenten. Bijlagen worden niet in het concept bewaard: kies ze vlak voor het versturen.</p>
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
  const choice = viaChoice(answerRoute, input.contact);
  return html`<h2 id="composer-title">Antwoord schrijven</h2>
${destination(answerRoute, choice !== '')}
<form method="post" action="${base}/antwoord" id="composer" aria-labelledby="composer-title" data-case-url="${base}" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${input.csrfToken}">
${choice}
<div class="template-pick">
<label for="template">Sjabloon <span class="hint">(wordt op de plek van de cursor ingevoegd; niet verplicht)</span></label>
<select id="template" name="sjabloon">
<option value="">Kies een sjabloon</option>
${input.templates.map((t) => html`<option value="${t.key}"${t.key === input.chosenTemplate ? html` selected` : ''}>${t.name}</option>`)}
</select>
<button type="submit" name="actie" value="sjabloon" formnovalidate formenctype="application/x-www-form-urlencoded" class="secondary" id="insert-template">Sjabloon invoegen</button>
</div>
<label for="answer">Uw antwoord</label>
<textarea id="answer" name="text" required aria-required="true" aria-describedby="answer-destination draft-status">${input.draft}</textarea>
<p id="draft-status" class="hint" role="status">${input.draft ? 'Uw concept is bewaard.' : ''}</p>
${filesField(answerRoute, choice !== '', input.uploads)}
<div class="send-actions">
<button type="submit" name="actie" value="versturen">Versturen</button>
${
  input.open
    ? html`<button type="submit" name="actie" value="sluiten">Versturen en sluiten</button>
<button type="submit" name="actie" value="wachten">Versturen, wacht op reactie</button>`
    : ''
}
</div>
</form>
<script src="/werkplek/composer.js" defer></script>`;
}
