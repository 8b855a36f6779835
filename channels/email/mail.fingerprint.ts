import { createHash } from 'node:crypto';

/** What a mail keeps from its writer to our inbox; Received, Return-Path, DKIM and the like are added on the way. */
const WRITTEN_HEADERS = ['from', 'date', 'subject'] as const;

/**
 * A fingerprint of what does not change in transit: From, Date, Subject and the body, with
 * line ends and trailing blanks made uniform (servers store bare-LF mail as CRLF). The same
 * mail delivered twice, through another alias or after a rescan, has the same fingerprint;
 * another mail that reuses the Message-ID (templates, broken mailers, spam) has its own.
 */
export function mailFingerprint(raw: Uint8Array): string {
  const text = Buffer.from(raw).toString('latin1');
  const gap = /\r?\n\r?\n/.exec(text);
  const head = gap ? text.slice(0, gap.index) : text;
  const body = gap ? text.slice(gap.index + gap[0].length) : '';
  const headers = firstHeaderValues(head);
  const hash = createHash('sha256');
  for (const name of WRITTEN_HEADERS) hash.update(`${name}:${headers.get(name) ?? ''}\n`, 'latin1');
  hash.update('\n');
  hash.update(canonicalBody(body), 'latin1');
  return hash.digest('hex').slice(0, 32);
}

/** The first value of each header, unfolded and with its whitespace collapsed. */
function firstHeaderValues(head: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!values.has(name))
      values.set(
        name,
        line
          .slice(colon + 1)
          .replace(/\s+/g, ' ')
          .trim(),
      );
  }
  return values;
}

function canonicalBody(body: string): string {
  return body
    .split(/\r?\n/)
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n+$/, '');
}
