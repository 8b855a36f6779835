import { io, type Socket } from 'socket.io-client';
import { waitFor } from './wait.js';

/** A socket.io client that keeps every event it receives, for assertions. */
export interface RecordingSocket {
  socket: Socket;
  events: { event: string; payload: unknown }[];
  /** Emits with an acknowledgement and resolves with it (or fails after 5 s). */
  call<T = Record<string, unknown>>(event: string, payload?: unknown): Promise<T>;
  /** Waits for an event (optionally one that matches) and returns its payload. */
  next<T = Record<string, unknown>>(event: string, match?: (payload: T) => boolean, timeoutMs?: number): Promise<T>;
  all<T = Record<string, unknown>>(event: string): T[];
  close(): void;
}

export async function connect(
  url: string,
  namespace: '/chat' | '/agents',
  options: { auth?: Record<string, string>; origin?: string; cookie?: string; headers?: Record<string, string> } = {},
): Promise<RecordingSocket> {
  const socket = io(`${url}${namespace}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.auth,
    extraHeaders: { ...(options.origin ? { origin: options.origin } : {}), ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
  });
  const events: { event: string; payload: unknown }[] = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  const all = <T>(event: string) => events.filter((e) => e.event === event).map((e) => e.payload as T);
  return {
    socket,
    events,
    call: <T>(event: string, payload?: unknown) => socket.timeout(5_000).emitWithAck(event, payload) as Promise<T>,
    next: <T>(event: string, match: (payload: T) => boolean = () => true, timeoutMs = 10_000) =>
      waitFor(async () => all<T>(event).find(match), `${namespace} event ${event}`, timeoutMs, 20),
    all,
    close: () => socket.close(),
  };
}

export const AGENT_TOKEN = 'agent-token-for-the-tests-0123456789';

export const agent = (url: string, name: string) => connect(url, '/agents', { auth: { token: AGENT_TOKEN, agent: name } });
export const visitor = (url: string) => connect(url, '/chat');

/** An instant inside office hours (Tuesday 24 November 2026, 10:00 in Amsterdam). */
export const OPEN_CLOCK = () => new Date('2026-11-24T09:00:00Z');
