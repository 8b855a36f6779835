import type { AttachmentRef, Sender } from '../message.js';
import { html, type SafeHtml } from '../ui/html.js';
import { displayName, type ThreadEntry } from './case-view.query.js';
import { CHANNEL_LABELS, shortDateTime } from './workspace.texts.js';

/** A long timeline shows its latest items; the rest is one link away. */
export const THREAD_PAGE = 50;

/** What the timeline needs besides its items. */
export interface TimelineContext {
  /** The files sent with answers, by outbox id. */
  answerFiles?: ReadonlyMap<number, readonly AttachmentRef[]>;
  /** A topic's name as agents know it (the key when it is gone). */
  topicName: (key: string) => string;
}

const OUTBOX_STATUS = { pending: 'Wacht op verzending', sending: 'Wordt verstuurd', sent: 'Verstuurd', failed: 'Mislukt' } as const;
const OUTBOX_KINDS: Record<string, string> = {
  answer: 'Antwoord',
  'chat-answer': 'Chatbericht van een medewerker',
  acknowledgement: 'Ontvangstbevestiging (automatisch)',
  'refused-too-large': 'Weigering te grote mail (automatisch)',
  'chat-redirect': 'Chat doorverwezen (automatisch)',
  'chat-transcript': 'Verslag van het chatgesprek',
  'complaint-letter': 'Bericht van de klachtprocedure (automatisch)',
};

/** A person as the page names them: name and address or number. */
export const who = (sender: Sender) => [sender.name, sender.email ?? sender.phone].filter(Boolean).join(' — ') || 'Onbekende afzender';
/** A sender who asked for answers elsewhere (Reply-To): both addresses, so the agent sees where the answer goes. */
export const answersTo = (sender: Sender) => (sender.replyTo ? html` (antwoorden naar ${sender.replyTo})` : '');
const kb = (size: number) => `${Math.max(1, Math.round(size / 1024))} kB`;

/** Files as download links: a message's (`/werkplek/bijlagen/…`) or an answer's (`/werkplek/antwoorden/:id/bijlagen/…`). */
function fileList(files: readonly AttachmentRef[], href: (file: AttachmentRef) => string): SafeHtml | '' {
  if (files.length === 0) return '';
  return html`<ul class="attachments" aria-label="Bijlagen">${files.map(
    (a) => html`<li><a href="${href(a)}" download="${a.filename}">${a.filename}</a> <span class="meta">(${a.contentType}, ${kb(a.size)})</span></li>`,
  )}</ul>`;
}

function entry(e: ThreadEntry, context: TimelineContext): SafeHtml {
  if (e.kind === 'inbound') {
    return html`<article class="entry" data-kind="inbound" data-channel="${e.channel}">
<h3>${e.bounce ? html`<strong class="attention">Onbestelbaar: </strong>` : ''}Bericht van ${who(e.sender)}${answersTo(e.sender)} via ${CHANNEL_LABELS[e.channel] ?? e.channel}</h3>
<p class="meta"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time>${e.subject ? html` — ${e.subject}` : ''}</p>
<div class="text">${e.text}</div>
${fileList(e.attachments, (a) => `/werkplek/bijlagen/${a.sha256}`)}
</article>`;
  }
  if (e.kind === 'outbound') {
    const status = OUTBOX_STATUS[e.status as keyof typeof OUTBOX_STATUS] ?? e.status;
    return html`<article class="entry" data-kind="outbound" data-outbox-kind="${e.outboxKind}" data-status="${e.status}">
<h3>${OUTBOX_KINDS[e.outboxKind] ?? e.outboxKind} via ${CHANNEL_LABELS[e.channel] ?? e.channel}${e.agent ? ` door ${e.agent}` : ''}</h3>
<p class="meta"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time> — aan ${who(e.recipient)} — <span class="outbox-status">${status}</span>${e.subject ? html` — ${e.subject}` : ''}</p>
${e.status === 'failed' && e.lastError ? html`<p class="field-error">Fout bij verzenden: ${e.lastError}</p>` : ''}
<div class="text">${e.body}</div>
${fileList(context.answerFiles?.get(e.id) ?? [], (a) => `/werkplek/antwoorden/${e.id}/bijlagen/${a.sha256}`)}
</article>`;
  }
  if (e.kind === 'audit') {
    return html`<p class="entry audit meta" data-kind="audit" data-action="${e.action}"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time> — ${
      e.actor === 'Loket' ? 'Loket' : displayName(e.actor)
    } ${auditText(e, context)}</p>`;
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
function auditText(e: Extract<ThreadEntry, { kind: 'audit' }>, context: TimelineContext): string {
  const value = (key: string) => (typeof e.data[key] === 'string' ? (e.data[key] as string) : '');
  switch (e.action) {
    case 'case.reclassify':
      return `wijzigde het onderwerp van ${value('from') ? context.topicName(value('from')) : 'geen'} naar ${context.topicName(value('to'))}${
        value('team') ? ` (team ${value('team')})` : ''
      }.`;
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
    case 'case.contact': {
      const to = e.data['to'];
      return to && typeof to === 'object' ? `wijzigde de contactpersoon in ${who(to as Sender)}.` : 'wijzigde de contactpersoon.';
    }
    case 'case.waiting':
      return 'verstuurde een antwoord; de zaak wacht op een reactie van de burger.';
    case 'case.team':
      return `verplaatste de zaak naar team ${value('team')}.`;
    case 'case.hr-loket':
      return 'zette de zaak door naar het HR-loket.';
    case 'case.compliment':
      return e.data['notAComplaint'] ? 'gaf het compliment door; de zaak is geen klacht meer.' : 'gaf het compliment door.';
    default:
      return COMPLAINT_ACTIONS[e.action] ?? e.action;
  }
}

/** The complaint procedure's steps (src/complaints), as the timeline tells them. */
const COMPLAINT_ACTIONS: Record<string, string> = {
  'complaint.registered': 'registreerde de zaak als klacht.',
  'complaint.details': 'wijzigde de gegevens van de klacht.',
  'complaint.handler': 'koos de behandelaar van de klacht.',
  'complaint.involved': 'legde vast over wie de klacht gaat.',
  'complaint.first-contact': 'legde het eerste contact met de klager vast.',
  'complaint.urgent': 'maakte de klacht urgent.',
  'complaint.not-urgent': 'maakte de klacht niet meer urgent.',
  'complaint.resolved': 'legde de oplossing vast en stuurde die naar de klager.',
  'complaint.satisfied': 'is tevreden over de oplossing; de klacht is afgesloten.',
  'complaint.not-satisfied': 'is niet tevreden over de oplossing; de behandelaar krijgt 2 werkdagen extra.',
  'complaint.escalated': 'escaleerde de klacht naar de directeur.',
  'complaint.improvement': 'vulde het verbeterformulier in.',
  'complaint.no-written-address': 'kon de klacht niet schriftelijk bevestigen: er is geen e-mail- of postadres bekend.',
};

/** The timeline's items as read (its latest THREAD_PAGE, or all when asked), with a link to the `earlier` ones not read. */
export function threadPart(thread: ThreadEntry[], earlier: number, base: string, context: TimelineContext): SafeHtml {
  return html`${
    earlier > 0
      ? html`<p class="earlier"><a href="${base}?alles=1#thread">${earlier === 1 ? '1 eerder item tonen' : `${earlier} eerdere items tonen`}</a> <span class="meta">(de nieuwste ${THREAD_PAGE} staan hieronder)</span></p>`
      : ''
  }${thread.map((e) => entry(e, context))}`;
}
