import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Queues } from '../../queues/jobs.js';
import { routeAnswer, writeAnswer, type ChannelLookup } from '../answer.js';
import { answerRefusal, AnswerRefusedError } from '../channel.js';
import type { Db } from '../db/database.js';
import { audit, casePauses, cases } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { findTemplate, renderTemplate, type ReplyTemplate } from '../policy/templates.js';
import { nulAt } from '../text.js';
import {
  answerAttachment,
  answerFileRefusal,
  checkAnswerFiles,
  maxFileMb,
  readAnswerForm,
  sendFile,
  storeAnswerFiles,
  type AnswerFormBody,
  type AnswerUploadLimits,
} from './answer-files.js';
import type { Done } from './case-view.page.js';
import type { CaseRow } from './case-view.query.js';
import { COMPOSER_SCRIPT } from './composer.client.js';
import { deleteDraft, saveDraft } from './drafts.js';
import { labels } from './workspace.texts.js';
import { uiLocale, type UiLocale } from './language.js';

/** What the composer's routes need from the case routes: the case of the URL, its page, the answer to a finished act. */
export interface ComposerRoutesDeps {
  db: Db;
  queues: Pick<Queues, 'add'>;
  mailDomain: string;
  /** The channels, which say where an answer goes. */
  channels: ChannelLookup;
  /** The admin setting 'reply.templates' (through SettingsCache). */
  templates: () => Promise<readonly ReplyTemplate[]>;
  /** What an agent may attach to a mail answer. */
  uploads: AnswerUploadLimits;
  log: Logger;
  /** The case of `:reference`, or undefined with a 404 sent. */
  target(request: FastifyRequest, reply: FastifyReply): Promise<CaseRow | undefined>;
  /** The case page again, with an error and the text as typed. */
  show(request: FastifyRequest, reply: FastifyReply, reference: string, extra: { status: number; error: string; draft: string }): Promise<FastifyReply>;
  /** Back to the case page after an act, telling the other agents' pages. */
  done(reply: FastifyReply, row: CaseRow, what: Done): FastifyReply;
  /** The audit row of an act by the signed-in agent on the case. */
  auditRow(request: FastifyRequest, row: CaseRow, action: string, data: Record<string, unknown>): typeof audit.$inferInsert;
}

const textBody = z.object({ text: z.string().trim().min(1, 'Vul een tekst in.').max(20_000, 'De tekst is te lang (hoogstens 20.000 tekens).') });
const draftBody = z.object({ text: z.string().max(20_000, 'Het concept is te lang (hoogstens 20.000 tekens).') });
/** What the answer form's button asks: send (and close, or wait for the citizen), or insert a template. */
/** The composer's refusals in the agent's language (the Dutch ones are the form checks' own words). */
const TEXTS = {
  nl: {
    noTemplate: 'Dit sjabloon bestaat niet.',
    badDraft: 'Ongeldig concept.',
    badCharacter: 'Deze invoer bevat een teken dat niet is toegestaan.',
    chooseAgain: ' Uw tekst staat er nog; kies de bijlagen opnieuw.',
    tooLarge: (maxFiles: number, maxFileMb: number) =>
      `De bijlagen zijn te groot of te veel: hoogstens ${maxFiles} bestanden van elk hoogstens ${maxFileMb} MB.`,
    chooseTemplate: 'Kies een sjabloon.',
    enterAnswer: 'Vul een antwoord in.',
    filesMailOnly: (channel: string) => `Bijlagen kunnen alleen mee met een antwoord per e-mail; dit antwoord gaat via ${channel}.`,
  },
  en: {
    noTemplate: 'This template does not exist.',
    badDraft: 'Invalid draft.',
    badCharacter: 'This input contains a character that is not allowed.',
    chooseAgain: ' Your text is still there; choose the attachments again.',
    tooLarge: (maxFiles: number, maxFileMb: number) => `The attachments are too large or too many: at most ${maxFiles} files of at most ${maxFileMb} MB each.`,
    chooseTemplate: 'Choose a template.',
    enterAnswer: 'Enter an answer.',
    filesMailOnly: (channel: string) => `Attachments can only go with an answer by e-mail; this answer goes by ${channel}.`,
  },
} as const;

/** A text check's refusal: its own (Dutch) words, or the same in English. */
function textIssue(issue: z.core.$ZodIssue | undefined, lang: UiLocale, what: 'text' | 'draft'): string | undefined {
  if (!issue || lang === 'nl') return issue?.message;
  if (issue.code === 'too_big') return `The ${what} is too long (at most 20,000 characters).`;
  return what === 'text' ? 'Enter a text.' : 'Invalid draft.';
}

const answerChoice = z.object({
  actie: z.enum(['versturen', 'sluiten', 'wachten', 'sjabloon']).default('versturen').catch('versturen'),
  sjabloon: z.string().max(100).optional().catch(undefined),
  via: z.string().max(20).optional().catch(undefined),
});

/**
 * The answer composer: its script, a template rendered for the cursor, the draft saved as the
 * agent types, sending (with files, closing or waiting for the citizen) and an answer's files.
 */
export function registerComposerRoutes(app: FastifyInstance, deps: ComposerRoutesDeps): void {
  const { db, target, show, done, auditRow } = deps;

  /** The template `key` in the case's language, its variables filled for this case and agent. */
  async function templateFor(row: CaseRow, key: string, agent: string): Promise<string | undefined> {
    const template = findTemplate(await deps.templates(), key, row.locale === 'en' ? 'en' : 'nl');
    return template && renderTemplate(template, { reference: row.reference, answerBy: row.answerBy, name: row.sender.name, agent }).body;
  }

  app.get('/werkplek/composer.js', { config: { access: 'agent' } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'private, no-cache').send(COMPOSER_SCRIPT),
  );

  app.get('/werkplek/zaken/:reference/sjablonen/:key', { config: { access: 'agent' } }, async (request, reply) => {
    const row = await target(request, reply);
    if (!row) return reply;
    const key = z.object({ key: z.string().min(1).max(100) }).safeParse(request.params);
    const body = key.success ? await templateFor(row, key.data.key, request.principal!.name) : undefined;
    if (body === undefined) return reply.code(404).send({ error: 'not_found', message: TEXTS[uiLocale(request)].noTemplate });
    return reply.header('cache-control', 'no-store').send({ body });
  });

  app.post('/werkplek/zaken/:reference/concept', { config: { access: 'agent' } }, async (request, reply) => {
    const row = await target(request, reply);
    if (!row) return reply;
    const body = draftBody.safeParse(request.body ?? {});
    if (!body.success)
      return reply.code(400).send({
        error: 'invalid_input',
        message: textIssue(body.error.issues[0], uiLocale(request), 'draft') ?? TEXTS[uiLocale(request)].badDraft,
        fields: { text: 'te lang' },
      });
    const savedAt = await saveDraft(db, row.id, request.principal!.id, body.data.text);
    return reply.header('cache-control', 'no-store').send({ savedAt: savedAt.toISOString() });
  });

  app.post(
    '/werkplek/zaken/:reference/antwoord',
    {
      config: { access: 'agent', uploads: true },
      // Parsed before the access hook checks the CSRF token, which it looks for in the body.
      preValidation: async (request, reply) => {
        const form = await readAnswerForm(request, deps.uploads);
        const where = nulAt(form.fields);
        if (where)
          return reply.code(400).send({
            error: 'invalid_input',
            message: TEXTS[uiLocale(request)].badCharacter,
            fields: { [where[0] ?? 'text']: 'ongeldig teken' },
          });
        request.body = form;
      },
    },
    async (request, reply) => {
      const row = await target(request, reply);
      if (!row) return reply;
      const form = request.body as AnswerFormBody;
      const typed = form.fields['text'] ?? '';
      const choice = answerChoice.parse(form.fields);
      const me = request.principal!;
      const lang = uiLocale(request);
      const t = TEXTS[lang];
      /** The page again with what was typed, kept as the draft too: nothing typed is lost to a refusal. */
      const again = async (status: number, error: string) => {
        await saveDraft(db, row.id, me.id, typed);
        return show(request, reply, row.reference, { status, error, draft: typed });
      };
      const chooseAgain = form.files.length > 0 || form.tooLarge ? t.chooseAgain : '';
      if (form.tooLarge) return again(413, `${t.tooLarge(deps.uploads.maxFiles, maxFileMb(deps.uploads))}${chooseAgain}`);
      if (choice.actie === 'sjabloon') {
        // Without a script: the template goes after what was typed, kept as the draft.
        const template = choice.sjabloon ? await templateFor(row, choice.sjabloon, me.name) : undefined;
        if (template === undefined) return again(400, t.chooseTemplate);
        await saveDraft(db, row.id, me.id, typed.trim() ? `${typed.trimEnd()}\n\n${template}` : template);
        return reply
          .code(303)
          .header('location', `/werkplek/zaken/${encodeURIComponent(row.reference)}#answer`)
          .send();
      }
      const body = textBody.safeParse(form.fields);
      if (!body.success) return again(400, `${textIssue(body.error.issues[0], lang, 'text') ?? t.enterAnswer}${chooseAgain}`);
      const files = await checkAnswerFiles(form.files, deps.uploads);
      if (!files.ok) return again(400, `${answerFileRefusal(files, lang)}${chooseAgain}`);
      let outboxId: number;
      try {
        const route = await routeAnswer(db, deps.channels, row, body.data.text, me.name, choice.via);
        // Only mail carries files: a call-back, a letter, a chat line or a form's case page does not.
        if (files.files.length > 0 && route.channel !== 'email')
          return again(400, `${t.filesMailOnly(labels(lang).channels[route.channel] ?? route.channel)}${chooseAgain}`);
        await storeAnswerFiles(db, files.files);
        outboxId = await writeAnswer(db, deps.channels, row, { ...route, attachments: files.files.map((f) => f.ref) }, me.name, deps.mailDomain);
      } catch (err) {
        if (err instanceof AnswerRefusedError) return again(409, `${answerRefusal(err, lang)}${chooseAgain}`);
        throw err;
      }
      await deleteDraft(db, row.id, me.id);
      if (choice.actie === 'sluiten' || choice.actie === 'wachten') {
        await db.transaction(async (tx) => {
          const changed = await tx
            .update(cases)
            .set(
              choice.actie === 'sluiten'
                ? { status: 'closed', closedAt: sql`now()`, waitingSince: null, updatedAt: sql`now()` }
                : { waitingSince: sql`now()`, updatedAt: sql`now()` },
            )
            // Only an open case closes or waits: a closed one (closed meanwhile, too) gets the answer alone.
            .where(and(eq(cases.id, row.id), eq(cases.status, 'open')))
            .returning({ id: cases.id });
          if (changed.length === 0) return;
          await tx.insert(audit).values(auditRow(request, row, choice.actie === 'sluiten' ? 'case.close' : 'case.waiting', { outboxId }));
          // Waiting for the citizen stops the SLA clock until they write (src/sla/sla.sweep.ts measures the pause).
          if (choice.actie === 'wachten')
            await tx.execute(sql`insert into ${casePauses} (case_id, started_at)
              select ${row.id}, now() where not exists (select 1 from ${casePauses} where case_id = ${row.id} and working_minutes is null)`);
        });
      }
      // The row is written: if Redis is away now, the sweep sends it later.
      await deps.queues
        .add('deliver', { outboxId })
        .catch((err: unknown) => deps.log.warn({ err, outboxId, caseRef: row.reference }, 'answer not enqueued; the sweep sends it'));
      return done(reply, row, choice.actie === 'sluiten' ? 'antwoord-gesloten' : choice.actie === 'wachten' ? 'antwoord-wachten' : 'antwoord');
    },
  );

  app.get('/werkplek/antwoorden/:outboxId/bijlagen/:sha256', { config: { access: 'agent' } }, async (request, reply) => {
    const params = z
      .object({ outboxId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER), sha256: z.string().regex(/^[0-9a-f]{64}$/) })
      .safeParse(request.params);
    const file = params.success ? await answerAttachment(db, params.data.outboxId, params.data.sha256) : undefined;
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('Deze bijlage bestaat niet.');
    return sendFile(reply, file);
  });
}
