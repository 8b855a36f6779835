import { formatLongDate } from '../calendar.js';
import type { AttachmentRef, Sender } from '../message.js';
import type { Topic } from '../topic.store.js';
import { html, type SafeHtml } from '../ui/html.js';
import type { AnswerRoute } from '../channel.js';
import type { CaseView } from './case-view.query.js';
import { answersTo, threadPart, who } from './case-timeline.page.js';
import { composerSection } from './composer.page.js';
import type { ReplyTemplate } from '../policy/templates.js';
import { liveMarkup } from './live.client.js';
import type { FoundCase } from './search.js';
import { ATTENTION_LABELS, CHANNEL_LABELS, shortDateTime, STATUS_LABELS } from './workspace.texts.js';

/** What a finished action says on the page it returns to (`?gedaan=`). */
export const DONE_MESSAGES = {
  antwoord: 'Uw antwoord staat klaar om te worden verstuurd. U ziet het hieronder in de zaak.',
  'antwoord-gesloten': 'Uw antwoord staat klaar om te worden verstuurd en de zaak is gesloten.',
  'antwoord-wachten': 'Uw antwoord staat klaar om te worden verstuurd. De zaak wacht nu op een reactie van de burger.',
  'hr-loket': 'De zaak is doorgezet naar het HR-loket: een specialist belt de HR-professional terug.',
  onderwerp: 'Het onderwerp is gewijzigd.',
  toegewezen: 'De zaak is toegewezen.',
  notitie: 'De notitie is toegevoegd.',
  gesloten: 'De zaak is gesloten.',
  heropend: 'De zaak is heropend.',
  samengevoegd: 'De berichten van deze zaak zijn aan de genoemde zaak toegevoegd; deze zaak is gesloten.',
  contactpersoon: 'De contactpersoon is gewijzigd. Antwoorden gaan voortaan naar de nieuwe contactpersoon.',
  klacht: 'De klacht is bijgewerkt.',
  'klacht-geregistreerd': 'De klacht is geregistreerd; de klager krijgt een bevestiging.',
  compliment: 'Het compliment is vastgelegd en doorgegeven.',
  'klacht-opgelost': 'De oplossing gaat naar de klager, met de vraag of de klacht naar tevredenheid is opgelost.',
} as const;
export type Done = keyof typeof DONE_MESSAGES;

export interface CasePageInput {
  view: CaseView;
  topics: Topic[];
  users: { id: number; name: string }[];
  templates: readonly ReplyTemplate[];
  /** Where an answer would go now, or why it cannot be sent. */
  answerRoute: AnswerRoute | { refused: string };
  csrfToken: string;
  me: number;
  done?: Done;
  error?: string;
  /** The answer text as typed (or filled from a template). */
  draft: string;
  chosenTemplate?: string;
  /** The person's other cases (same address, employee number or phone). */
  history: FoundCase[];
  /** The whole timeline was read (`?alles=1`), not only its latest THREAD_PAGE items: the live refresh keeps it so. */
  wholeThread?: boolean;
  /** The files sent with answers, by outbox id. */
  answerFiles?: ReadonlyMap<number, readonly AttachmentRef[]>;
  /** What the answer's file field says it takes. */
  uploads: { maxFiles: number; maxFileMb: number };
  /** The views and the agent's list, beside the case on a wide screen (case-list.page.ts listPane). */
  listPane?: SafeHtml;
  /** The case against its promise (src/sla/sla.view.ts). */
  sla?: SafeHtml | '';
  /** The complaint procedure's section, when the case is a complaint (src/complaints). */
  complaint?: SafeHtml;
}

const hidden = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

/**
 * A message of this case quoted another person's number and was not joined to it: the agent
 * may join it by hand (the messages move there, this case closes, both cases keep an audit row).
 */
function mentionsSection(reference: string, mentions: string[], csrfToken: string): SafeHtml | '' {
  if (mentions.length === 0) return '';
  return html`<section class="notice" id="mentions" aria-labelledby="mentions-title">
<h2 id="mentions-title">Noemt een andere zaak</h2>
<p>Een bericht in deze zaak noemt het zaaknummer van een zaak met een andere contactpersoon. Het is daarom niet aan die zaak toegevoegd. Hoort het er toch bij, voeg het dan hier samen; antwoorden gaan naar de contactpersoon van die zaak.</p>
${mentions.map(
  (other) => html`<form method="post" action="/werkplek/zaken/${reference}/samenvoegen">
<p>Genoemd: <a href="/werkplek/zaken/${other}">${other}</a></p>
${hidden(csrfToken)}<input type="hidden" name="into" value="${other}">
<button type="submit">Samenvoegen met ${other}</button>
</form>`,
)}
</section>`;
}

/** The person's other cases, newest first: what was asked before, by whom it was handled. */
function historySection(history: FoundCase[], topics: Topic[]): SafeHtml {
  const topicName = (key: string) => topics.find((t) => t.key === key)?.nameNl ?? key;
  return html`<section id="person-history" aria-labelledby="history-title">
<h2 id="history-title">Andere zaken van deze persoon</h2>
${
  history.length === 0
    ? html`<p class="meta">Geen andere zaken met dit e-mailadres, personeelsnummer of telefoonnummer.</p>`
    : html`<ul>${history.map(
        (other) =>
          html`<li data-reference="${other.reference}"><a href="/werkplek/zaken/${other.reference}">${other.reference}</a> — ${other.subject || '(geen onderwerp)'} <span class="meta">(${topicName(other.topic)}, ${CHANNEL_LABELS[other.channel] ?? other.channel}, <time datetime="${other.openedAt.toISOString()}">${shortDateTime(other.openedAt)}</time>, ${STATUS_LABELS[other.status].toLowerCase()})</span></li>`,
      )}</ul>`
}
</section>`;
}

/** Changing who answers go to is an explicit act of an agent, never a side effect of who wrote last. */
function contactForm(base: string, contact: Sender, csrfToken: string): SafeHtml {
  return html`<form method="post" action="${base}/contactpersoon" aria-labelledby="contact-title">
<h3 id="contact-title">Contactpersoon wijzigen</h3>
${hidden(csrfToken)}
<label for="contact-name">Naam</label><input id="contact-name" name="name" value="${contact.name ?? ''}" maxlength="200">
<label for="contact-email">E-mailadres</label><input id="contact-email" name="email" type="email" value="${contact.replyTo ?? contact.email ?? ''}" maxlength="320">
<label for="contact-phone">Telefoonnummer</label><input id="contact-phone" name="phone" value="${contact.phone ?? ''}" maxlength="40">
<label for="contact-employee">Personeelsnummer</label><input id="contact-employee" name="employeeNumber" value="${contact.employeeNumber ?? ''}" maxlength="40">
<button type="submit">Contactpersoon opslaan</button>
</form>`;
}

/** An HR professional asked to talk a special case through with a specialist of the HR-loket (seed 000). */
function hrDeskForm(base: string, contact: Sender, csrfToken: string): SafeHtml {
  return html`<form method="post" action="${base}/hr-loket" aria-labelledby="hr-title">
<h3 id="hr-title">Doorzetten naar het HR-loket</h3>
<p class="hint">Voor een HR-professional die een bijzondere zaak wil bespreken: een specialist belt terug.</p>
${hidden(csrfToken)}
<label for="hr-phone">Terugbellen op</label><input id="hr-phone" name="phone" type="tel" value="${contact.phone ?? ''}" maxlength="40" required aria-required="true">
<label for="hr-note">Waarover</label><textarea id="hr-note" name="note" class="compact" rows="3" maxlength="2000" required aria-required="true"></textarea>
<button type="submit">Naar het HR-loket</button>
</form>`;
}

/** What an agent does with the case: topic, assignee, note, contact, HR-loket, close or reopen. */
function actionsSection(input: CasePageInput, base: string): SafeHtml {
  const { csrfToken } = input;
  const c = input.view.row;
  return html`<section aria-labelledby="actions-title" class="case-actions">
<h2 id="actions-title">Behandelen</h2>
<form method="post" action="${base}/onderwerp">
${hidden(csrfToken)}
<label for="topic">Onderwerp wijzigen <span class="hint">(het team volgt het onderwerp)</span></label>
<select id="topic" name="topic">${input.topics.map((t) => html`<option value="${t.key}"${t.key === c.topic ? html` selected` : ''}>${t.nameNl}${t.team ? ` (${t.team})` : ''}</option>`)}</select>
<button type="submit">Onderwerp opslaan</button>
</form>
<form method="post" action="${base}/toewijzen">
${hidden(csrfToken)}
<label for="assignee">Toewijzen aan</label>
<select id="assignee" name="assignee">
<option value="me">Mij</option>
<option value="">Niemand</option>
${input.users.filter((u) => u.id !== input.me).map((u) => html`<option value="${u.id}"${u.id === c.assigneeId ? html` selected` : ''}>${u.name}</option>`)}
</select>
<button type="submit">Toewijzen</button>
</form>
<form method="post" action="${base}/notitie">
${hidden(csrfToken)}
<label for="note">Interne notitie <span class="hint">(alleen voor collega’s, wordt niet verstuurd)</span></label>
<textarea id="note" name="text" required aria-required="true"></textarea>
<button type="submit">Notitie toevoegen</button>
</form>
${contactForm(base, c.sender, csrfToken)}
${c.status === 'open' && c.team !== 'HR-loket' ? hrDeskForm(base, c.sender, csrfToken) : ''}
<div id="case-state-action">
<form method="post" action="${base}/${c.status === 'open' ? 'sluiten' : 'heropenen'}">
${hidden(csrfToken)}
<button type="submit">${c.status === 'open' ? 'Zaak sluiten' : 'Zaak heropenen'}</button>
</form>
</div>
</section>`;
}

/** The body of the case page: facts, thread, actions and the answer composer; facts and thread are kept up to date live. */
export function casePage(input: CasePageInput): SafeHtml {
  const { view, csrfToken } = input;
  const c = view.row;
  const base = `/werkplek/zaken/${c.reference}`;
  const topicName = input.topics.find((t) => t.key === c.topic)?.nameNl ?? c.topic;
  return html`<div class="panes">
${input.listPane ? html`<div class="pane-nav">${input.listPane}</div>` : ''}
<div class="pane-case">
<p class="back"><a href="/werkplek/zaken">Terug naar de zaken</a></p>
<h1>Zaak <span class="reference" id="reference">${c.reference}</span></h1>
${input.done ? html`<div role="status" class="notice" id="done">${DONE_MESSAGES[input.done]}</div>` : ''}
${input.error ? html`<div role="alert" class="error-summary" id="error">${input.error}</div>` : ''}
<div class="case-columns">
<aside class="case-side" aria-label="Gegevens van de zaak en de persoon">
<dl class="facts" id="case-facts">
<dt>Onderwerp van het bericht</dt><dd>${c.subject || '(geen onderwerp)'}</dd>
<dt>Contactpersoon</dt><dd id="case-contact">${who(c.sender)}${answersTo(c.sender)}</dd>
<dt>Status</dt><dd id="case-status">${STATUS_LABELS[c.status]}</dd>
<dt>Kanaal</dt><dd>${CHANNEL_LABELS[c.channel] ?? c.channel}</dd>
<dt>Onderwerp</dt><dd id="case-topic">${topicName}</dd>
<dt>Team</dt><dd id="case-team">${c.team ?? 'geen'}</dd>
<dt>Antwoord uiterlijk</dt><dd>${formatLongDate(c.answerBy, 'nl')}</dd>
${input.sla ? html`<dt>Termijn</dt><dd id="case-sla">${input.sla}</dd>` : ''}
${c.firstResponseDue ? html`<dt>Eerste reactie uiterlijk</dt><dd>${shortDateTime(c.firstResponseDue)}</dd>` : ''}
<dt>Behandelaar</dt><dd id="case-assignee">${view.assignee ?? 'niemand'}</dd>
${c.attention ? html`<dt>Aandacht</dt><dd class="attention">${ATTENTION_LABELS[c.attention] ?? c.attention}</dd>` : ''}
</dl>
${mentionsSection(c.reference, c.mentions ?? [], csrfToken)}
${historySection(input.history, input.topics)}
</aside>
<div class="conversation">
${input.complaint ?? ''}
<h2>Berichten</h2>
<div id="thread">${threadPart(view.thread, view.earlier, base, { answerFiles: input.answerFiles, topicName: (key) => input.topics.find((t) => t.key === key)?.nameNl ?? key })}</div>

${composerSection({
  base,
  csrfToken,
  answerRoute: input.answerRoute,
  contact: c.sender,
  open: c.status === 'open',
  templates: input.templates,
  chosenTemplate: input.chosenTemplate,
  draft: input.draft,
  uploads: input.uploads,
})}
</div>
${actionsSection(input, base)}
</div>
</div>
</div>
${liveMarkup({ kind: 'case', url: input.wholeThread ? `${base}?alles=1` : base, caseId: c.id })}`;
}
