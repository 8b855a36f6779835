import { io, type Socket } from 'socket.io-client';
import type {
  ChatConfig,
  ChatLine,
  ClosedEvent,
  CloseRequest,
  ErrorAck,
  ErrorEvent,
  MessageRequest,
  ResumeAck,
  ResumeRequest,
  StartAck,
  StartRequest,
  StateEvent,
  TypingRequest,
} from '../chat.protocol.js';

const ACK_TIMEOUT_MS = 10_000;

interface ServerEvents {
  'chat:message': (line: ChatLine) => void;
  'chat:state': (event: StateEvent) => void;
  'chat:closed': (event: ClosedEvent) => void;
  'chat:typing': (event: { typing: boolean }) => void;
  'chat:error': (event: ErrorEvent) => void;
}

/** Request and reply of each event the server acknowledges. */
interface Acked {
  'chat:start': [StartRequest, StartAck];
  'chat:message': [MessageRequest, { ok: true }];
  'chat:resume': [ResumeRequest, ResumeAck];
  'chat:close': [CloseRequest, { ok: true }];
}

type ClientEvents = { [E in keyof Acked]: (request: Acked[E][0], ack: (reply: Acked[E][1] | ErrorAck) => void) => void } & {
  'chat:typing': (request: TypingRequest) => void;
};

export type ChatSocket = Socket<ServerEvents, ClientEvents>;

/** Opens the visitor namespace; socket.io reconnects by itself and fires `connect` each time. */
export function openSocket(server: string): ChatSocket {
  return io(`${server}/chat`, { transports: ['websocket'] });
}

/** Emits and waits for the acknowledgement; `undefined` when none came (timeout or disconnect). */
export async function request<E extends keyof Acked>(socket: ChatSocket, event: E, payload: Acked[E][0]): Promise<Acked[E][1] | ErrorAck | undefined> {
  const emitter = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
    emitWithAck(event: E, payload: Acked[E][0]): Promise<Acked[E][1] | ErrorAck>;
  };
  try {
    return await emitter.emitWithAck(event, payload);
  } catch {
    return undefined; // no answer: the caller decides whether to retry or to say so
  }
}

/** GET /api/v1/chat/config; throws when the server cannot be reached or answers with an error. */
export async function fetchConfig(server: string): Promise<ChatConfig> {
  const response = await fetch(`${server}/api/v1/chat/config`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`chat config: HTTP ${response.status}`);
  return (await response.json()) as ChatConfig;
}
