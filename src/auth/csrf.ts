import Tokens from '@fastify/csrf';

/**
 * CSRF tokens by @fastify/csrf (the token logic of @fastify/csrf-protection). The secret is
 * kept with the session (the synchronizer pattern: a token is only good for the session it
 * was made for, which a cookie-held secret could not promise against a sibling subdomain);
 * every page gets a fresh salted token for it, so a compressed page never repeats one.
 */
const tokens = Tokens();

/** A new secret for a new session. */
export const newCsrfSecret = (): string => tokens.secretSync();

/** A token for a page or a JSON client of this session. */
export const csrfTokenFor = (secret: string): string => tokens.create(secret);

/** Whether a sent token was made for this session's secret (compared in constant time). */
export const csrfTokenValid = (secret: string, token: string): boolean => tokens.verify(secret, token);
