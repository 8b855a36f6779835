import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether a secret somebody sent (a token, a CSRF value) is the one expected, compared in
 * a time that tells nothing about either: their digests are compared, which are of one
 * length whatever was sent.
 */
export function sameSecret(sent: string, expected: string): boolean {
  return timingSafeEqual(digest(sent), digest(expected));
}
