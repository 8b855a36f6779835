import type { FastifyInstance, FastifyReply } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { IDENTITY_TEXTS, identityTokenSchema, PortalIdentityError, type IdentityVerifier, type PortalIdentity } from '../auth/portal-identity.js';
import { formatLongDate, amsterdamDate } from '../calendar.js';
import { runPrepared, type Db } from '../db/database.js';
import type { Locale } from '../message.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';

const T = {
  nl: {
    title: 'Mijn vragen',
    intro: (number: string) =>
      `Uw vragen en klachten bij het contactcenter (personeelsnummer ${number}), de nieuwste eerst. Open een vraag om de berichten en antwoorden te zien.`,
    none: 'Er zijn nog geen vragen van u bekend.',
    reference: 'Registratienummer',
    subject: 'Onderwerp',
    received: 'Ontvangen',
    status: 'Status',
    open: 'In behandeling',
    closed: 'Afgehandeld',
    noSubject: '(geen onderwerp)',
    refused: 'Mijn vragen kan niet worden getoond',
    missing: 'Open Mijn vragen vanuit het portaal: er kwam geen inlog mee.',
  },
  en: {
    title: 'My questions',
    intro: (number: string) =>
      `Your questions and complaints to the contact center (employee number ${number}), newest first. Open one to see its messages and answers.`,
    none: 'No questions of yours are known yet.',
    reference: 'Registration number',
    subject: 'Subject',
    received: 'Received',
    status: 'Status',
    open: 'In progress',
    closed: 'Closed',
    noSubject: '(no subject)',
    refused: 'My questions cannot be shown',
    missing: 'Open My questions from the portal: no sign-in came with it.',
  },
} as const;

/** A case of the person's, as "Mijn vragen" lists it. */
export interface MyCase {
  reference: string;
  subject: string;
  channel: string;
  status: 'open' | 'closed';
  openedAt: Date;
  statusToken: string;
}

/** At most this many of a person's cases are listed (newest first). */
const LIMIT = 200;

/**
 * The cases whose contact is this employee: by employee number, where it is known to be theirs
 * (vouched for by the portal, or taken down by an agent), never one typed on the public form.
 * Erased cases hold nothing to show. The same expression as the index cases_sender_employee_idx.
 */
export async function casesOfEmployee(db: Db, employeeNumber: string): Promise<MyCase[]> {
  const rows = await runPrepared<{
    reference: string;
    subject: string;
    channel: string;
    status: 'open' | 'closed';
    opened_at: Date | string;
    status_token: string;
  }>(
    db,
    sql`select reference, subject, channel, status, created_at as opened_at, status_token from cases
         where upper(regexp_replace((sender->>'employeeNumber'), '\\s', '', 'g')) = ${employeeNumber.replace(/\s+/g, '').toUpperCase()}
           and (sender->>'employeeNumber') is not null and not (sender ? 'employeeNumberUnverified') and erased_at is null
         order by created_at desc, id desc limit ${LIMIT}`,
  );
  return rows.map((row) => ({
    reference: row.reference,
    subject: row.subject,
    channel: row.channel,
    status: row.status,
    openedAt: new Date(row.opened_at),
    statusToken: row.status_token,
  }));
}

const formBody = z.object({ identity: z.string().max(16_000).optional(), lang: z.enum(['nl', 'en']).optional().catch(undefined) });

/**
 * "Mijn vragen" for an employee signed in at the portal: POST /mijn-vragen with the portal's ID
 * token (`identity`; a button in the portal) shows their cases with links to each case page;
 * GET /api/v1/mijn-vragen with `Authorization: Bearer <ID token>` gives the same as JSON. A
 * token that is expired, forged or for another audience is refused (401) and shows nothing.
 */
export function registerMyQuestions(
  app: FastifyInstance,
  deps: { db: Db; verify?: IdentityVerifier; publicUrl: string; rateLimit: { max: number; windowSeconds: number } },
): void {
  const rateLimit = { max: deps.rateLimit.max, timeWindow: deps.rateLimit.windowSeconds * 1_000 };
  const identify = async (token: string | undefined): Promise<PortalIdentity | PortalIdentityError> => {
    try {
      if (!deps.verify) throw new PortalIdentityError('off');
      if (!token || !identityTokenSchema.safeParse(token).success) throw new PortalIdentityError('malformed');
      return await deps.verify(token);
    } catch (err) {
      if (err instanceof PortalIdentityError) return err;
      throw err;
    }
  };
  const page = (reply: FastifyReply, status: number, lang: Locale, body: ReturnType<typeof html>) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send(layout({ lang, title: T[lang].title, body }));

  app.post('/mijn-vragen', { config: { access: 'public', rateLimit }, bodyLimit: 32 * 1024 }, async (request, reply) => {
    const body = formBody.safeParse(request.body ?? {});
    const lang: Locale = body.success && body.data.lang === 'en' ? 'en' : 'nl';
    const t = T[lang];
    const who = await identify(body.success ? body.data.identity : undefined);
    if (who instanceof PortalIdentityError) {
      const message = body.success && body.data.identity ? IDENTITY_TEXTS[lang][who.reason] : t.missing;
      return page(reply, 401, lang, html`<h1>${t.refused}</h1><div class="error-summary" role="alert"><p>${message}</p></div>`);
    }
    const found = await casesOfEmployee(deps.db, who.employeeNumber);
    const date = (at: Date) => formatLongDate(amsterdamDate(at), lang);
    return page(
      reply,
      200,
      lang,
      html`<h1>${t.title}</h1><p>${t.intro(who.employeeNumber)}</p>
${
  found.length === 0
    ? html`<p>${t.none}</p>`
    : html`<div class="table-wrap"><table id="my-questions"><caption class="visually-hidden">${t.title}</caption>
<thead><tr><th scope="col">${t.reference}</th><th scope="col">${t.subject}</th><th scope="col">${t.received}</th><th scope="col">${t.status}</th></tr></thead>
<tbody>${found.map(
        (c) =>
          html`<tr><td><a href="/zaak/${c.statusToken}${lang === 'en' ? '?lang=en' : ''}">${c.reference}</a></td><td>${c.subject || t.noSubject}</td><td>${date(c.openedAt)}</td><td>${
            c.status === 'open' ? t.open : t.closed
          }</td></tr>`,
      )}</tbody></table></div>`
}`,
    );
  });

  app.get('/api/v1/mijn-vragen', { config: { access: 'public', rateLimit } }, async (request, reply) => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const who = await identify(token);
    reply.header('cache-control', 'no-store');
    if (who instanceof PortalIdentityError) {
      return reply.code(401).send({ error: 'identity_refused', reason: who.reason, message: token ? IDENTITY_TEXTS.nl[who.reason] : T.nl.missing });
    }
    const found = await casesOfEmployee(deps.db, who.employeeNumber);
    return reply.send({
      employeeNumber: who.employeeNumber,
      cases: found.map((c) => ({
        reference: c.reference,
        subject: c.subject,
        channel: c.channel,
        status: c.status,
        openedAt: c.openedAt.toISOString(),
        caseUrl: `${deps.publicUrl}/zaak/${c.statusToken}`,
      })),
    });
  });
}
