import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../src/db/database.js';
import type { Intake } from '../../src/intake.js';
import type { Queues } from '../../queues/jobs.js';
import { entryPage, letterPage, TEXTS } from './letter.page.js';
import { checkLetter, type LetterFormBody, type ScanLimits } from './letter.parse.js';
import { blobContents, readFilesForm } from '../../src/files.js';
import { reviewFieldsSchema } from './letter.schema.js';
import { findLetter, insertLetter, type Letter } from './letter.store.js';
import { submitLetter } from './letter.submit.js';
import { languageSwitch, uiLocale } from '../../src/workspace/language.js';

export interface LetterRouteOptions {
  db: Db;
  intake: Intake;
  queues: Pick<Queues, 'add'>;
  limits: ScanLimits;
}

const letterParams = z.object({ id: z.coerce.number().int().positive() });
const scanParams = letterParams.extend({ n: z.coerce.number().int().positive() });

const sendHtml = (reply: FastifyReply, page: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(page);

/** The agent's letter pages: enter scans, watch OCR, check the text, submit. */
export function registerLetterRoutes(app: FastifyInstance, options: LetterRouteOptions): void {
  const { db, limits } = options;
  const maxFileMb = Math.round((limits.maxFileBytes / 1024 / 1024) * 10) / 10;
  /** The page's language (the agent's) and the switch to the other one. */
  const language = (request: FastifyRequest) => ({ lang: uiLocale(request), header: languageSwitch(request) });
  const entry = (request: FastifyRequest, values?: Record<string, string>, errors?: Record<string, string>) =>
    entryPage({ ...language(request), csrfToken: request.csrfToken ?? '', maxFiles: limits.maxFiles, maxFileMb, values, errors });

  /** The letter of the URL, or a 404 already sent. */
  const letterOf = async (request: FastifyRequest, reply: FastifyReply): Promise<Letter | undefined> => {
    const params = letterParams.safeParse(request.params);
    const letter = params.success ? await findLetter(db, params.data.id) : undefined;
    if (!letter) sendHtml(reply, TEXTS[uiLocale(request)].notFound, 404);
    return letter;
  };

  /** OCR is asked for again whenever someone looks at a letter still waiting: adding is idempotent by job id. */
  const scheduleOcr = (request: FastifyRequest, letterId: number) =>
    options.queues.add('ocr', { letterId }).catch((err: unknown) => request.log.warn({ err, letterId, channel: 'post' }, 'ocr not scheduled yet'));

  app.get('/werkplek/brief', { config: { access: 'agent' } }, async (request, reply) => sendHtml(reply, entry(request)));

  app.post(
    '/werkplek/brief',
    {
      config: { access: 'agent', uploads: true },
      // Parsed before the access hook checks the CSRF token, which it looks for in the body.
      preValidation: async (request, reply) => {
        const form = await readFilesForm(request, limits);
        if (form.tooLarge) return reply.code(413).send({ error: 'payload_too_large', message: TEXTS[uiLocale(request)].tooLarge(limits.maxFiles, maxFileMb) });
        request.body = form;
      },
    },
    async (request, reply) => {
      const checked = await checkLetter(request.body as LetterFormBody);
      if (!checked.ok) return sendHtml(reply, entry(request, checked.values, checked.errors), 400);
      const { fields, scans } = checked;
      const letterId = await insertLetter(db, {
        sender: {
          name: fields.senderName,
          postalAddress: { street: fields.street, postalCode: fields.postalCode, city: fields.city, country: fields.country },
        },
        letterDate: fields.letterDate,
        scans,
        enteredBy: request.principal!.name,
      });
      await scheduleOcr(request, letterId);
      request.log.info({ channel: 'post', letterId, scans: scans.length }, 'letter entered');
      return reply.code(303).header('location', `/werkplek/brief/${letterId}`).send();
    },
  );

  app.get('/werkplek/brief/:id', { config: { access: 'agent' } }, async (request, reply) => {
    const letter = await letterOf(request, reply);
    if (!letter) return;
    if (letter.status === 'ocr') {
      await scheduleOcr(request, letter.id);
      reply.header('refresh', '5');
    }
    return sendHtml(reply, letterPage({ ...language(request), letter, csrfToken: request.csrfToken ?? '' }));
  });

  app.post('/werkplek/brief/:id', { config: { access: 'agent' } }, async (request, reply) => {
    const letter = await letterOf(request, reply);
    if (!letter) return;
    const location = `/werkplek/brief/${letter.id}`;
    if (letter.status === 'submitted') return reply.code(303).header('location', location).send();
    const t = TEXTS[uiLocale(request)];
    const page = (error: string, status: number, text?: string) =>
      sendHtml(reply, letterPage({ ...language(request), letter, csrfToken: request.csrfToken ?? '', error, text }), status);
    if (letter.status === 'ocr') return page(t.errors.notReady, 409);
    const fields = reviewFieldsSchema.safeParse(request.body ?? {});
    if (!fields.success) {
      const sent = (request.body as { text?: unknown } | undefined)?.text;
      return page(t.errors.text, 400, typeof sent === 'string' ? sent : undefined);
    }
    const result = await submitLetter(db, options.intake, letter, fields.data.text);
    request.log.info(
      { channel: 'post', letterId: letter.id, messageId: result.messageId, caseRef: result.reference, duplicate: result.duplicate },
      'letter submitted',
    );
    return reply.code(303).header('location', location).send();
  });

  app.get('/werkplek/brief/:id/scan/:n', { config: { access: 'agent' } }, async (request, reply) => {
    const params = scanParams.safeParse(request.params);
    const letter = params.success ? await findLetter(db, params.data.id) : undefined;
    const scan = params.success ? letter?.scans[params.data.n - 1] : undefined;
    if (!scan) return sendHtml(reply, TEXTS[uiLocale(request)].notFound, 404);
    const [content] = await blobContents(db, [scan]);
    return reply
      .type(scan.contentType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(scan.filename)}`)
      .send(Buffer.from(content!));
  });
}
