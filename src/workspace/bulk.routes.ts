import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { audit, cases, users } from '../db/schema.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import type { CaseChangeFeed } from './case-changes.js';
import type { Notifier } from './notifications.js';
import { languageSwitch, uiLocale } from './language.js';

/** Cases one bulk action takes at most: a page of the list and then some. */
export const BULK_MAX = 200;

const referencesField = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().trim().min(1).max(40)).min(1, 'Kies eerst een of meer zaken.').max(BULK_MAX, `Hoogstens ${BULK_MAX} zaken tegelijk.`),
);
const bulkBody = z.discriminatedUnion('actie', [
  z.object({ actie: z.literal('toewijzen'), zaak: referencesField, assignee: z.union([z.literal(''), z.coerce.number().int().positive()]) }),
  z.object({ actie: z.literal('team'), zaak: referencesField, team: z.string().trim().min(1, 'Kies een team.').max(100) }),
  z.object({ actie: z.literal('sluiten'), zaak: referencesField }),
]);
/** The refusals of a bulk action, in the agent's language (the Dutch ones are the form checks' own words). */
const TEXTS = {
  nl: {
    title: 'Niets gewijzigd',
    back: 'Terug naar de zaken',
    issue: (message: string | undefined) => message ?? 'Kies zaken en een actie.',
    noColleague: 'Deze medewerker bestaat niet (meer).',
  },
  en: {
    title: 'Nothing changed',
    back: 'Back to the cases',
    issue: (message: string | undefined) =>
      ({
        'Kies eerst een of meer zaken.': 'Choose one or more cases first.',
        [`Hoogstens ${BULK_MAX} zaken tegelijk.`]: `At most ${BULK_MAX} cases at once.`,
        'Kies een team.': 'Choose a team.',
      })[message ?? ''] ?? 'Choose cases and an action.',
    noColleague: 'This colleague does not exist (any more).',
  },
} as const;

const returnTo = z
  .string()
  .regex(/^\/werkplek\/zaken(\?[^\s]*)?$/)
  .catch('/werkplek/zaken');

/**
 * POST /werkplek/zaken/bulk {zaak[], actie: toewijzen|team|sluiten, assignee?, team?, terug?}:
 * a coordinator assigns, moves or closes many cases at once from the list. One transaction,
 * an audit row per case, the new assignee told once per case; then back to the list.
 */
export function registerBulkRoutes(
  app: FastifyInstance,
  deps: { db: Db; changes: Pick<CaseChangeFeed, 'caseChanged'>; notifier: Pick<Notifier, 'assigned'> },
): void {
  app.post('/werkplek/zaken/bulk', { config: { access: 'coordinator' } }, async (request, reply) => {
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const back = returnTo.parse(raw['terug']);
    const parsed = bulkBody.safeParse(raw);
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    if (!parsed.success) {
      const message = t.issue(parsed.error.issues[0]?.message);
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(
          layout({
            lang,
            title: t.title,
            body: html`<h1>${t.title}</h1><div role="alert" class="error-summary">${message}</div><p><a href="${back}">${t.back}</a></p>`,
            header: languageSwitch(request),
          }),
        );
    }
    const body = parsed.data;
    const me = request.principal!;
    if (body.actie === 'toewijzen' && body.assignee !== '') {
      const [person] = await deps.db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, body.assignee), isNull(users.disabledAt), inArray(users.role, ['agent', 'coordinator'])));
      if (!person) return reply.code(400).type('text/plain; charset=utf-8').send(t.noColleague);
    }
    const changed = await deps.db.transaction(async (tx) => {
      const before = await tx
        .select({ id: cases.id, reference: cases.reference, assigneeId: cases.assigneeId, team: cases.team, status: cases.status })
        .from(cases)
        .where(inArray(cases.reference, body.zaak))
        .for('update');
      const rows = body.actie === 'sluiten' ? before.filter((row) => row.status === 'open') : before;
      if (rows.length === 0) return [];
      const ids = rows.map((row) => row.id);
      const set =
        body.actie === 'toewijzen'
          ? { assigneeId: body.assignee === '' ? null : body.assignee }
          : body.actie === 'team'
            ? { team: body.team }
            : { status: 'closed' as const, closedAt: sql`now()` };
      await tx
        .update(cases)
        .set({ ...set, updatedAt: sql`now()` })
        .where(inArray(cases.id, ids));
      const action = body.actie === 'toewijzen' ? 'case.assign' : body.actie === 'team' ? 'case.team' : 'case.close';
      const written = await tx
        .insert(audit)
        .values(
          rows.map((row) => ({
            actor: me.name,
            action,
            entity: 'case',
            entityId: row.reference,
            data: {
              actorId: me.id,
              bulk: true,
              ...(body.actie === 'toewijzen' ? { from: row.assigneeId, to: body.assignee === '' ? null : body.assignee } : {}),
              ...(body.actie === 'team' ? { fromTeam: row.team, team: body.team } : {}),
            },
          })),
        )
        .returning({ id: audit.id, entityId: audit.entityId });
      return rows.map((row) => ({ ...row, auditId: written.find((w) => w.entityId === row.reference)?.id }));
    });
    for (const row of changed) {
      deps.changes.caseChanged(row.id, row.reference);
      if (body.actie === 'toewijzen' && body.assignee !== '' && row.assigneeId !== body.assignee) {
        await deps.notifier.assigned(row.id, body.assignee, { id: me.id, name: me.name }, `audit:${row.auditId}`);
      }
    }
    request.log.info({ action: body.actie, cases: changed.length }, 'bulk action');
    const separator = back.includes('?') ? '&' : '?';
    return reply.code(303).header('location', `${back}${separator}bijgewerkt=${changed.length}`).send();
  });
}
