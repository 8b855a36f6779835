import type { FetchMessageObject } from 'imapflow';

/** At most this many mails, and about this many bytes, per FETCH, intake transaction and MOVE. */
const BATCH_MAILS = 100;
const BATCH_BYTES = 32 * 1024 * 1024;

/** Splits the listing in batches; a single mail larger than BATCH_BYTES is a batch of its own. */
export function batches(pending: FetchMessageObject[]): FetchMessageObject[][] {
  const out: FetchMessageObject[][] = [];
  let current: FetchMessageObject[] = [];
  let bytes = 0;
  for (const meta of pending) {
    const size = meta.size ?? 0;
    if (current.length > 0 && (current.length >= BATCH_MAILS || bytes + size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(meta);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
