import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Queues } from '../../queues/jobs.js';
import { lockThreadKeys } from '../case.store.js';
import type { Db } from '../db/database.js';
import { attachments, audit, blobs, caseNotes, cases, messages, threadKeys, users } from '../db/schema.js';
import type { Sender } from '../message.js';
import type { Logger } from '../logger.js';
import type { TopicCache } from '../topic.store.js';
import { html, type SafeHtml } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { routeAnswer, type ChannelLookup } from '../answer.js';
import { answerRefusal, AnswerRefusedError } from '../channel.js';
import { assignableUsers, caseByReference, loadCaseView, type CaseRow } from './case-view.query.js';
import { casePage, DONE_MESSAGES, type Done } from './case-view.page.js';
import type { CaseChangeFeed } from './case-changes.js';
import { casesOfPerson } from './search.js';
import { caseFilterSchema, firstPage, listViewer } from './case-list.query.js';
import { listPane } from './case-list.page.js';
import { savedDraft } from './drafts.js';
import type { Notifier } from './notifications.js';
import { findTemplate, type ReplyTemplate } from '../policy/templates.js';
import { answerAttachments, maxFileMb, sendFile, type AnswerUploadLimits } from './answer-files.js';
import { registerComposerRoutes } from './composer.routes.js';
import { recordCorrection } from '../classifier/corrections.js';
import { complaintOf } from '../complaints/complaint.store.js';
import { DEFAULT_COMPLAINT_DEADLINES, type ComplaintDeadlines } from '../policy/complaint.setting.js';
import { complaintIntakeSection, complaintSection, registerComplaintRoutes } from '../complaints/complaint.routes.js';
import { COMPLAINT_TOPIC } from '../policy/rules.schema.js';
import { languageSwitch, uiLocale, type UiLocale } from './language.js';
import { defaultSlaView, slaBadge, slaState, type SlaView } from '../sla/sla.view.js';
import { DEFAULT_SLA, slaTargetFor, type SlaSetting } from '../policy/sla.setting.js';
import { deadlinesFrom } from '../sla/working-time.js';
import { TOPIC_UNSURE } from '../routing/case.opening.js';
import { THREAD_PAGE } from './case-timeline.page.js';

export interface CaseRoutesDeps {
  db: Db;
  /** Office hours and the warning time, for the SLA badge (src/sla), and the time it is now. */
  sla?: () => Promise<SlaView>;
  /** The promises (admin setting `sla.targets`): a reopened case gets a new answer deadline from them. */
  slaTargets?: () => Promise<SlaSetting>;
  clock?: () => Date;
  /** Where the complainant's satisfaction link points (PUBLIC_URL). */
  publicUrl?: string;
  /** The complaint procedure's deadlines as they stand (admin setting `complaint.deadlines`). */
  complaintDeadlines?: () => Promise<ComplaintDeadlines>;
  topics: TopicCache;
  queues: Pick<Queues, 'add'>;
  mailDomain: string;
  /** The channels, which say where an answer goes. */
  channels: ChannelLookup;
  /** The admin setting 'reply.templates' (through SettingsCache). */
  templates: () => Promise<readonly ReplyTemplate[]>;
  /** Tells the other agents' open pages (live updates). */
  changes: Pick<CaseChangeFeed, 'caseChanged'>;
  /** Tells a colleague a case was assigned to them or they were named in a note. */
  notifier?: Pick<Notifier, 'assigned' | 'mentioned' | 'sla' | 'compliment'>;
  /** What an agent may attach to a mail answer (the contact form's limits). */
  uploads: AnswerUploadLimits;
  log: Logger;
}

const referenceParams = z.object({ reference: z.string().min(1).max(40) });
const viewQuery = z.object({
  gedaan: z
    .enum(Object.keys(DONE_MESSAGES) as [Done, ...Done[]])
    .optional()
    .catch(undefined),
  sjabloon: z.string().max(100).optional().catch(undefined),
  /** The whole timeline; without it the latest THREAD_PAGE items, with a link to the rest. */
  alles: z.enum(['1']).optional().catch(undefined),
});
const textBody = z.object({ text: z.string().trim().min(1, 'Vul een tekst in.').max(20_000, 'De tekst is te lang (hoogstens 20.000 tekens).') });
const topicBody = z.object({ topic: z.string().min(1).max(100) });
const mergeBody = z.object({ into: z.string().trim().min(1).max(40) });
const optionalField = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => v || undefined)
    .optional();
const contactBody = z
  .object({
    name: optionalField(200),
    email: z
      .union([z.literal(''), z.email('Vul een geldig e-mailadres in.').max(320)])
      .transform((v) => v || undefined)
      .optional(),
    phone: optionalField(40),
    employeeNumber: optionalField(40),
  })
  .refine(
    (c) => c.email || c.phone || c.employeeNumber,
    'Vul een e-mailadres, telefoonnummer of personeelsnummer in: daaraan herkent Loket de contactpersoon.',
  );
const assignBody = z.object({ assignee: z.union([z.literal('me'), z.literal(''), z.coerce.number().int().positive()]) });

const page = (reply: FastifyReply, status: number, title: string, body: SafeHtml, full = false) =>
  reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(layout({ lang: uiLocale(reply.request), title, body, wide: true, full, header: languageSwitch(reply.request) }));

/** The errors of the case page's actions, in the agent's language (the form checks speak Dutch, so English says the check in its own words). */
const CASE_ERRORS = {
  nl: {
    topic: 'Kies een bestaand onderwerp.',
    assignee: 'Kies aan wie u de zaak toewijst.',
    notAssignable: 'Aan deze medewerker kan geen zaak worden toegewezen.',
    note: (issue?: string) => `Notitie: ${issue ?? 'vul een tekst in.'}`,
    mergeTarget: 'Kies een andere, bestaande zaak om mee samen te voegen.',
    mergeClosed: (reference: string) => `Zaak ${reference} is gesloten; heropen die eerst.`,
    contact: (issue?: string) => `Contactpersoon: ${issue ?? 'ongeldig.'}`,
  },
  en: {
    topic: 'Choose an existing topic.',
    assignee: 'Choose whom you assign the case to.',
    notAssignable: 'No case can be assigned to this colleague.',
    note: (issue?: string) => (issue === 'Vul een tekst in.' || !issue ? 'Note: enter a text.' : 'Note: the text is too long (at most 20,000 characters).'),
    mergeTarget: 'Choose another, existing case to merge with.',
    mergeClosed: (reference: string) => `Case ${reference} is closed; reopen it first.`,
    contact: () => 'Contact: check the name, e-mail address, phone number and employee number.',
  },
} as const;
const caseErrors = (request: FastifyRequest) => CASE_ERRORS[uiLocale(request)];

/** The teams the topics go to, for the compliment form. */
const teamsOf = (topics: readonly { team?: string | null }[]) => [...new Set(topics.flatMap((topic) => (topic.team ? [topic.team] : [])))].sort();

/** The case page, its actions (each with an audit row) and the answer composer. */
export function registerCaseRoutes(app: FastifyInstance, deps: CaseRoutesDeps): void {
  const { db } = deps;

  async function show(request: FastifyRequest, reply: FastifyReply, reference: string, extra: { status?: number; error?: string; draft?: string } = {}) {
    const query = viewQuery.parse(request.query ?? {});
    // A long timeline is read in part: its latest THREAD_PAGE items, the rest one link away.
    const view = await loadCaseView(db, reference, query.alles === '1' ? undefined : THREAD_PAGE);
    if (!view) return notFound(reply);
    const [topics, people, templates, history, answerFiles, pane, sla, complaint] = await Promise.all([
      deps.topics.get(),
      assignableUsers(db),
      deps.templates(),
      casesOfPerson(db, view.row.id, view.row.sender),
      answerAttachments(db, view.row.id),
      paneOf(request.principal!.id, view.row.reference, uiLocale(request)),
      (deps.sla ?? defaultSlaView)(),
      complaintOf(db, view.row.id),
    ]);
    const answerRoute = await routeAnswer(db, deps.channels, view.row, '', request.principal!.name).catch((err: unknown) => {
      if (err instanceof AnswerRefusedError) return { refused: answerRefusal(err, uiLocale(request)) };
      throw err;
    });
    const locale = view.row.locale === 'en' ? 'en' : 'nl';
    const choices = [...new Set(templates.map((t) => t.key))].flatMap((key) => findTemplate(templates, key, locale) ?? []);
    const draft = extra.draft ?? (await savedDraft(db, view.row.id, request.principal!.id)) ?? '';
    const body = casePage({
      lang: uiLocale(request),
      view,
      topics,
      users: people,
      templates: choices,
      answerRoute,
      csrfToken: request.csrfToken ?? '',
      me: request.principal!.id,
      done: extra.error ? undefined : query.gedaan,
      error: extra.error,
      draft,
      chosenTemplate: query.sjabloon,
      history,
      wholeThread: query.alles === '1',
      answerFiles,
      uploads: { maxFiles: deps.uploads.maxFiles, maxFileMb: maxFileMb(deps.uploads) },
      listPane: pane,
      sla: slaBadge(slaState(view.row, (deps.clock ?? (() => new Date()))(), sla.hours, sla.warnHours, uiLocale(request))),
      complaint: complaint
        ? complaintSection({
            lang: uiLocale(request),
            complaint,
            base: `/werkplek/zaken/${view.row.reference}`,
            csrfToken: request.csrfToken ?? '',
            people,
            teams: teamsOf(topics),
            coordinator: request.principal!.role !== 'agent',
          })
        : undefined,
      complaintActions: complaint
        ? undefined
        : complaintIntakeSection({
            lang: uiLocale(request),
            base: `/werkplek/zaken/${view.row.reference}`,
            csrfToken: request.csrfToken ?? '',
            people,
            teams: teamsOf(topics),
          }),
    });
    return page(reply, extra.status ?? 200, `${uiLocale(request) === 'en' ? 'Case' : 'Zaak'} ${view.row.reference}`, body, true);
  }

  /** The views and the first page of the agent's chosen list, shown beside the case on a wide screen. */
  async function paneOf(me: number, shown: string, lang: UiLocale) {
    const viewer = await listViewer(db, me);
    const filter = caseFilterSchema.parse(viewer.preference);
    const { rows, more } = await firstPage(db, filter, viewer);
    return listPane(filter, rows, more, shown, lang);
  }

  const notFound = (reply: FastifyReply) =>
    uiLocale(reply.request) === 'en'
      ? page(reply, 404, 'Case not found', html`<h1>Case not found</h1><p>This case does not exist. <a href="/werkplek/zaken">To the cases</a></p>`)
      : page(reply, 404, 'Zaak niet gevonden', html`<h1>Zaak niet gevonden</h1><p>Deze zaak bestaat niet. <a href="/werkplek/zaken">Naar de zaken</a></p>`);

  /** Loads the case of `:reference`, or answers 404 and returns undefined. */
  async function target(request: FastifyRequest, reply: FastifyReply): Promise<CaseRow | undefined> {
    const params = referenceParams.safeParse(request.params);
    const row = params.success ? await caseByReference(db, params.data.reference) : undefined;
    if (!row) await notFound(reply);
    return row;
  }

  const done = (reply: FastifyReply, row: CaseRow, what: Done) => {
    deps.changes.caseChanged(row.id, row.reference);
    return reply
      .code(303)
      .header('location', `/werkplek/zaken/${encodeURIComponent(row.reference)}?gedaan=${what}`)
      .send();
  };

  const auditRow = (request: FastifyRequest, row: CaseRow, action: string, data: Record<string, unknown>) => ({
    actor: request.principal!.name,
    action,
    entity: 'case',
    entityId: row.reference,
    data: { ...data, actorId: request.principal!.id },
  });

  app.get('/werkplek/zaken/:reference', { config: { access: 'agent' } }, async (request, reply) => {
    const params = referenceParams.safeParse(request.params);
    if (!params.success) return notFound(reply);
    return show(request, reply, params.data.reference);
  });

  registerComposerRoutes(app, { ...deps, target, show, done, auditRow });
  registerComplaintRoutes(app, {
    ...deps,
    publicUrl: deps.publicUrl ?? 'http://localhost:3000',
    times: async () => ({
      hours: (await (deps.sla ?? defaultSlaView)()).hours,
      deadlines: (await deps.complaintDeadlines?.()) ?? DEFAULT_COMPLAINT_DEADLINES,
    }),
    clock: deps.clock ?? (() => new Date()),
    complaintTeam: async () => (await deps.topics.get()).find((topic) => topic.key === COMPLAINT_TOPIC)?.team ?? null,
    target,
    show,
    done,
  });

  app.post('/werkplek/zaken/:reference/onderwerp', { config: { access: 'agent' } }, async (request, reply) => {
    const row = await target(request, reply);
    if (!row) return reply;
    const body = topicBody.safeParse(request.body ?? {});
    const topic = body.success ? (await deps.topics.get()).find((t) => t.key === body.data.topic) : undefined;
    if (!topic) return show(request, reply, row.reference, { status: 400, error: caseErrors(request).topic });
    await db.transaction(async (tx) => {
      await tx
        .update(cases)
        // A topic the classifier was unsure of is chosen now: the case no longer asks for it.
        .set({ topic: topic.key, team: topic.team, attention: sql`nullif(${cases.attention}, ${TOPIC_UNSURE})`, updatedAt: sql`now()` })
        .where(eq(cases.id, row.id));
      await tx.insert(audit).values(auditRow(request, row, 'case.reclassify', { from: row.topic, to: topic.key, fromTeam: row.team, team: topic.team }));
      // Every change of topic by an agent is an example the topic classifier learns from.
      if (topic.key !== row.topic) await recordCorrection(tx, { caseId: row.id, from: row.topic, to: topic.key, accountId: request.principal!.id });
    });
    return done(reply, row, 'onderwerp');
  });

  app.post('/werkplek/zaken/:reference/toewijzen', { config: { access: 'agent' } }, async (request, reply) => {
    const row = await target(request, reply);
    if (!row) return reply;
    const body = assignBody.safeParse(request.body ?? {});
    if (!body.success) return show(request, reply, row.reference, { status: 400, error: caseErrors(request).assignee });
    const assigneeId = body.data.assignee === 'me' ? request.principal!.id : body.data.assignee === '' ? null : body.data.assignee;
    if (assigneeId !== null) {
      // Admins tune Loket and take no cases (assignableUsers offers none): refused here too.
      const [user] = await db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, assigneeId), sql`${users.disabledAt} is null`, inArray(users.role, ['agent', 'coordinator'])));
      if (!user) return show(request, reply, row.reference, { status: 400, error: caseErrors(request).notAssignable });
    }
    const auditId = await db.transaction(async (tx) => {
      await tx
        .update(cases)
        .set({ assigneeId, updatedAt: sql`now()` })
        .where(eq(cases.id, row.id));
      const [written] = await tx
        .insert(audit)
        .values(auditRow(request, row, 'case.assign', { from: row.assigneeId, to: assigneeId }))
        .returning({ id: audit.id });
      return written?.id;
    });
    if (assigneeId !== null && assigneeId !== row.assigneeId) {
      await deps.notifier?.assigned(row.id, assigneeId, { id: request.principal!.id, name: request.principal!.name }, `audit:${auditId}`);
    }
    return done(reply, row, 'toegewezen');
  });

  app.post('/werkplek/zaken/:reference/notitie', { config: { access: 'agent' } }, async (request, reply) => {
    const row = await target(request, reply);
    if (!row) return reply;
    const body = textBody.safeParse(request.body ?? {});
    if (!body.success) return show(request, reply, row.reference, { status: 400, error: caseErrors(request).note(body.error.issues[0]?.message) });
    const noteId = await db.transaction(async (tx) => {
      const [note] = await tx
        .insert(caseNotes)
        .values({ caseId: row.id, author: request.principal!.name, text: body.data.text })
        .returning({ id: caseNotes.id });
      await tx.insert(audit).values(auditRow(request, row, 'case.note', { noteId: note?.id }));
      return note?.id;
    });
    if (noteId !== undefined) {
      await deps.notifier?.mentioned(row.id, { id: noteId, text: body.data.text }, { id: request.principal!.id, name: request.principal!.name });
    }
    return done(reply, row, 'notitie');
  });

  app.post('/werkplek/zaken/:reference/samenvoegen', { config: { access: 'agent' } }, async (request, reply) => {
    const row = await target(request, reply);
    if (!row) return reply;
    const body = mergeBody.safeParse(request.body ?? {});
    const into = body.success ? await caseByReference(db, body.data.into) : undefined;
    if (!into || into.id === row.id) return show(request, reply, row.reference, { status: 400, error: caseErrors(request).mergeTarget });
    if (into.status !== 'open') return show(request, reply, row.reference, { status: 409, error: caseErrors(request).mergeClosed(into.reference) });
    await db.transaction(async (tx) => {
      // The locks routing takes for a quoted number: no message joins either case halfway through.
      await lockThreadKeys(tx, [`ref:${row.reference}`, `ref:${into.reference}`].sort());
      const moved = await tx.update(messages).set({ caseId: into.id }).where(eq(messages.caseId, row.id)).returning({ id: messages.id });
      await tx.update(threadKeys).set({ caseId: into.id }).where(eq(threadKeys.caseId, row.id));
      await tx
        .update(cases)
        .set({ status: 'closed', closedAt: sql`now()`, mentions: null, attention: null, updatedAt: sql`now()` })
        .where(eq(cases.id, row.id));
      await tx
        .update(cases)
        .set({ updatedAt: sql`now()` })
        .where(eq(cases.id, into.id));
      const messageIds = moved.map((m) => m.id);
      await tx
        .insert(audit)
        .values([
          auditRow(request, row, 'case.merged', { into: into.reference, messageIds }),
          auditRow(request, into, 'case.merged-in', { from: row.reference, messageIds }),
        ]);
    });
    deps.changes.caseChanged(into.id, into.reference);
    return done(reply, row, 'samengevoegd');
  });

  app.post('/werkplek/zaken/:reference/contactpersoon', { config: { access: 'agent' } }, async (request, reply) => {
    const row = await target(request, reply);
    if (!row) return reply;
    const body = contactBody.safeParse(request.body ?? {});
    if (!body.success) return show(request, reply, row.reference, { status: 400, error: caseErrors(request).contact(body.error.issues[0]?.message) });
    const contact: Sender = { ...body.data, ...(row.sender.postalAddress ? { postalAddress: row.sender.postalAddress } : {}) };
    await db.transaction(async (tx) => {
      await tx
        .update(cases)
        .set({ sender: contact, updatedAt: sql`now()` })
        .where(eq(cases.id, row.id));
      await tx.insert(audit).values(auditRow(request, row, 'case.contact', { from: row.sender, to: contact }));
    });
    return done(reply, row, 'contactpersoon');
  });

  async function reopenedPromise(row: CaseRow) {
    const [setting, view] = await Promise.all([deps.slaTargets?.() ?? DEFAULT_SLA, (deps.sla ?? defaultSlaView)()]);
    const target = slaTargetFor(setting, { channel: row.channel, topic: row.topic, priority: row.priority });
    return deadlinesFrom((deps.clock ?? (() => new Date()))(), target, view.hours);
  }

  for (const [path, status, action, what] of [
    ['sluiten', 'closed', 'case.close', 'gesloten'],
    ['heropenen', 'open', 'case.reopen', 'heropend'],
  ] as const) {
    app.post(`/werkplek/zaken/:reference/${path}`, { config: { access: 'agent' } }, async (request, reply) => {
      const row = await target(request, reply);
      if (!row) return reply;
      // Reopened is new work: the answer is promised again, counted from now, and warned of and told anew.
      const promise = status === 'open' ? await reopenedPromise(row) : undefined;
      await db.transaction(async (tx) => {
        const changed = await tx
          .update(cases)
          .set({
            status,
            closedAt: status === 'closed' ? sql`now()` : null,
            ...(promise ? { answerBy: promise.answerBy, answerDue: promise.answerDue, slaWarnedAt: null, slaBreachedAt: null } : {}),
            updatedAt: sql`now()`,
          })
          .where(and(eq(cases.id, row.id), eq(cases.status, status === 'closed' ? 'open' : 'closed')))
          .returning({ id: cases.id });
        if (changed.length > 0)
          await tx.insert(audit).values(auditRow(request, row, action, promise ? { answerDueBefore: row.answerDue?.toISOString() ?? null } : {}));
      });
      return done(reply, row, what);
    });
  }

  app.get('/werkplek/bijlagen/:sha256', { config: { access: 'agent' } }, async (request, reply) => {
    const params = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).safeParse(request.params);
    const [file] = params.success
      ? await db
          .select({ filename: attachments.filename, contentType: attachments.contentType, content: blobs.content })
          .from(attachments)
          .innerJoin(blobs, eq(blobs.sha256, attachments.sha256))
          .where(eq(attachments.sha256, params.data.sha256))
          .limit(1)
      : [];
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('Deze bijlage bestaat niet.');
    return sendFile(reply, file);
  });
}
