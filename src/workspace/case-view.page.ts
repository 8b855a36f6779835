import { formatLongDate } from '../calendar.js';
import type { Sender } from '../message.js';
import type { Topic } from '../topic.store.js';
import { html, type SafeHtml } from '../ui/html.js';
import type { AnswerRoute } from '../channel.js';
import { displayName, type CaseView, type ThreadEntry } from './case-view.query.js';
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
} as const;
export type Done = keyof typeof DONE_MESSAGES;

const OUTBOX_STATUS = { pending: 'Wacht op verzending', sending: 'Wordt verstuurd', sent: 'Verstuurd', failed: 'Mislukt' } as const;
const OUTBOX_KINDS: Record<string, string> = {
  answer: 'Antwoord',
  'chat-answer': 'Chatbericht van een medewerker',
  acknowledgement: 'Ontvangstbevestiging (automatisch)',
  'refused-too-large': 'Weigering te grote mail (automatisch)',
  'chat-redirect': 'Chat doorverwezen (automatisch)',
  'chat-transcript': 'Verslag van het chatgesprek',
};

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
  /** Show every item of the timeline, not only the latest THREAD_PAGE. */
  wholeThread?: boolean;
}

/** A long timeline shows its latest items; the rest is one link away. */
export const THREAD_PAGE = 50;

const who = (sender: Sender) => [sender.name, sender.email ?? sender.phone].filter(Boolean).join(' — ') || 'Onbekende afzender';
/** A sender who asked for answers elsewhere (Reply-To): both addresses, so the agent sees where the answer goes. */
const answersTo = (sender: Sender) => (sender.replyTo ? html` (antwoorden naar ${sender.replyTo})` : '');
const kb = (size: number) => `${Math.max(1, Math.round(size / 1024))} kB`;

function entry(e: ThreadEntry): SafeHtml {
  if (e.kind === 'inbound') {
    return html`<article class="entry" data-kind="inbound" data-channel="${e.channel}">
<h3>${e.bounce ? html`<strong class="attention">Onbestelbaar: </strong>` : ''}Bericht van ${who(e.sender)}${answersTo(e.sender)} via ${CHANNEL_LABELS[e.channel] ?? e.channel}</h3>
<p class="meta"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time>${e.subject ? html` — ${e.subject}` : ''}</p>
<div class="text">${e.text}</div>
${
  e.attachments.length
    ? html`<ul class="attachments" aria-label="Bijlagen">${e.attachments.map(
        (a) =>
          html`<li><a href="/werkplek/bijlagen/${a.sha256}" download="${a.filename}">${a.filename}</a> <span class="meta">(${a.contentType}, ${kb(a.size)})</span></li>`,
      )}</ul>`
    : ''
}
</article>`;
  }
  if (e.kind === 'outbound') {
    const status = OUTBOX_STATUS[e.status as keyof typeof OUTBOX_STATUS] ?? e.status;
    return html`<article class="entry" data-kind="outbound" data-outbox-kind="${e.outboxKind}" data-status="${e.status}">
<h3>${OUTBOX_KINDS[e.outboxKind] ?? e.outboxKind} via ${CHANNEL_LABELS[e.channel] ?? e.channel}${e.agent ? ` door ${e.agent}` : ''}</h3>
<p class="meta"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time> — aan ${who(e.recipient)} — <span class="outbox-status">${status}</span>${e.subject ? html` — ${e.subject}` : ''}</p>
${e.status === 'failed' && e.lastError ? html`<p class="field-error">Fout bij verzenden: ${e.lastError}</p>` : ''}
<div class="text">${e.body}</div>
</article>`;
  }
  if (e.kind === 'audit') {
    return html`<p class="entry audit meta" data-kind="audit" data-action="${e.action}"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time> — ${
      e.actor === 'Loket' ? 'Loket' : displayName(e.actor)
    } ${auditText(e)}</p>`;
  }
  return html`<article class="entry note" data-kind="note">
<h3>Interne notitie van ${e.author}</h3>
<p class="meta"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time> — alleen zichtbaar voor collega’s</p>
<div class="text">${e.text}</div>
</article>`;
}

const CLOSE_REASONS: Record<string, string> = {
  'chat-redirected': 'de chat is doorverwezen naar formulier, mail of telefoon',
  'call-settled': 'het telefoongesprek is afgehandeld',
};

/** An audited act in plain Dutch, after the name of who did it. */
function auditText(e: Extract<ThreadEntry, { kind: 'audit' }>): string {
  const value = (key: string) => (typeof e.data[key] === 'string' ? (e.data[key] as string) : '');
  switch (e.action) {
    case 'case.reclassify':
      return `wijzigde het onderwerp van ${value('from') || 'geen'} naar ${value('to')}${value('team') ? ` (team ${value('team')})` : ''}.`;
    case 'case.assign':
      return e.data['to'] === null || e.data['to'] === undefined
        ? 'haalde de toewijzing weg.'
        : `wees de zaak toe aan ${e.assigneeName ? displayName(e.assigneeName) : 'een collega'}.`;
    case 'case.close':
      return CLOSE_REASONS[value('reason')] ? `sloot de zaak: ${CLOSE_REASONS[value('reason')]}.` : 'sloot de zaak.';
    case 'case.reopen':
      return 'heropende de zaak.';
    case 'case.merged':
      return `voegde de berichten van deze zaak samen met ${value('into')}.`;
    case 'case.merged-in':
      return `voegde de berichten van ${value('from')} aan deze zaak toe.`;
    case 'case.contact':
      return 'wijzigde de contactpersoon.';
    case 'case.waiting':
      return 'verstuurde een antwoord; de zaak wacht op een reactie van de burger.';
    case 'case.team':
      return `verplaatste de zaak naar team ${value('team')}.`;
    case 'case.hr-loket':
      return 'zette de zaak door naar het HR-loket.';
    default:
      return e.action;
  }
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

/**
 * Where the answer goes is never switched silently: when the last message was a call or a
 * letter but the contact has an e-mail address, the agent chooses between the two.
 */
function viaChoice(route: CasePageInput['answerRoute'], contact: Sender): SafeHtml | '' {
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

function destination(route: CasePageInput['answerRoute']): SafeHtml {
  if ('refused' in route) return html`<p class="field-error" id="answer-destination">${route.refused}</p>`;
  const to = route.channel === 'chat' ? 'in het open chatgesprek' : `aan ${who(route.recipient)}`;
  return html`<p class="hint" id="answer-destination">Het antwoord gaat via ${CHANNEL_LABELS[route.channel] ?? route.channel} ${to}.</p>`;
}

/** The latest THREAD_PAGE items of the timeline (all of them when asked), and how many came before. */
function threadPart(thread: ThreadEntry[], base: string, whole: boolean): SafeHtml {
  const hidden = whole ? 0 : Math.max(0, thread.length - THREAD_PAGE);
  return html`${
    hidden > 0
      ? html`<p class="earlier"><a href="${base}?alles=1#thread">${hidden === 1 ? '1 eerder item tonen' : `${hidden} eerdere items tonen`}</a> <span class="meta">(de nieuwste ${THREAD_PAGE} staan hieronder)</span></p>`
      : ''
  }${thread.slice(hidden).map(entry)}`;
}

/** The body of the case page: facts, thread, actions and the answer composer; facts and thread are kept up to date live. */
export function casePage(input: CasePageInput): SafeHtml {
  const { view, csrfToken } = input;
  const c = view.row;
  const base = `/werkplek/zaken/${c.reference}`;
  const topicName = input.topics.find((t) => t.key === c.topic)?.nameNl ?? c.topic;
  return html`<p><a href="/werkplek/zaken">Terug naar de zaken</a></p>
<h1>Zaak <span class="reference" id="reference">${c.reference}</span></h1>
${input.done ? html`<div role="status" class="notice" id="done">${DONE_MESSAGES[input.done]}</div>` : ''}
${input.error ? html`<div role="alert" class="error-summary" id="error">${input.error}</div>` : ''}
<dl class="facts" id="case-facts">
<dt>Onderwerp van het bericht</dt><dd>${c.subject || '(geen onderwerp)'}</dd>
<dt>Contactpersoon</dt><dd id="case-contact">${who(c.sender)}${answersTo(c.sender)}</dd>
<dt>Status</dt><dd id="case-status">${STATUS_LABELS[c.status]}</dd>
<dt>Kanaal</dt><dd>${CHANNEL_LABELS[c.channel] ?? c.channel}</dd>
<dt>Onderwerp</dt><dd id="case-topic">${topicName}</dd>
<dt>Team</dt><dd id="case-team">${c.team ?? 'geen'}</dd>
<dt>Antwoord uiterlijk</dt><dd>${formatLongDate(c.answerBy, 'nl')}</dd>
<dt>Behandelaar</dt><dd id="case-assignee">${view.assignee ?? 'niemand'}</dd>
${c.attention ? html`<dt>Aandacht</dt><dd class="attention">${ATTENTION_LABELS[c.attention] ?? c.attention}</dd>` : ''}
</dl>
${mentionsSection(c.reference, c.mentions ?? [], csrfToken)}
${historySection(input.history, input.topics)}

<h2>Berichten</h2>
<div id="thread">${threadPart(view.thread, base, input.wholeThread ?? false)}</div>

<h2 id="composer-title">Antwoord schrijven</h2>
${destination(input.answerRoute)}
<form method="post" action="${base}/antwoord" id="composer" aria-labelledby="composer-title" data-case-url="${base}">
${hidden(csrfToken)}
${viaChoice(input.answerRoute, c.sender)}
<div class="template-pick">
<label for="template">Sjabloon <span class="hint">(wordt op de plek van de cursor ingevoegd; niet verplicht)</span></label>
<select id="template" name="sjabloon">
<option value="">Kies een sjabloon</option>
${input.templates.map((t) => html`<option value="${t.key}"${t.key === input.chosenTemplate ? html` selected` : ''}>${t.name}</option>`)}
</select>
<button type="submit" name="actie" value="sjabloon" formnovalidate class="secondary" id="insert-template">Sjabloon invoegen</button>
</div>
<label for="answer">Uw antwoord</label>
<textarea id="answer" name="text" required aria-required="true" aria-describedby="answer-destination draft-status">${input.draft}</textarea>
<p id="draft-status" class="hint" role="status">${input.draft ? 'Uw concept is bewaard.' : ''}</p>
<div class="send-actions">
<button type="submit" name="actie" value="versturen">Versturen</button>
<button type="submit" name="actie" value="sluiten">Versturen en sluiten</button>
<button type="submit" name="actie" value="wachten">Versturen, wacht op reactie</button>
</div>
</form>
<script src="/werkplek/composer.js" defer></script>

<h2>Behandelen</h2>
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
${liveMarkup({ kind: 'case', url: input.wholeThread ? `${base}?alles=1` : base, caseId: c.id })}`;
}
