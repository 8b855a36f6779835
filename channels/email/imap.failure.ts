import { PermanentError } from '../../src/errors.js';
import { FolderPathError } from './imap.folder.js';

/** The setting a person has to fix when the server refuses the mailbox. */
export type MailboxSetting = 'IMAP_URL' | 'IMAP_AFTER';

/**
 * The server refuses what a setting asks of it (a login, a mailbox, a folder): no reconnect
 * cures that until someone fixes the setting or the server, so the reader backs off to its
 * cap and says so once, naming the setting and the server's answer.
 */
export class MailboxRefusedError extends PermanentError {
  override name = 'MailboxRefusedError';
  constructor(
    message: string,
    code: string,
    readonly setting: MailboxSetting,
    readonly serverAnswer: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, code, options);
  }
}

/** The step of opening a mailbox that failed. */
export type MailboxStep = 'login' | 'open' | 'folder';

/** What imapflow attaches to a failed command (see its ImapFlowError). */
interface ImapCommandFailure {
  authenticationFailed?: boolean;
  responseStatus?: string;
  responseText?: string;
  serverResponseCode?: string;
  response?: unknown;
}

/** RFC 5530 codes that say "not now" rather than "not this": worth a plain reconnect. */
const TEMPORARY_CODES = new Set(['UNAVAILABLE', 'INUSE', 'LIMIT', 'SERVERBUG', 'OVERQUOTA']);

/**
 * A failure of one step of opening the mailbox as either a MailboxRefusedError (the server
 * said no to the setting) or the original error (a connection trouble: reconnect).
 */
export function mailboxStepError(err: unknown, step: MailboxStep, subject: string): unknown {
  if (err instanceof FolderPathError)
    return new MailboxRefusedError(`IMAP_AFTER: ${err.message}`, 'IMAP_FOLDER_INVALID', 'IMAP_AFTER', undefined, { cause: err });
  const failure = (err ?? {}) as ImapCommandFailure;
  const answer = serverAnswer(failure);
  const code = failure.serverResponseCode?.toUpperCase();
  if (code && TEMPORARY_CODES.has(code)) return err;
  if (step === 'login' && failure.authenticationFailed) {
    return new MailboxRefusedError(`IMAP_URL: the server refused the login of ${subject}`, 'IMAP_LOGIN_REFUSED', 'IMAP_URL', answer, { cause: err });
  }
  if (failure.responseStatus !== 'NO' && failure.responseStatus !== 'BAD') return err;
  if (step === 'open') {
    return new MailboxRefusedError(`IMAP_URL: the mailbox ${subject} cannot be opened`, 'IMAP_MAILBOX_REFUSED', 'IMAP_URL', answer, { cause: err });
  }
  if (step === 'folder') {
    return new MailboxRefusedError(`IMAP_AFTER: the folder ${subject} cannot be created`, 'IMAP_FOLDER_REFUSED', 'IMAP_AFTER', answer, { cause: err });
  }
  return err;
}

/** The server's words, as it said them: "NO [CANNOT] Invalid mailbox name: …". */
function serverAnswer(failure: ImapCommandFailure): string | undefined {
  if (typeof failure.response === 'string' && failure.response) return failure.response;
  if (!failure.responseStatus && !failure.responseText) return undefined;
  const code = failure.serverResponseCode ? `[${failure.serverResponseCode}] ` : '';
  return `${failure.responseStatus ?? ''} ${code}${failure.responseText ?? ''}`.trim();
}
