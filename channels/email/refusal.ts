import type { InboundMessageInput } from '../../src/message.js';
import { parseMail, type ParsedInbound } from './email.parse.js';

/**
 * A mail over the size limit, taken in by its headers only: its case tells agents,
 * and its sender gets a polite notice (unless a robot sent it).
 */
export async function refusalFor(
  headers: Buffer,
  size: number,
  limit: number,
  receivedAt: Date,
): Promise<{ message: InboundMessageInput; parsed: ParsedInbound }> {
  const parsed = await parseMail(Buffer.concat([headers, Buffer.from('\r\n')]), receivedAt);
  const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return {
    parsed,
    message: {
      ...parsed.message,
      text: `[Bericht van ${megabytes(size)} niet ontvangen: groter dan de grens van ${megabytes(limit)}. Alleen de kopregels zijn bewaard.]`,
      html: undefined,
      meta: { ...parsed.message.meta, refused: { reason: 'too-large', size, limit } },
    },
  };
}
