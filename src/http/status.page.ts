import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatLongDate } from '../calendar.js';
import type { Db } from '../db/database.js';
import { cases, messages, outbox } from '../db/schema.js';
import { isCaseContact } from '../contact.js';
import type { Locale } from '../message.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';

const T = {
  nl: {
    title: 'Uw zaak',
    reference: 'Registratienummer',
    status: 'Status',
    open: 'In behandeling',
    closed: 'Afgehandeld',
    answerBy: 'Antwoord uiterlijk op',
    received: 'Ontvangen',
    you: 'Uw bericht',
    us: 'Bericht van het contactcenter',
    processing: 'Wij hebben uw bericht ontvangen en verwerken het. Ververs deze pagina over enkele ogenblikken.',
    notFound: 'Deze zaakpagina bestaat niet. Controleer de link in uw bevestiging.',
  },
  en: {
    title: 'Your case',
    reference: 'Registration number',
    status: 'Status',
    open: 'In progress',
    closed: 'Closed',
    answerBy: 'Answer by',
    received: 'Received',
    you: 'Your message',
    us: 'Message from the contact center',
    processing: 'We have received your message and are processing it. Refresh this page in a moment.',
    notFound: 'This case page does not exist. Check the link in your confirmation.',
  },
} as const;

const paramsSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });
const dateTime = (at: Date, locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Amsterdam',
  }).format(at);

/** The case page a form sender reaches through the unguessable link of their statusUrl. */
export function registerStatusPage(app: FastifyInstance, db: Db): void {
  app.get('/zaak/:token', { config: { access: 'public' } }, async (request, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const lang = (request.query as { lang?: string }).lang === 'en' ? 'en' : undefined;
    const params = paramsSchema.safeParse(request.params);
    const token = params.success ? params.data.token : '';
    const [found] = token ? await db.select().from(cases).where(eq(cases.statusToken, token)) : [];
    if (!found) {
      const [pending] = token
        ? await db
            .select({ reference: messages.reference, locale: messages.locale })
            .from(messages)
            .where(and(eq(messages.statusToken, token), isNull(messages.caseId)))
        : [];
      const locale = (lang ?? pending?.locale ?? 'nl') as Locale;
      const t = T[locale];
      if (!pending) return reply.code(404).send(layout({ lang: locale, title: t.title, body: html`<h1>${t.title}</h1><p>${t.notFound}</p>` }));
      return reply.send(
        layout({
          lang: locale,
          title: t.title,
          body: html`<h1>${t.title}</h1><p>${t.reference}: <span class="reference" id="reference">${pending.reference}</span></p><p>${t.processing}</p>`,
        }),
      );
    }

    const locale = (lang ?? found.locale) as Locale;
    const t = T[locale];
    // The contact's own messages and what was sent to them; never a message somebody else wrote
    // (joined by an agent), an answer to somebody else, or a phone call's notes (an agent's words
    // and call-back tasks, not messages).
    const inbound = await db
      .select({ at: messages.receivedAt, subject: messages.subject, text: messages.text, sender: messages.sender })
      .from(messages)
      .where(and(eq(messages.caseId, found.id), ne(messages.channel, 'phone')))
      .orderBy(asc(messages.receivedAt));
    const replies = await db
      .select({ at: outbox.sentAt, subject: outbox.subject, body: outbox.body, kind: outbox.kind, recipient: outbox.recipient })
      .from(outbox)
      .where(and(eq(outbox.caseId, found.id), eq(outbox.status, 'sent'), ne(outbox.channel, 'phone')))
      .orderBy(asc(outbox.sentAt));
    const entries = [
      ...inbound.filter((m) => isCaseContact(found.sender, m.sender)).map((m) => ({ at: m.at, who: t.you, subject: m.subject, text: m.text, kind: 'inbound' })),
      ...replies
        .filter((r) => isCaseContact(found.sender, r.recipient))
        .map((r) => ({ at: r.at ?? new Date(0), who: t.us, subject: r.subject, text: r.body, kind: r.kind })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());

    return reply.send(
      layout({
        lang: locale,
        title: `${t.title} ${found.reference}`,
        body: html`<h1>${t.title}</h1>
<dl>
<dt>${t.reference}</dt><dd class="reference" id="reference">${found.reference}</dd>
<dt>${t.status}</dt><dd>${found.status === 'open' ? t.open : t.closed}</dd>
<dt>${t.answerBy}</dt><dd>${formatLongDate(found.answerBy, locale)}</dd>
</dl>
${entries.map(
  (e) => html`<article class="entry" data-kind="${e.kind}">
<h2>${e.who}: ${e.subject}</h2>
<p class="meta">${dateTime(e.at, locale)}</p>
<div class="text">${e.text}</div>
</article>`,
)}`,
      }),
    );
  });
}
