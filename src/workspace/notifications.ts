import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { runPrepared, type Db } from '../db/database.js';
import { cases, NOTIFICATION_KINDS, notifications, users, type NotificationKind } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { dates } from './workspace.texts.js';
import { languageSwitch, uiLocale } from './language.js';

/** The Redis channel new notifications go out on; each web node passes them to that account's streams. */
export const notificationChannel = (prefix: string) => `${prefix}:workspace:notify`;

/** One notification as an account's live stream carries it. */
export const notificationEventSchema = z.object({
  accountId: z.number().int().positive(),
  id: z.number().int().positive(),
  kind: z.enum(NOTIFICATION_KINDS),
  reference: z.string(),
  text: z.string(),
});
export type NotificationEvent = z.infer<typeof notificationEventSchema>;

/** A sentence in both of the workspace's languages: each person is told in their own. */
export interface Said {
  nl: string;
  en: string;
}

/** SQL choosing the sentence of `person`'s language (a users row in the query). */
const inTheirLanguage = (nl: ReturnType<typeof sql>, en: ReturnType<typeof sql>) => sql`case when person.locale = 'en' then ${en} else ${nl} end`;

interface Written {
  id: number | string;
  account_id: number | string;
  kind: NotificationKind;
  reference: string;
  text: string;
}

/**
 * Writes notifications and tells the accounts' open pages. Writing is idempotent (one per
 * account, kind, case and cause); telling is best effort: a lost event costs a look at the list.
 */
export class Notifier {
  constructor(private readonly options: { db: Db; redis: Pick<Redis, 'publish'>; prefix: string; log: Logger }) {}

  /** A case assigned to someone by someone else. `source`: the audit row of the assignment. */
  async assigned(caseId: number, accountId: number, by: { id: number; name: string }, source: string): Promise<void> {
    if (accountId === by.id) return;
    await this.write(sql`
      select person.id as account_id, 'assigned' as kind, c.id as case_id, ${source}::text as source,
             ${inTheirLanguage(
               sql`${by.name}::text || ' heeft zaak ' || c.reference || ' aan u toegewezen: ' || coalesce(nullif(c.subject, ''), '(geen onderwerp)')`,
               sql`${by.name}::text || ' assigned case ' || c.reference || ' to you: ' || coalesce(nullif(c.subject, ''), '(no subject)')`,
             )} as text
        from cases c join users person on person.id = ${accountId} where c.id = ${caseId}`);
  }

  /**
   * The accounts a note names with @: by their whole name, or by their first name when no
   * other active account has it. The writer is never told of their own note.
   */
  async mentioned(caseId: number, note: { id: number; text: string }, by: { id: number; name: string }): Promise<void> {
    const people = await this.options.db.select({ id: users.id, name: users.name }).from(users).where(isNull(users.disabledAt));
    const named = mentionsIn(note.text, people).filter((id) => id !== by.id);
    if (named.length === 0) return;
    await this.write(sql`
      select person.id as account_id, 'mention' as kind, c.id as case_id, ${`note:${note.id}`}::text as source,
             ${inTheirLanguage(
               sql`${by.name}::text || ' noemt u in een notitie op zaak ' || c.reference || '.'`,
               sql`${by.name}::text || ' mentions you in a note on case ' || c.reference || '.'`,
             )} as text
        from cases c join users person on person.id = any(${sql.param(named)}::bigint[]) where c.id = ${caseId}`);
  }

  /** A message that joined a case assigned to someone: the citizen wrote again. Chat lines are seen live in the console. */
  async replied(messageId: number): Promise<void> {
    await this.write(sql`
      select person.id as account_id, 'reply' as kind, c.id as case_id, ${`message:${messageId}`}::text as source,
             ${inTheirLanguage(
               sql`'Nieuw bericht van ' || coalesce(nullif(m.sender->>'name', ''), 'de contactpersoon') || ' op zaak ' || c.reference || '.'`,
               sql`'New message from ' || coalesce(nullif(m.sender->>'name', ''), 'the contact') || ' on case ' || c.reference || '.'`,
             )} as text
        from messages m join cases c on c.id = m.case_id join users person on person.id = c.assignee_id
       where m.id = ${messageId} and m.channel <> 'chat' and c.assignee_id is not null
         and exists (select 1 from messages earlier where earlier.case_id = c.id and earlier.id < m.id)`);
  }

  /**
   * The answer of a case is nearly due, or overdue: its assignee and every coordinator are
   * told, once per deadline (`source` names it), each in their own language. Returns who was
   * told now, with their address and language, for the mail that goes with it.
   */
  async sla(
    caseId: number,
    kind: 'sla-warning' | 'sla-breach' | 'sla-first' | 'complaint',
    text: Said,
    source: string,
  ): Promise<{ email: string; name: string; locale: 'nl' | 'en'; reference: string }[]> {
    const written = await this.write(sql`
      select person.id as account_id, ${kind}::text as kind, c.id as case_id, ${source}::text as source,
             ${inTheirLanguage(sql`${text.nl}::text`, sql`${text.en}::text`)} as text
        from cases c join users person on person.disabled_at is null and (person.id = c.assignee_id or person.role = 'coordinator')
       where c.id = ${caseId}`);
    if (written.length === 0) return [];
    const people = await this.options.db
      .select({ id: users.id, email: users.email, name: users.name, locale: users.locale })
      .from(users)
      .where(
        inArray(
          users.id,
          written.map((row) => Number(row.account_id)),
        ),
      );
    return people.map((person) => ({
      email: person.email,
      name: person.name,
      locale: person.locale,
      reference: written[0]!.reference,
    }));
  }

  /** A compliment (seed 004) passed on to the employee it is for, or to every member of the team. */
  async compliment(caseId: number, to: { accountId?: number; team?: string }, complimentId: number, by: { id: number; name: string }): Promise<number> {
    const written = await this.write(sql`
      select person.id as account_id, 'compliment' as kind, c.id as case_id, ${`compliment:${complimentId}`}::text as source,
             ${inTheirLanguage(
               sql`'Een compliment ' || ${to.accountId ? 'voor u' : `voor team ${to.team ?? ''}`}::text || ' op zaak ' || c.reference || ', doorgegeven door ' || ${by.name}::text || '.'`,
               sql`'A compliment ' || ${to.accountId ? 'for you' : `for team ${to.team ?? ''}`}::text || ' on case ' || c.reference || ', passed on by ' || ${by.name}::text || '.'`,
             )} as text
        from cases c join users person on person.disabled_at is null
             and (person.id = ${to.accountId ?? null}::bigint or (${to.accountId ?? null}::bigint is null and person.team = ${to.team ?? null}::text))
       where c.id = ${caseId}`);
    return written.length;
  }

  private async write(rows: ReturnType<typeof sql>): Promise<Written[]> {
    const written = await runPrepared<Written>(
      this.options.db,
      sql`
      with wanted as (${rows}),
      inserted as (
        insert into notifications (account_id, kind, case_id, source, text)
        select account_id, kind, case_id, source, text from wanted
        on conflict (account_id, kind, case_id, source) do nothing
        returning id, account_id, kind, case_id, text
      )
      select i.id, i.account_id, i.kind, c.reference, i.text from inserted i join cases c on c.id = i.case_id`,
    );
    for (const row of written) {
      const event: NotificationEvent = { accountId: Number(row.account_id), id: Number(row.id), kind: row.kind, reference: row.reference, text: row.text };
      await this.options.redis
        .publish(notificationChannel(this.options.prefix), JSON.stringify(event))
        .catch((err: unknown) => this.options.log.warn({ err }, 'notification not published; it waits in the list'));
    }
    return written;
  }
}

/** The account numbers a text names with @ (whole name, or a first name only one account has). */
export function mentionsIn(text: string, people: { id: number; name: string }[]): number[] {
  const lower = text.toLowerCase();
  const firstNames = new Map<string, number>();
  for (const person of people) {
    const first = person.name.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  const names = (needle: string) => {
    const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])@${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u');
    return pattern.test(lower);
  };
  return people
    .filter((person) => {
      const whole = person.name.trim().toLowerCase();
      const first = whole.split(/\s+/)[0] ?? '';
      return (whole && names(whole)) || (first && firstNames.get(first) === 1 && names(first));
    })
    .map((person) => person.id);
}

const readParams = z.object({ id: z.coerce.number().int().positive() });

/** The sentences of the notifications page, in Dutch and English (each notification is written in its person's language). */
const TEXTS = {
  nl: {
    back: 'Terug naar de werkplek',
    title: 'Meldingen',
    unread: (n: number) => (n === 0 ? 'U hebt geen ongelezen meldingen.' : n === 1 ? 'U hebt 1 ongelezen melding.' : `U hebt ${n} ongelezen meldingen.`),
    none: 'Nog geen meldingen. U krijgt er een als iemand u een zaak toewijst, u in een notitie noemt met @, of als de burger reageert op uw zaak.',
    new: 'Nieuw: ',
    allRead: 'Alles als gelezen markeren',
  },
  en: {
    back: 'Back to the workspace',
    title: 'Notifications',
    unread: (n: number) =>
      n === 0 ? 'You have no unread notifications.' : n === 1 ? 'You have 1 unread notification.' : `You have ${n} unread notifications.`,
    none: 'No notifications yet. You get one when someone assigns you a case, mentions you in a note with @, or when the citizen replies on your case.',
    new: 'New: ',
    allRead: 'Mark all as read',
  },
} as const;

/**
 * GET /werkplek/meldingen: the account's notifications, newest first, unread marked;
 * GET /werkplek/meldingen/aantal: the unread count (the live script's badge);
 * GET /werkplek/meldingen/:id: marks one read and opens its case;
 * POST /werkplek/meldingen/gelezen: marks all read.
 */
export function registerNotificationRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  // Notifications are a person's: an API token (numbered on its own) has none.
  const person = (request: FastifyRequest, reply: FastifyReply): number | undefined => {
    if (request.principal?.kind === 'user') return request.principal.id;
    void reply.code(403).send({ error: 'forbidden', message: 'Meldingen zijn er alleen voor medewerkers met een account.' });
    return undefined;
  };
  const unreadOf = async (accountId: number) => {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.accountId, accountId), isNull(notifications.readAt)));
    return row?.n ?? 0;
  };

  app.get('/werkplek/meldingen/aantal', { config: { access: 'agent' } }, async (request, reply) => {
    const me = person(request, reply);
    if (me === undefined) return reply;
    return reply.header('cache-control', 'no-store').send({ unread: await unreadOf(me) });
  });

  app.get('/werkplek/meldingen', { config: { access: 'agent' } }, async (request, reply) => {
    const me = person(request, reply);
    if (me === undefined) return reply;
    const rows = await db
      .select({ id: notifications.id, text: notifications.text, at: notifications.createdAt, readAt: notifications.readAt, reference: cases.reference })
      .from(notifications)
      .innerJoin(cases, eq(cases.id, notifications.caseId))
      .where(eq(notifications.accountId, me))
      .orderBy(desc(notifications.id))
      .limit(100);
    const unread = rows.filter((row) => !row.readAt).length;
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const { shortDateTime } = dates(lang);
    const body = html`<p><a href="/werkplek">${t.back}</a></p>
<h1>${t.title}</h1>
<p>${t.unread(unread)}</p>
${
  rows.length === 0
    ? html`<p>${t.none}</p>`
    : html`<ul class="notifications">${rows.map(
        (row) =>
          html`<li data-notification="${row.id}"${row.readAt ? '' : html` class="unread"`}>${row.readAt ? '' : html`<strong>${t.new}</strong>`}<a href="/werkplek/meldingen/${row.id}"${lang === 'nl' ? '' : html` lang="nl"`}>${row.text}</a> <span class="meta"><time datetime="${row.at.toISOString()}">${shortDateTime(row.at)}</time></span></li>`,
      )}</ul>
<form method="post" action="/werkplek/meldingen/gelezen"><input type="hidden" name="_csrf" value="${request.csrfToken ?? ''}"><button type="submit">${t.allRead}</button></form>`
}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang, title: unread ? `(${unread}) ${t.title}` : t.title, body, header: languageSwitch(request) }));
  });

  app.get('/werkplek/meldingen/:id', { config: { access: 'agent' } }, async (request, reply) => {
    const me = person(request, reply);
    if (me === undefined) return reply;
    const params = readParams.safeParse(request.params);
    if (!params.success) return reply.code(404).type('text/plain; charset=utf-8').send('Deze melding bestaat niet.');
    const [row] = await db
      .update(notifications)
      .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
      .where(and(eq(notifications.id, params.data.id), eq(notifications.accountId, me)))
      .returning({ caseId: notifications.caseId });
    if (!row) return reply.code(404).type('text/plain; charset=utf-8').send('Deze melding bestaat niet.');
    const [target] = await db.select({ reference: cases.reference }).from(cases).where(eq(cases.id, row.caseId));
    return reply
      .code(303)
      .header('location', `/werkplek/zaken/${encodeURIComponent(target?.reference ?? '')}`)
      .send();
  });

  app.post('/werkplek/meldingen/gelezen', { config: { access: 'agent' } }, async (request, reply) => {
    const me = person(request, reply);
    if (me === undefined) return reply;
    await db
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(and(eq(notifications.accountId, me), isNull(notifications.readAt)));
    return reply.code(303).header('location', '/werkplek/meldingen').send();
  });
}
