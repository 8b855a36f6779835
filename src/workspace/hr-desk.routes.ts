import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ChannelLookup } from '../answer.js';
import type { Db } from '../db/database.js';
import { audit, cases } from '../db/schema.js';
import { normalizePhone } from '../phone-number.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import type { CaseChangeFeed } from './case-changes.js';
import { caseByReference } from './case-view.query.js';
import { languageSwitch, uiLocale } from './language.js';

/** The team of the HR-loket's specialists (seed 000: extra service for HR professionals). */
export const HR_DESK_TEAM = 'HR-loket';

const referenceParams = z.object({ reference: z.string().min(1).max(40) });
const hrDeskBody = z.object({
  phone: z
    .string()
    .trim()
    .min(1, 'Vul het telefoonnummer in waarop de specialist de HR-professional kan terugbellen.')
    .max(40)
    .refine((value) => !!normalizePhone(value), 'Vul een geldig telefoonnummer in.'),
  note: z.string().trim().min(1, 'Schrijf kort waarover de HR-professional wil sparren.').max(2_000, 'Hoogstens 2.000 tekens.'),
});

/** The refusals of the HR desk form, in the agent's language (the Dutch ones are the form checks' own words). */
const TEXTS = {
  nl: {
    title: 'Niet doorgezet naar het HR-loket',
    back: (reference: string) => `Terug naar zaak ${reference}`,
    noCase: 'Deze zaak bestaat niet.',
    closed: 'Deze zaak is gesloten. Heropen haar eerst.',
    issue: (message: string | undefined) => message ?? 'Vul het telefoonnummer en de vraag in.',
    phoneOff: 'Het telefoonkanaal staat uit: er is geen terugbellijst.',
    alreadyOpen: 'Voor deze zaak staat al een verzoek voor het HR-loket open.',
  },
  en: {
    title: 'Not passed on to the HR desk',
    back: (reference: string) => `Back to case ${reference}`,
    noCase: 'This case does not exist.',
    closed: 'This case is closed. Reopen it first.',
    issue: (message: string | undefined) =>
      ({
        'Vul het telefoonnummer in waarop de specialist de HR-professional kan terugbellen.':
          'Enter the phone number on which the specialist can call the HR professional back.',
        'Vul een geldig telefoonnummer in.': 'Enter a valid phone number.',
        'Schrijf kort waarover de HR-professional wil sparren.': 'Write briefly what the HR professional wants to talk through.',
        'Hoogstens 2.000 tekens.': 'At most 2,000 characters.',
      })[message ?? ''] ?? 'Enter the phone number and the question.',
    phoneOff: 'The phone channel is off: there is no call-back list.',
    alreadyOpen: 'A request for the HR desk is already open for this case.',
  },
} as const;

/**
 * POST /werkplek/zaken/:reference/hr-loket {phone, note}: an HR professional asked, through
 * any channel, to talk a special case through with a specialist (seed 000). The case goes to
 * the HR-loket team, marked so, and becomes a call-back task for the specialists; their call
 * is logged on it from the call-back list. Audited; one open request per case.
 */
export function registerHrDeskRoutes(app: FastifyInstance, deps: { db: Db; channels: ChannelLookup; changes: Pick<CaseChangeFeed, 'caseChanged'> }): void {
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, reference: string, message: string) => {
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        layout({
          lang,
          title: t.title,
          body: html`<h1>${t.title}</h1><div role="alert" class="error-summary">${message}</div><p><a href="/werkplek/zaken/${reference}">${t.back(reference)}</a></p>`,
          header: languageSwitch(request),
        }),
      );
  };

  app.post('/werkplek/zaken/:reference/hr-loket', { config: { access: 'agent' } }, async (request, reply) => {
    const params = referenceParams.safeParse(request.params);
    const t = TEXTS[uiLocale(request)];
    const row = params.success ? await caseByReference(deps.db, params.data.reference) : undefined;
    if (!row) return reply.code(404).type('text/plain; charset=utf-8').send(t.noCase);
    if (row.status !== 'open') return refuse(request, reply, 409, row.reference, t.closed);
    const body = hrDeskBody.safeParse(request.body ?? {});
    if (!body.success) return refuse(request, reply, 400, row.reference, t.issue(body.error.issues[0]?.message));
    const phone = deps.channels('phone');
    if (!phone?.requestCallback) return refuse(request, reply, 409, row.reference, t.phoneOff);
    const agent = request.principal!;
    const taskId = await phone.requestCallback({
      caseId: row.id,
      recipient: { name: row.sender.name, phone: normalizePhone(body.data.phone) },
      note: body.data.note,
      purpose: 'hr-loket',
      requestedBy: agent.name,
    });
    if (taskId === undefined) return refuse(request, reply, 409, row.reference, t.alreadyOpen);
    await deps.db.transaction(async (tx) => {
      await tx
        .update(cases)
        .set({
          team: HR_DESK_TEAM,
          attention: sql`coalesce(${cases.attention}, 'hr-loket')`,
          // The number the specialist calls is the contact's from now on, unless they had one:
          // the logged call-back then belongs to them.
          sender: row.sender.phone ? row.sender : { ...row.sender, phone: normalizePhone(body.data.phone) },
          updatedAt: sql`now()`,
        })
        .where(and(eq(cases.id, row.id)));
      await tx.insert(audit).values({
        actor: agent.name,
        action: 'case.hr-loket',
        entity: 'case',
        entityId: row.reference,
        data: { actorId: agent.id, fromTeam: row.team, taskId, note: body.data.note, phone: normalizePhone(body.data.phone) },
      });
    });
    deps.changes.caseChanged(row.id, row.reference);
    return reply
      .code(303)
      .header('location', `/werkplek/zaken/${encodeURIComponent(row.reference)}?gedaan=hr-loket`)
      .send();
  });
}
