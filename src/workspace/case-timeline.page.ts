import type { AttachmentRef, Sender } from '../message.js';
import { html, type SafeHtml } from '../ui/html.js';
import { displayName, type ThreadEntry } from './case-view.query.js';
import { dates, labels } from './workspace.texts.js';
import type { UiLocale } from './language.js';

/** A long timeline shows its latest items; the rest is one link away. */
export const THREAD_PAGE = 50;

/** What the timeline needs besides its items. */
export interface TimelineContext {
  /** The files sent with answers, by outbox id. */
  answerFiles?: ReadonlyMap<number, readonly AttachmentRef[]>;
  /** A topic's name as agents know it (the key when it is gone). */
  topicName: (key: string) => string;
}

/** Every sentence of the timeline, in Dutch and English. */
const TEXTS = {
  nl: {
    outboxStatus: { pending: 'Wacht op verzending', sending: 'Wordt verstuurd', sent: 'Verstuurd', failed: 'Mislukt' } as Record<string, string>,
    outboxKinds: {
      answer: 'Antwoord',
      'chat-answer': 'Chatbericht van een medewerker',
      acknowledgement: 'Ontvangstbevestiging (automatisch)',
      'refused-too-large': 'Weigering te grote mail (automatisch)',
      'chat-redirect': 'Chat doorverwezen (automatisch)',
      'chat-transcript': 'Verslag van het chatgesprek',
      'complaint-letter': 'Bericht van de klachtprocedure (automatisch)',
    } as Record<string, string>,
    unknownSender: 'Onbekende afzender',
    answersTo: (address: string) => ` (antwoorden naar ${address})`,
    files: 'Bijlagen',
    undeliverable: 'Onbestelbaar: ',
    messageFrom: (sender: string) => `Bericht van ${sender}`,
    verified: (employee: string) => `Geverifieerd via het portaal: personeelsnummer ${employee}`,
    via: (channel: string) => ` via ${channel}`,
    by: (agent: string) => ` door ${agent}`,
    to: (recipient: string) => `aan ${recipient}`,
    sendError: 'Fout bij verzenden: ',
    noteBy: (author: string) => `Interne notitie van ${author}`,
    colleaguesOnly: 'alleen zichtbaar voor collega’s',
    showEarlier: (n: number) => (n === 1 ? '1 eerder item tonen' : `${n} eerdere items tonen`),
    latestBelow: `(de nieuwste ${THREAD_PAGE} staan hieronder)`,
    closeReasons: {
      'chat-redirected': 'de chat is doorverwezen naar formulier, mail of telefoon',
      'call-settled': 'het telefoongesprek is afgehandeld',
    } as Record<string, string>,
    reclassify: (from: string | undefined, to: string, team: string) =>
      `wijzigde het onderwerp van ${from ?? 'geen'} naar ${to}${team ? ` (team ${team})` : ''}.`,
    unassign: 'haalde de toewijzing weg.',
    assign: (name: string | undefined) => `wees de zaak toe aan ${name ?? 'een collega'}.`,
    closeBecause: (reason: string) => `sloot de zaak: ${reason}.`,
    close: 'sloot de zaak.',
    reopen: 'heropende de zaak.',
    mergedInto: (into: string) => `voegde de berichten van deze zaak samen met ${into}.`,
    mergedFrom: (from: string) => `voegde de berichten van ${from} aan deze zaak toe.`,
    contactTo: (to: string) => `wijzigde de contactpersoon in ${to}.`,
    contact: 'wijzigde de contactpersoon.',
    waiting: 'verstuurde een antwoord; de zaak wacht op een reactie van de burger.',
    team: (team: string) => `verplaatste de zaak naar team ${team}.`,
    hrDesk: 'zette de zaak door naar het HR-loket.',
    complimentNotComplaint: 'gaf het compliment door; de zaak is geen klacht meer.',
    compliment: 'gaf het compliment door.',
    complaint: {
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
    } as Record<string, string>,
  },
  en: {
    outboxStatus: { pending: 'Waiting to be sent', sending: 'Being sent', sent: 'Sent', failed: 'Failed' } as Record<string, string>,
    outboxKinds: {
      answer: 'Answer',
      'chat-answer': 'Chat message from an agent',
      acknowledgement: 'Acknowledgement of receipt (automatic)',
      'refused-too-large': 'Refusal of a mail too large (automatic)',
      'chat-redirect': 'Chat redirected (automatic)',
      'chat-transcript': 'Transcript of the chat',
      'complaint-letter': 'Message of the complaint procedure (automatic)',
    } as Record<string, string>,
    unknownSender: 'Unknown sender',
    answersTo: (address: string) => ` (answers to ${address})`,
    files: 'Attachments',
    undeliverable: 'Undeliverable: ',
    messageFrom: (sender: string) => `Message from ${sender}`,
    verified: (employee: string) => `Verified by the portal: employee number ${employee}`,
    via: (channel: string) => ` by ${channel}`,
    by: (agent: string) => ` from ${agent}`,
    to: (recipient: string) => `to ${recipient}`,
    sendError: 'Error while sending: ',
    noteBy: (author: string) => `Internal note by ${author}`,
    colleaguesOnly: 'visible to colleagues only',
    showEarlier: (n: number) => (n === 1 ? 'Show 1 earlier item' : `Show ${n} earlier items`),
    latestBelow: `(the latest ${THREAD_PAGE} are below)`,
    closeReasons: {
      'chat-redirected': 'the chat was redirected to the form, mail or phone',
      'call-settled': 'the phone call was settled',
    } as Record<string, string>,
    reclassify: (from: string | undefined, to: string, team: string) => `changed the topic from ${from ?? 'none'} to ${to}${team ? ` (team ${team})` : ''}.`,
    unassign: 'removed the assignment.',
    assign: (name: string | undefined) => `assigned the case to ${name ?? 'a colleague'}.`,
    closeBecause: (reason: string) => `closed the case: ${reason}.`,
    close: 'closed the case.',
    reopen: 'reopened the case.',
    mergedInto: (into: string) => `merged the messages of this case with ${into}.`,
    mergedFrom: (from: string) => `added the messages of ${from} to this case.`,
    contactTo: (to: string) => `changed the contact to ${to}.`,
    contact: 'changed the contact.',
    waiting: 'sent an answer; the case waits for a reply from the citizen.',
    team: (team: string) => `moved the case to team ${team}.`,
    hrDesk: 'passed the case on to the HR desk.',
    complimentNotComplaint: 'passed the compliment on; the case is no longer a complaint.',
    compliment: 'passed the compliment on.',
    complaint: {
      'complaint.registered': 'registered the case as a complaint.',
      'complaint.details': 'changed the details of the complaint.',
      'complaint.handler': 'chose the handler of the complaint.',
      'complaint.involved': 'recorded whom the complaint is about.',
      'complaint.first-contact': 'recorded the first contact with the complainant.',
      'complaint.urgent': 'made the complaint urgent.',
      'complaint.not-urgent': 'made the complaint no longer urgent.',
      'complaint.resolved': 'recorded the solution and sent it to the complainant.',
      'complaint.satisfied': 'is satisfied with the solution; the complaint is closed.',
      'complaint.not-satisfied': 'is not satisfied with the solution; the handler gets 2 more working days.',
      'complaint.escalated': 'escalated the complaint to the director.',
      'complaint.improvement': 'filled in the improvement form.',
      'complaint.no-written-address': 'could not confirm the complaint in writing: no e-mail or postal address is known.',
    } as Record<string, string>,
  },
} as const;

/** A person as the page names them: name and address or number. */
export const who = (sender: Sender, lang: UiLocale) => [sender.name, sender.email ?? sender.phone].filter(Boolean).join(' — ') || TEXTS[lang].unknownSender;
/** A sender who asked for answers elsewhere (Reply-To): both addresses, so the agent sees where the answer goes. */
export const answersTo = (sender: Sender, lang: UiLocale) => (sender.replyTo ? html`${TEXTS[lang].answersTo(sender.replyTo)}` : '');
const kb = (size: number) => `${Math.max(1, Math.round(size / 1024))} kB`;

/** Files as download links: a message's (`/werkplek/bijlagen/…`) or an answer's (`/werkplek/antwoorden/:id/bijlagen/…`). */
function fileList(files: readonly AttachmentRef[], href: (file: AttachmentRef) => string, lang: UiLocale): SafeHtml | '' {
  if (files.length === 0) return '';
  return html`<ul class="attachments" aria-label="${TEXTS[lang].files}">${files.map(
    (a) => html`<li><a href="${href(a)}" download="${a.filename}">${a.filename}</a> <span class="meta">(${a.contentType}, ${kb(a.size)})</span></li>`,
  )}</ul>`;
}

function entry(e: ThreadEntry, context: TimelineContext, lang: UiLocale): SafeHtml {
  const t = TEXTS[lang];
  const { channels } = labels(lang);
  const { shortDateTime } = dates(lang);
  if (e.kind === 'inbound') {
    return html`<article class="entry" data-kind="inbound" data-channel="${e.channel}">
<h3>${e.bounce ? html`<strong class="attention">${t.undeliverable}</strong>` : ''}${t.messageFrom(who(e.sender, lang))}${answersTo(e.sender, lang)}${t.via(channels[e.channel] ?? e.channel)}</h3>
<p class="meta"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time>${e.subject ? html` — ${e.subject}` : ''}</p>
${e.sender.verified ? html`<p class="verified"><strong>✓ ${t.verified(e.sender.employeeNumber ?? '')}</strong></p>` : ''}
<div class="text">${e.text}</div>
${fileList(e.attachments, (a) => `/werkplek/bijlagen/${a.sha256}`, lang)}
</article>`;
  }
  if (e.kind === 'outbound') {
    const status = t.outboxStatus[e.status] ?? e.status;
    return html`<article class="entry" data-kind="outbound" data-outbox-kind="${e.outboxKind}" data-status="${e.status}">
<h3>${t.outboxKinds[e.outboxKind] ?? e.outboxKind}${t.via(channels[e.channel] ?? e.channel)}${e.agent ? t.by(e.agent) : ''}</h3>
<p class="meta"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time> — ${t.to(who(e.recipient, lang))} — <span class="outbox-status">${status}</span>${e.subject ? html` — ${e.subject}` : ''}</p>
${e.status === 'failed' && e.lastError ? html`<p class="field-error">${t.sendError}${e.lastError}</p>` : ''}
<div class="text">${e.body}</div>
${fileList(context.answerFiles?.get(e.id) ?? [], (a) => `/werkplek/antwoorden/${e.id}/bijlagen/${a.sha256}`, lang)}
</article>`;
  }
  if (e.kind === 'audit') {
    return html`<p class="entry audit meta" data-kind="audit" data-action="${e.action}"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time> — ${
      e.actor === 'Loket' ? 'Loket' : displayName(e.actor)
    } ${auditText(e, context, lang)}</p>`;
  }
  return html`<article class="entry note" data-kind="note">
<h3>${t.noteBy(e.author)}</h3>
<p class="meta"><time datetime="${e.at.toISOString()}">${shortDateTime(e.at)}</time> — ${t.colleaguesOnly}</p>
<div class="text">${e.text}</div>
</article>`;
}

/** An audited act in plain words, after the name of who did it. */
function auditText(e: Extract<ThreadEntry, { kind: 'audit' }>, context: TimelineContext, lang: UiLocale): string {
  const t = TEXTS[lang];
  const value = (key: string) => (typeof e.data[key] === 'string' ? (e.data[key] as string) : '');
  switch (e.action) {
    case 'case.reclassify':
      return t.reclassify(value('from') ? context.topicName(value('from')) : undefined, context.topicName(value('to')), value('team'));
    case 'case.assign':
      return e.data['to'] === null || e.data['to'] === undefined ? t.unassign : t.assign(e.assigneeName ? displayName(e.assigneeName) : undefined);
    case 'case.close':
      return t.closeReasons[value('reason')] ? t.closeBecause(t.closeReasons[value('reason')]!) : t.close;
    case 'case.reopen':
      return t.reopen;
    case 'case.merged':
      return t.mergedInto(value('into'));
    case 'case.merged-in':
      return t.mergedFrom(value('from'));
    case 'case.contact': {
      const to = e.data['to'];
      return to && typeof to === 'object' ? t.contactTo(who(to as Sender, lang)) : t.contact;
    }
    case 'case.waiting':
      return t.waiting;
    case 'case.team':
      return t.team(value('team'));
    case 'case.hr-loket':
      return t.hrDesk;
    case 'case.compliment':
      return e.data['notAComplaint'] ? t.complimentNotComplaint : t.compliment;
    default:
      return t.complaint[e.action] ?? e.action;
  }
}

/** The timeline's items as read (its latest THREAD_PAGE, or all when asked), with a link to the `earlier` ones not read. */
export function threadPart(thread: ThreadEntry[], earlier: number, base: string, context: TimelineContext, lang: UiLocale): SafeHtml {
  const t = TEXTS[lang];
  return html`${
    earlier > 0 ? html`<p class="earlier"><a href="${base}?alles=1#thread">${t.showEarlier(earlier)}</a> <span class="meta">${t.latestBelow}</span></p>` : ''
  }${thread.map((e) => entry(e, context, lang))}`;
}
