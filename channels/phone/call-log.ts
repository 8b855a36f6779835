import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Principal } from '../../src/auth/accounts.js';
import type { Db } from '../../src/db/database.js';
import type { Intake } from '../../src/intake.js';
import type { InboundMessageInput } from '../../src/message.js';
import type { TopicCache } from '../../src/topic.store.js';
import { findCall, linkCall } from './call.store.js';
import { closeCallbackTask, findCallbackTask } from './callback.store.js';
import { normalizePhone } from '../../src/phone-number.js';
import { callLogFieldsSchema, type CallLogField, type CallLogFields } from './phone.schema.js';
import { T } from './phone.texts.js';

export interface CallLogDeps {
  db: Db;
  intake: Intake;
  topics: TopicCache;
}

export type CallLogOutcome =
  | { kind: 'logged'; messageId: number; reference?: string; duplicate: boolean }
  | { kind: 'invalid'; values: Record<string, string>; errors: Partial<Record<CallLogField, string>> };

type Errors = Partial<Record<CallLogField, string>>;

/**
 * Logs a call an agent took (form or API) as a message on the phone channel with a
 * registration number reserved, so the agent can tell it to the caller. Joins the case
 * of the call-back task or of the call Loket logged at hangup; links the call record and
 * closes the call-back task. A double submit is one message.
 */
export async function logCall(deps: CallLogDeps, raw: unknown, principal: Principal, log: FastifyBaseLogger): Promise<CallLogOutcome> {
  const { _csrf: _token, ...input } = isRecord(raw) ? raw : {};
  const values = stringValues(input);
  const parsed = callLogFieldsSchema.safeParse(input);
  if (!parsed.success) return { kind: 'invalid', values, errors: errorsOf(parsed.error.issues) };
  const fields = parsed.data;

  const errors: Errors = {};
  if (fields.topic && !(await deps.topics.get()).some((topic) => topic.key === fields.topic)) errors.topic = T.errors.topic;
  const task = fields.callbackOf ? await findCallbackTask(deps.db, fields.callbackOf) : undefined;
  if (fields.callbackOf && !task) errors.callbackOf = T.errors.callbackOf;
  const call = fields.callId ? await findCall(deps.db, fields.callId) : undefined;
  const phone = fields.phone ?? call?.callerNumber ?? task?.recipient.phone;
  const callback = fields.callback || fields.outcome === 'terugbellen';
  if (callback && !phone) errors.phone = T.errors.callbackNeedsPhone;
  if (Object.keys(errors).length > 0) return { kind: 'invalid', values, errors };

  // An unlogged call Loket recorded at hangup, or a call-back, continues that case.
  const caseRef = task?.reference ?? (call?.toComplete ? (call.reference ?? undefined) : undefined);
  const message = toInbound(fields, { phone, callback, caseRef, principal, completes: call?.toComplete ? call.messageId : null });
  const result = await deps.intake.accept(message, [], { reserveReference: true });
  const agent = principal.name;
  // Also on a duplicate: a crash between accept and these left them undone.
  if (fields.callId) await linkCall(deps.db, { callId: fields.callId, messageId: result.messageId, agent, callerNumber: phone && normalizePhone(phone) });
  if (task) await closeCallbackTask(deps.db, task.id, result.messageId);
  log.info(
    { channel: 'phone', messageId: result.messageId, caseRef: result.reference, duplicate: result.duplicate, callId: fields.callId, callbackOf: task?.id },
    'call logged',
  );
  return { kind: 'logged', messageId: result.messageId, reference: result.reference, duplicate: result.duplicate };
}

/**
 * The call id is the idempotency key when there is one (one call, one log); otherwise the
 * form's submission id, scoped to the agent so two agents never share one by accident.
 */
function externalId(fields: CallLogFields, principal: Principal): string {
  if (fields.callId) return `call:${fields.callId}`;
  return `log:${principal.kind}-${principal.id}:${fields.submissionId ?? randomUUID()}`;
}

function toInbound(
  fields: CallLogFields,
  context: { phone?: string; callback: boolean; caseRef?: string; principal: Principal; completes: number | null },
): InboundMessageInput {
  const { principal } = context;
  return {
    channel: 'phone',
    externalId: externalId(fields, principal),
    receivedAt: new Date(),
    locale: 'nl',
    sender: {
      name: fields.callerName,
      phone: context.phone ? normalizePhone(context.phone) : undefined,
      employeeNumber: fields.employeeNumber,
    },
    subject: T.loggedSubject(fields.outcome),
    text: fields.summary,
    topicHint: fields.topic,
    thread: { references: [], caseRef: context.caseRef },
    meta: {
      // The caller heard the registration number from the agent: no mail-style acknowledgement.
      suppressAutoReply: true,
      outcome: fields.outcome,
      callback: context.callback,
      agent: { kind: principal.kind, id: principal.id, name: principal.name },
      ...(fields.callId ? { callId: fields.callId } : {}),
      ...(fields.callbackOf ? { callbackOf: fields.callbackOf } : {}),
      ...(context.completes ? { completes: context.completes } : {}),
    },
  };
}

function errorsOf(issues: { code: string; path: PropertyKey[]; keys?: string[] }[]): Errors {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const keys = issue.code === 'unrecognized_keys' && issue.keys ? issue.keys : [String(issue.path[0] ?? '')];
    for (const key of keys) {
      const known = (T.errors as Record<string, unknown>)[key];
      errors[key] ??= typeof known === 'string' ? known : T.errors.unknownField(key);
    }
  }
  return errors as Errors;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the agent typed, to show again beside the errors. */
function stringValues(input: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(input).flatMap(([key, value]) =>
      typeof value === 'string' ? [[key, value]] : typeof value === 'number' || typeof value === 'boolean' ? [[key, String(value)]] : [],
    ),
  );
}
