/** An error with a stable code (ECONNECTION, SMTP_550, ...) that survives process boundaries. */
abstract class CodedError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A failure worth retrying: connection lost, timeout, 4xx from a mail server. */
export class TransientError extends CodedError {
  override name = 'TransientError';
}

/** A failure no retry will cure: bad address, 5xx, invalid data. Keep the evidence. */
export class PermanentError extends CodedError {
  override name = 'PermanentError';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
