/**
 * Mail written by machines: auto-replies, bounces, reports, lists. Loket never answers
 * these automatically, so two robots can never start a loop (RFC 3834, RFC 2369/2919,
 * RFC 3462, Microsoft's X-Auto-Response-Suppress).
 */

/** Header values by lower-case name; a header that occurs more than once keeps every value. */
export type HeaderLookup = (name: string) => string[];

export const AUTOMATIC_REASONS = [
  'auto-submitted',
  'precedence',
  'auto-response-suppress',
  'list',
  'x-autoreply',
  'null-return-path',
  'system-sender',
  'report',
] as const;
export type AutomaticReason = (typeof AUTOMATIC_REASONS)[number];

/** Mail systems themselves: a machine wherever they appear (From, Sender or Reply-To). */
const MACHINE_LOCAL_PARTS = /^(mailer-daemon|postmaster|bounces?|mail-?daemon)([+-.].*)?$/i;
/** Addresses nobody reads: a machine only where the answer would go (a portal sends from no-reply@ with the person in Reply-To). */
const UNREAD_LOCAL_PARTS = /^(no-?reply|do-?not-?reply)([+-.].*)?$/i;

/** The addresses a mail involves: everyone in From, Sender and Reply-To, and the one an answer goes to. */
export interface MailAddresses {
  involved: string[];
  answerTo: string | undefined;
}

const localPart = (address: string) => address.split('@')[0] ?? '';

/** Why this mail must get no automatic reply, or undefined when a reply is fine. */
export function automaticReason(header: HeaderLookup, addresses: MailAddresses, contentType: string): AutomaticReason | undefined {
  const first = (name: string) => header(name)[0]?.trim();
  const autoSubmitted = first('auto-submitted');
  if (autoSubmitted && autoSubmitted.split(';')[0]!.trim().toLowerCase() !== 'no') return 'auto-submitted';
  if (/^(bulk|junk|list)$/i.test(first('precedence') ?? '')) return 'precedence';
  const suppress = first('x-auto-response-suppress');
  if (suppress !== undefined && !/^none$/i.test(suppress)) return 'auto-response-suppress';
  if (header('list-id').length > 0 || header('list-unsubscribe').length > 0) return 'list';
  if (header('x-autoreply').length > 0 || header('x-autorespond').length > 0) return 'x-autoreply';
  if (header('return-path').some((value) => /^<\s*>$/.test(value.trim()))) return 'null-return-path';
  if (addresses.involved.some((address) => MACHINE_LOCAL_PARTS.test(localPart(address)))) return 'system-sender';
  if (addresses.answerTo && UNREAD_LOCAL_PARTS.test(localPart(addresses.answerTo))) return 'system-sender';
  if (/^multipart\/report\b/i.test(contentType.trim())) return 'report';
  return undefined;
}
