import type { Logger } from 'pino';
import type { Db } from '../../src/db/database.js';
import type { Intake } from '../../src/intake.js';
import { markUnlogged, type CallRow } from './call.store.js';
import { formatDuration, T } from './phone.texts.js';

/**
 * A call that ended before any agent logged it must not vanish: Loket logs it itself with
 * its duration and number, marked for an agent to complete. Accept first, then link: a
 * crash in between leaves a message that a repeated hangup links (intake dedupes it).
 */
export async function logUnloggedCall(deps: { db: Db; intake: Intake; log: Logger }, call: CallRow): Promise<number> {
  const number = call.callerNumber ?? undefined;
  const seconds = call.durationSeconds ?? 0;
  const result = await deps.intake.accept(
    {
      channel: 'phone',
      externalId: `call:${call.callId}:unlogged`,
      receivedAt: call.endedAt ?? new Date(),
      locale: 'nl',
      sender: number ? { phone: number } : {},
      subject: T.unloggedSubject,
      text: T.unloggedCall(formatDuration(seconds), number, call.answeredAt !== null),
      meta: { callId: call.callId, toComplete: true, suppressAutoReply: true, durationSeconds: seconds, agent: call.agent },
    },
    [],
    // A reference now, so the agent who completes the call later joins this case by it.
    { reserveReference: true },
  );
  const linked = await markUnlogged(deps.db, call.callId, result.messageId);
  deps.log.info(
    { channel: 'phone', callId: call.callId, messageId: result.messageId, caseRef: result.reference, linked },
    linked ? 'unlogged call logged to complete' : 'call was logged by an agent meanwhile',
  );
  return result.messageId;
}
