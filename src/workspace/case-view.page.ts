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
import { dates, labels } from './workspace.texts.js';
import type { UiLocale } from './language.js';

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

const DONE_MESSAGES_EN: Record<Done, string> = {
  antwoord: 'Your answer is ready to be sent. You see it below in the case.',
  'antwoord-gesloten': 'Your answer is ready to be sent and the case is closed.',
  'antwoord-wachten': 'Your answer is ready to be sent. The case now waits for a reply from the citizen.',
  'hr-loket': 'The case went to the HR desk: a specialist calls the HR professional back.',
  onderwerp: 'The topic was changed.',
  toegewezen: 'The case was assigned.',
  notitie: 'The note was added.',
  gesloten: 'The case is closed.',
  heropend: 'The case is reopened.',
  samengevoegd: 'The messages of this case were added to the case named; this case is closed.',
  contactpersoon: 'The contact was changed. Answers go to the new contact from now on.',
  klacht: 'The complaint was updated.',
  'klacht-geregistreerd': 'The complaint is registered; the complainant gets a confirmation.',
  compliment: 'The compliment was recorded and passed on.',
  'klacht-opgelost': 'The solution goes to the complainant, asking whether the complaint was resolved to their satisfaction.',
};

/** What a finished action says, in the agent's language. */
export const doneMessage = (done: Done, lang: UiLocale) => (lang === 'en' ? DONE_MESSAGES_EN : DONE_MESSAGES)[done];

/** Every sentence of the case page, in Dutch and English. */
const TEXTS = {
  nl: {
    mentionsTitle: 'Noemt een andere zaak',
    mentionsIntro:
      'Een bericht in deze zaak noemt het zaaknummer van een zaak met een andere contactpersoon. Het is daarom niet aan die zaak toegevoegd. Hoort het er toch bij, voeg het dan hier samen; antwoorden gaan naar de contactpersoon van die zaak.',
    mentioned: 'Genoemd:',
    mergeWith: (other: string) => `Samenvoegen met ${other}`,
    historyTitle: 'Andere zaken van deze persoon',
    historyNone: 'Geen andere zaken met dit e-mailadres, personeelsnummer of telefoonnummer.',
    noSubject: '(geen onderwerp)',
    contactTitle: 'Contactpersoon wijzigen',
    name: 'Naam',
    email: 'E-mailadres',
    phone: 'Telefoonnummer',
    employeeNumber: 'Personeelsnummer',
    contactSave: 'Contactpersoon opslaan',
    hrTitle: 'Doorzetten naar het HR-loket',
    hrHint: 'Voor een HR-professional die een bijzondere zaak wil bespreken: een specialist belt terug.',
    hrPhone: 'Terugbellen op',
    hrNote: 'Waarover',
    hrSubmit: 'Naar het HR-loket',
    actionsTitle: 'Behandelen',
    topicChange: 'Onderwerp wijzigen',
    topicHint: '(het team volgt het onderwerp)',
    topicSave: 'Onderwerp opslaan',
    assignTo: 'Toewijzen aan',
    me: 'Mij',
    nobody: 'Niemand',
    assign: 'Toewijzen',
    note: 'Interne notitie',
    noteHint: '(alleen voor collega’s, wordt niet verstuurd)',
    noteAdd: 'Notitie toevoegen',
    close: 'Zaak sluiten',
    reopen: 'Zaak heropenen',
    back: 'Terug naar de zaken',
    caseTitle: 'Zaak',
    factsLabel: 'Gegevens van de zaak en de persoon',
    messageSubject: 'Onderwerp van het bericht',
    contact: 'Contactpersoon',
    status: 'Status',
    channel: 'Kanaal',
    topic: 'Onderwerp',
    team: 'Team',
    none: 'geen',
    answerBy: 'Antwoord uiterlijk',
    deadline: 'Termijn',
    firstReplyBy: 'Eerste reactie uiterlijk',
    assignee: 'Behandelaar',
    noAssignee: 'niemand',
    attention: 'Aandacht',
    messages: 'Berichten',
  },
  en: {
    mentionsTitle: 'Quotes another case',
    mentionsIntro:
      "A message in this case quotes the number of a case with another contact, so it was not added to that case. If it does belong there, merge it here; answers go to that case's contact.",
    mentioned: 'Quoted:',
    mergeWith: (other: string) => `Merge with ${other}`,
    historyTitle: "This person's other cases",
    historyNone: 'No other cases with this e-mail address, employee number or phone number.',
    noSubject: '(no subject)',
    contactTitle: 'Change the contact',
    name: 'Name',
    email: 'E-mail address',
    phone: 'Phone number',
    employeeNumber: 'Employee number',
    contactSave: 'Save the contact',
    hrTitle: 'Pass to the HR desk',
    hrHint: 'For an HR professional who wants to talk a special case through: a specialist calls back.',
    hrPhone: 'Call back on',
    hrNote: 'About what',
    hrSubmit: 'To the HR desk',
    actionsTitle: 'Handle',
    topicChange: 'Change the topic',
    topicHint: '(the team follows the topic)',
    topicSave: 'Save the topic',
    assignTo: 'Assign to',
    me: 'Me',
    nobody: 'Nobody',
    assign: 'Assign',
    note: 'Internal note',
    noteHint: '(for colleagues only, never sent)',
    noteAdd: 'Add the note',
    close: 'Close the case',
    reopen: 'Reopen the case',
    back: 'Back to the cases',
    caseTitle: 'Case',
    factsLabel: 'The case and the person',
    messageSubject: "The message's subject",
    contact: 'Contact',
    status: 'Status',
    channel: 'Channel',
    topic: 'Topic',
    team: 'Team',
    none: 'none',
    answerBy: 'Answer by',
    deadline: 'Deadline',
    firstReplyBy: 'First reply by',
    assignee: 'Handled by',
    noAssignee: 'nobody',
    attention: 'Attention',
    messages: 'Messages',
  },
} as const;
type Texts = (typeof TEXTS)['nl' | 'en'];
const topicLabel = (topic: Topic, lang: UiLocale) => (lang === 'en' ? topic.nameEn : topic.nameNl);

export interface CasePageInput {
  /** The agent's language. */
  lang: UiLocale;
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
  /** On a case that is no complaint: register it as one, or pass on a compliment (with the other actions). */
  complaintActions?: SafeHtml;
}

const hidden = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

/**
 * A message of this case quoted another person's number and was not joined to it: the agent
 * may join it by hand (the messages move there, this case closes, both cases keep an audit row).
 */
function mentionsSection(reference: string, mentions: string[], csrfToken: string, t: Texts): SafeHtml | '' {
  if (mentions.length === 0) return '';
  return html`<section class="notice" id="mentions" aria-labelledby="mentions-title">
<h2 id="mentions-title">${t.mentionsTitle}</h2>
<p>${t.mentionsIntro}</p>
${mentions.map(
  (other) => html`<form method="post" action="/werkplek/zaken/${reference}/samenvoegen">
<p>${t.mentioned} <a href="/werkplek/zaken/${other}">${other}</a></p>
${hidden(csrfToken)}<input type="hidden" name="into" value="${other}">
<button type="submit">${t.mergeWith(other)}</button>
</form>`,
)}
</section>`;
}

/** The person's other cases, newest first: what was asked before, by whom it was handled. */
function historySection(history: FoundCase[], topics: Topic[], lang: UiLocale, t: Texts): SafeHtml {
  const topicName = (key: string) => {
    const topic = topics.find((candidate) => candidate.key === key);
    return topic ? topicLabel(topic, lang) : key;
  };
  const { channels, status } = labels(lang);
  const { shortDateTime } = dates(lang);
  return html`<section id="person-history" aria-labelledby="history-title">
<h2 id="history-title">${t.historyTitle}</h2>
${
  history.length === 0
    ? html`<p class="meta">${t.historyNone}</p>`
    : html`<ul>${history.map(
        (other) =>
          html`<li data-reference="${other.reference}"><a href="/werkplek/zaken/${other.reference}">${other.reference}</a> — ${other.subject || t.noSubject} <span class="meta">(${topicName(other.topic)}, ${channels[other.channel] ?? other.channel}, <time datetime="${other.openedAt.toISOString()}">${shortDateTime(other.openedAt)}</time>, ${status[other.status].toLowerCase()})</span></li>`,
      )}</ul>`
}
</section>`;
}

/** Changing who answers go to is an explicit act of an agent, never a side effect of who wrote last. */
function contactForm(base: string, contact: Sender, csrfToken: string, t: Texts): SafeHtml {
  return html`<form method="post" action="${base}/contactpersoon" aria-labelledby="contact-title">
<h3 id="contact-title">${t.contactTitle}</h3>
${hidden(csrfToken)}
<label for="contact-name">${t.name}</label><input id="contact-name" name="name" value="${contact.name ?? ''}" maxlength="200">
<label for="contact-email">${t.email}</label><input id="contact-email" name="email" type="email" value="${contact.replyTo ?? contact.email ?? ''}" maxlength="320">
<label for="contact-phone">${t.phone}</label><input id="contact-phone" name="phone" value="${contact.phone ?? ''}" maxlength="40">
<label for="contact-employee">${t.employeeNumber}</label><input id="contact-employee" name="employeeNumber" value="${contact.employeeNumber ?? ''}" maxlength="40">
<button type="submit">${t.contactSave}</button>
</form>`;
}

/** An HR professional asked to talk a special case through with a specialist of the HR-loket (seed 000). */
function hrDeskForm(base: string, contact: Sender, csrfToken: string, t: Texts): SafeHtml {
  return html`<form method="post" action="${base}/hr-loket" aria-labelledby="hr-title">
<h3 id="hr-title">${t.hrTitle}</h3>
<p class="hint">${t.hrHint}</p>
${hidden(csrfToken)}
<label for="hr-phone">${t.hrPhone}</label><input id="hr-phone" name="phone" type="tel" value="${contact.phone ?? ''}" maxlength="40" required aria-required="true">
<label for="hr-note">${t.hrNote}</label><textarea id="hr-note" name="note" class="compact" rows="3" maxlength="2000" required aria-required="true"></textarea>
<button type="submit">${t.hrSubmit}</button>
</form>`;
}

/** What an agent does with the case: topic, assignee, note, contact, HR-loket, close or reopen. */
function actionsSection(input: CasePageInput, base: string, t: Texts): SafeHtml {
  const { csrfToken } = input;
  const c = input.view.row;
  return html`<section aria-labelledby="actions-title" class="case-actions">
<h2 id="actions-title">${t.actionsTitle}</h2>
<form method="post" action="${base}/onderwerp">
${hidden(csrfToken)}
<label for="topic">${t.topicChange} <span class="hint">${t.topicHint}</span></label>
<select id="topic" name="topic">${input.topics.map((topic) => html`<option value="${topic.key}"${topic.key === c.topic ? html` selected` : ''}>${topicLabel(topic, input.lang)}${topic.team ? ` (${topic.team})` : ''}</option>`)}</select>
<button type="submit">${t.topicSave}</button>
</form>
<form method="post" action="${base}/toewijzen">
${hidden(csrfToken)}
<label for="assignee">${t.assignTo}</label>
<select id="assignee" name="assignee">
<option value="me">${t.me}</option>
<option value="">${t.nobody}</option>
${input.users.filter((u) => u.id !== input.me).map((u) => html`<option value="${u.id}"${u.id === c.assigneeId ? html` selected` : ''}>${u.name}</option>`)}
</select>
<button type="submit">${t.assign}</button>
</form>
<form method="post" action="${base}/notitie">
${hidden(csrfToken)}
<label for="note">${t.note} <span class="hint">${t.noteHint}</span></label>
<textarea id="note" name="text" required aria-required="true"></textarea>
<button type="submit">${t.noteAdd}</button>
</form>
${contactForm(base, c.sender, csrfToken, t)}
${c.status === 'open' && c.team !== 'HR-loket' ? hrDeskForm(base, c.sender, csrfToken, t) : ''}
${input.complaintActions ?? ''}
<div id="case-state-action">
<form method="post" action="${base}/${c.status === 'open' ? 'sluiten' : 'heropenen'}">
${hidden(csrfToken)}
<button type="submit">${c.status === 'open' ? t.close : t.reopen}</button>
</form>
</div>
</section>`;
}

/** The body of the case page: facts, thread, actions and the answer composer; facts and thread are kept up to date live. */
export function casePage(input: CasePageInput): SafeHtml {
  const { view, csrfToken, lang } = input;
  const t = TEXTS[lang];
  const { channels, attention, status } = labels(lang);
  const { shortDateTime } = dates(lang);
  const c = view.row;
  const base = `/werkplek/zaken/${c.reference}`;
  const topicOf = (key: string) => {
    const topic = input.topics.find((candidate) => candidate.key === key);
    return topic ? topicLabel(topic, lang) : key;
  };
  return html`<div class="panes">
${input.listPane ? html`<div class="pane-nav">${input.listPane}</div>` : ''}
<div class="pane-case">
<p class="back"><a href="/werkplek/zaken">${t.back}</a></p>
<h1>${t.caseTitle} <span class="reference" id="reference">${c.reference}</span></h1>
${input.done ? html`<div role="status" class="notice" id="done">${doneMessage(input.done, lang)}</div>` : ''}
${input.error ? html`<div role="alert" class="error-summary" id="error">${input.error}</div>` : ''}
<div class="case-columns">
<aside class="case-side" aria-label="${t.factsLabel}">
<dl class="facts" id="case-facts">
<dt>${t.messageSubject}</dt><dd>${c.subject || t.noSubject}</dd>
<dt>${t.contact}</dt><dd id="case-contact">${who(c.sender, lang)}${answersTo(c.sender, lang)}</dd>
<dt>${t.status}</dt><dd id="case-status">${status[c.status]}</dd>
<dt>${t.channel}</dt><dd>${channels[c.channel] ?? c.channel}</dd>
<dt>${t.topic}</dt><dd id="case-topic">${topicOf(c.topic)}</dd>
<dt>${t.team}</dt><dd id="case-team">${c.team ?? t.none}</dd>
<dt>${t.answerBy}</dt><dd>${formatLongDate(c.answerBy, lang)}</dd>
${input.sla ? html`<dt>${t.deadline}</dt><dd id="case-sla">${input.sla}</dd>` : ''}
${c.firstResponseDue ? html`<dt>${t.firstReplyBy}</dt><dd>${shortDateTime(c.firstResponseDue)}</dd>` : ''}
<dt>${t.assignee}</dt><dd id="case-assignee">${view.assignee ?? t.noAssignee}</dd>
${c.attention ? html`<dt>${t.attention}</dt><dd class="attention">${attention[c.attention] ?? c.attention}</dd>` : ''}
</dl>
${mentionsSection(c.reference, c.mentions ?? [], csrfToken, t)}
${historySection(input.history, input.topics, lang, t)}
</aside>
<div class="conversation">
${input.complaint ?? ''}
<h2>${t.messages}</h2>
<div id="thread">${threadPart(view.thread, view.earlier, base, { answerFiles: input.answerFiles, topicName: topicOf }, lang)}</div>

${composerSection({
  lang,
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
${actionsSection(input, base, t)}
</div>
</div>
</div>
${liveMarkup({ kind: 'case', url: input.wholeThread ? `${base}?alles=1` : base, caseId: c.id }, lang)}`;
}
