import type { FastifyInstance, FastifyRequest } from 'fastify';
import { earlierCases, findCall } from './call.store.js';
import { findCallbackTask } from './callback.store.js';
import { logCall, type CallLogDeps } from './call-log.js';
import { callLogPage, loggedPage, type CallLogPageOptions } from './call-log.page.js';
import { callIdSchema } from './phone.schema.js';
import { T } from './phone.texts.js';
import { languageSwitch, uiLocale } from '../../src/workspace/language.js';

/** GET/POST /werkplek/gesprek (the agent's form) and POST /api/v1/calls (tokens, scripts). */
export function registerCallLogRoutes(app: FastifyInstance, deps: CallLogDeps): void {
  /** The topics in the agent's language; the page's language and its switch. */
  const topicChoices = async (request: FastifyRequest) =>
    (await deps.topics.get()).map((topic) => ({ key: topic.key, name: uiLocale(request) === 'en' ? topic.nameEn : topic.nameNl }));
  const language = (request: FastifyRequest) => ({ lang: uiLocale(request), header: languageSwitch(request) });

  app.get('/werkplek/gesprek', { config: { access: 'agent' } }, async (request, reply) => {
    const { values, ...context } = await openedFrom(deps, request.query);
    const page = callLogPage({ ...language(request), topics: await topicChoices(request), csrfToken: request.csrfToken ?? '', values, ...context });
    return reply.type('text/html; charset=utf-8').send(page);
  });

  app.post('/werkplek/gesprek', { config: { access: 'agent' } }, async (request, reply) => {
    const outcome = await logCall(deps, request.body, request.principal!, request.log);
    if (outcome.kind === 'invalid') {
      const page = callLogPage({
        ...language(request),
        topics: await topicChoices(request),
        csrfToken: request.csrfToken ?? '',
        values: outcome.values,
        errors: outcome.errors,
      });
      return reply.code(400).type('text/html; charset=utf-8').send(page);
    }
    return reply.type('text/html; charset=utf-8').send(loggedPage({ ...outcome, ...language(request) }));
  });

  app.post('/api/v1/calls', { config: { access: 'agent' } }, async (request, reply) => {
    const outcome = await logCall(deps, request.body, request.principal!, request.log);
    if (outcome.kind === 'invalid') return reply.code(400).send({ error: 'invalid_input', message: T.invalid, fields: outcome.errors });
    const { kind: _kind, ...logged } = outcome;
    return reply.code(202).send(logged);
  });
}

/**
 * What the form starts with when opened from a ringing call (?callId=) or from the
 * call-back list (?callbackOf=): the caller's number, name and earlier cases.
 */
async function openedFrom(deps: CallLogDeps, query: unknown): Promise<Pick<CallLogPageOptions, 'call' | 'task' | 'values'>> {
  const { callId, callbackOf } = (query ?? {}) as { callId?: string; callbackOf?: string };
  const values: Record<string, string> = {};
  let call: CallLogPageOptions['call'];
  let task: CallLogPageOptions['task'];
  const id = callIdSchema.safeParse(callId);
  if (id.success) {
    const found = await findCall(deps.db, id.data);
    if (found?.callerNumber) values['phone'] = found.callerNumber;
    const cases = found?.callerNumber ? await earlierCases(deps.db, found.callerNumber, found.startedAt) : [];
    call = { callId: id.data, earlierCases: cases };
  }
  const taskId = Number(callbackOf);
  if (Number.isSafeInteger(taskId) && taskId > 0) {
    const found = await findCallbackTask(deps.db, taskId);
    if (found) {
      task = { id: found.id, reference: found.reference };
      values['phone'] ??= found.recipient.phone ?? '';
      values['callerName'] = found.recipient.name ?? '';
      values['employeeNumber'] = found.recipient.employeeNumber ?? '';
    }
  }
  return { call, task, values };
}
