import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';
import type { TrustedProxies } from '../config.js';

/**
 * The trust Fastify applies to X-Forwarded-For (its `trustProxy` option) and that the chat
 * socket applies the same way: a number of hops, or the proxies' addresses. Never `true`:
 * trusting every hop makes the first entry, which the client writes, the client's address.
 */
export function fastifyTrust(trusted: TrustedProxies): false | ((address: string, hop: number) => boolean) {
  if (trusted === false) return false;
  return typeof trusted === 'number' ? (_address: string, hop: number) => hop < trusted : proxyaddr.compile(trusted);
}

/** The client's address of a request (an HTTP request or a websocket's handshake), as Fastify's `request.ip` says it. */
export function clientAddressOf(request: IncomingMessage, trusted: TrustedProxies): string {
  const trust = fastifyTrust(trusted);
  return trust ? proxyaddr(request, trust) : (request.socket.remoteAddress ?? '');
}
