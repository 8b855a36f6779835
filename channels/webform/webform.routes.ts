import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IDENTITY_TEXTS, PortalIdentityError, type IdentityVerifier, type PortalIdentity } from '../../src/auth/portal-identity.js';
import type { ComplaintDetails } from '../../src/complaints/complaint.details.js';
import type { Intake } from '../../src/intake.js';
import { COMPLAINT_TOPIC } from '../../src/policy/rules.schema.js';
import type { Locale } from '../../src/message.js';
import type { TopicCache } from '../../src/topic.store.js';
import { contactPage, thanksPage } from './contact.page.js';
import { PayloadTooLargeError, readSubmission, type UploadLimits } from './webform.parse.js';
import type { WebformFields } from './webform.schema.js';
import { pickLocale, TEXTS } from './webform.texts.js';

export interface WebformRouteOptions {
  intake: Intake;
  topics: TopicCache;
  limits: UploadLimits;
  rateLimit: { max: number; windowSeconds: number };
  statusUrl: (token: string) => string;
  /** Checks the employees' portal's ID token (`identity`); absent when no portal is configured. */
  verifyIdentity?: IdentityVerifier;
}

type Outcome =
  | { kind: 'accepted'; locale: Locale; reference?: string; statusUrl?: string }
  | { kind: 'invalid'; values: Record<string, string>; errors: Record<string, string> };

/** The contact form's routes: the page, its no-JavaScript POST and the JSON/multipart API. */
export function registerWebformRoutes(app: FastifyInstance, options: WebformRouteOptions): void {
  const { limits } = options;
  const localeOf = (request: FastifyRequest, lang?: unknown) =>
    pickLocale(lang ?? (request.query as { lang?: string } | undefined)?.lang, request.headers['accept-language']);
  const topicChoices = async (locale: Locale) =>
    (await options.topics.get()).map((topic) => ({ key: topic.key, name: locale === 'nl' ? topic.nameNl : topic.nameEn }));
  const page = async (locale: Locale, values?: Record<string, string>, errors?: Record<string, string>) =>
    contactPage({
      locale,
      topics: await topicChoices(locale),
      maxFiles: limits.maxFiles,
      maxFileMb: Math.round((limits.maxFileBytes / 1024 / 1024) * 10) / 10,
      values,
      errors,
    });

  const submit = async (request: FastifyRequest): Promise<Outcome> => {
    const locale = localeOf(request);
    const parsed = await readSubmission(request, limits, locale);
    const fieldLocale = localeOf(request, parsed.fields['lang']);
    if (!parsed.ok) return { kind: 'invalid', values: parsed.fields, errors: parsed.errors };
    const { fields, files } = parsed;
    if (fields.topic && !(await options.topics.get()).some((topic) => topic.key === fields.topic)) {
      return { kind: 'invalid', values: { ...fields } as Record<string, string>, errors: { topic: TEXTS[fieldLocale].errors.topic } };
    }
    if (fields.website && fields.website.trim() !== '') {
      request.log.info({ channel: 'webform', honeypot: true }, 'honeypot filled; submission dropped');
      return { kind: 'accepted', locale: fieldLocale };
    }
    let identity: PortalIdentity | undefined;
    if (fields.identity) {
      try {
        if (!options.verifyIdentity) throw new PortalIdentityError('off');
        identity = await options.verifyIdentity(fields.identity);
      } catch (err) {
        if (!(err instanceof PortalIdentityError)) throw err;
        request.log.info({ channel: 'webform', identity: err.reason }, 'portal identity refused; nothing stored');
        const { identity: _token, ...values } = fields;
        return { kind: 'invalid', values: values as Record<string, string>, errors: { identity: IDENTITY_TEXTS[fieldLocale][err.reason] } };
      }
    }
    const result = await options.intake.accept(toInbound(fields, fieldLocale, identity), files, { reserveReference: true });
    request.log.info({ channel: 'webform', messageId: result.messageId, caseRef: result.reference, duplicate: result.duplicate }, 'form message accepted');
    return {
      kind: 'accepted',
      locale: fieldLocale,
      reference: result.reference,
      statusUrl: result.statusToken ? options.statusUrl(result.statusToken) : undefined,
    };
  };

  const rateLimit = {
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.windowSeconds * 1_000,
  };

  app.get('/contact', { config: { access: 'public' } }, async (request, reply) => {
    reply.type('text/html; charset=utf-8').send(await page(localeOf(request)));
  });

  app.post('/contact', { config: { access: 'public', rateLimit, uploads: true } }, async (request, reply) => {
    const outcome = await submitOr413(request, reply, submit);
    if (!outcome) return;
    if (outcome.kind === 'invalid') {
      const locale = localeOf(request, outcome.values['lang']);
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(await page(locale, outcome.values, outcome.errors));
    }
    // The form's own lang field, not the browser's preference: the page was shown in that language.
    return reply.type('text/html; charset=utf-8').send(thanksPage(outcome));
  });

  app.post('/api/v1/webform', { config: { access: 'public', rateLimit, uploads: true }, bodyLimit: limits.jsonBodyLimit }, async (request, reply) => {
    const outcome = await submitOr413(request, reply, submit);
    if (!outcome) return;
    if (outcome.kind === 'invalid') {
      const locale = localeOf(request, outcome.values['lang']);
      return reply.code(400).send({ error: 'invalid_input', message: TEXTS[locale].invalid, fields: outcome.errors });
    }
    return reply.code(202).send(outcome.reference ? { reference: outcome.reference, statusUrl: outcome.statusUrl } : { received: true });
  });
}

async function submitOr413(request: FastifyRequest, reply: FastifyReply, submit: (request: FastifyRequest) => Promise<Outcome>): Promise<Outcome | undefined> {
  try {
    return await submit(request);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (err instanceof PayloadTooLargeError || code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT') {
      const locale = pickLocale((request.query as { lang?: string } | undefined)?.lang, request.headers['accept-language']);
      reply.code(413).send({ error: 'payload_too_large', message: TEXTS[locale].tooLarge });
      return undefined;
    }
    throw err;
  }
}

/**
 * The form's idempotency key is scoped to the sender's address, so nobody reaches
 * another person's case page by replaying their key.
 */
function externalId(fields: WebformFields): string {
  if (!fields.submissionId) return `web-${randomUUID()}`;
  return `sub-${createHash('sha256').update(`${fields.submissionId}\n${fields.email.toLowerCase()}`).digest('hex')}`;
}

function toInbound(fields: WebformFields, locale: Locale, identity?: PortalIdentity) {
  // The portal's employee number is the person's; one typed on the public form is only their word.
  const employee = identity
    ? { employeeNumber: identity.employeeNumber, verified: { issuer: identity.issuer, subject: identity.subject } }
    : fields.employeeNumber
      ? { employeeNumber: fields.employeeNumber, employeeNumberUnverified: true as const }
      : {};
  return {
    channel: 'webform' as const,
    externalId: externalId(fields),
    receivedAt: new Date(),
    locale,
    sender: { name: fields.name, email: fields.email, ...employee },
    subject: fields.subject,
    text: fields.message,
    // Complaint details (seed 000) make it a complaint when no topic was chosen; they never thread it into the case they name.
    topicHint: fields.topic ?? (complaintDetails(fields) ? COMPLAINT_TOPIC : undefined),
    meta: complaintDetails(fields) ? { complaint: complaintDetails(fields) } : {},
  };
}

/** The complaint fields the sender filled, if any. */
function complaintDetails(fields: WebformFields): ComplaintDetails | undefined {
  const details = { earlierReference: fields.complaintReference, lastContactOn: fields.complaintLastContact, employeeName: fields.complaintEmployee };
  return Object.values(details).some(Boolean) ? details : undefined;
}
