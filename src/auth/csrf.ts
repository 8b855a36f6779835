import Tokens from '@fastify/csrf';

/**
 * CSRF tokens by @fastify/csrf, the token library @fastify/csrf-protection is built on. The
 * plugin itself keeps the secret in a cookie of its own, or in @fastify/session; Loket's
 * sessions are its own rows in PostgreSQL, so the secret lives there (the synchronizer
 * pattern: a token is good for its own session only). The plugin's cookie mode would add a
 * second cookie and, to tie a token to its session against cookie tossing (getUserInfo), an
 * HMAC key every web node must share: a new secret to configure for what the row gives.
 * Every page gets a fresh salted token, so a compressed page never repeats one.
 */
const tokens = Tokens();

/** A new secret for a new session. */
export const newCsrfSecret = (): string => tokens.secretSync();

/** A token for a page or a JSON client of this session. */
export const csrfTokenFor = (secret: string): string => tokens.create(secret);

/** Whether a sent token was made for this session's secret (compared in constant time). */
export const csrfTokenValid = (secret: string, token: string): boolean => tokens.verify(secret, token);
