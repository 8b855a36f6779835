/**
 * The chat protocol over socket.io (websocket transport). These event names and payloads
 * are public: other widgets may be built on them. Types only in this file, so the browser
 * widget can import it without pulling zod into its bundle; the server checks every
 * payload with the schemas in chat.schema.ts.
 *
 * Namespace `/chat` (visitors)
 *   client → server, each with an acknowledgement callback:
 *     chat:start   StartRequest   → StartAck | ErrorAck
 *     chat:message MessageRequest → { ok: true } | ErrorAck   (same clientId twice = one message)
 *     chat:resume  ResumeRequest  → ResumeAck | ErrorAck
 *     chat:typing  TypingRequest  (no ack)
 *     chat:close   CloseRequest   → { ok: true } | ErrorAck
 *   server → client:
 *     chat:message ChatLine        (system or agent lines; visitor lines come back only in history)
 *     chat:state   StateEvent
 *     chat:closed  ClosedEvent
 *     chat:typing  { typing: boolean }   (the agent types)
 *     chat:error   ErrorEvent      (a payload that could not be handled, when there was no ack)
 *
 * Namespace `/agents` (authenticated: handshake `auth: { token, agent }`)
 *   client → server, with ack:
 *     agent:accept   { conversationId }                     → { ok: true, ...ConversationSummary } | ErrorAck
 *                    (error `limit`: the agent holds as many conversations as the admin allows)
 *     agent:message  { conversationId, clientId, text }     → { ok: true, id } | ErrorAck
 *     agent:typing   { conversationId, typing }             (no ack)
 *     agent:transfer { conversationId, to?: agentName }     → { ok: true } | ErrorAck
 *     agent:close    { conversationId }                     → { ok: true } | ErrorAck
 *   server → client:
 *     agents:queue    { waiting: QueueEntry[] }   on connect and whenever the line changes
 *     agents:message  { conversationId, line: ChatLine }   visitor lines of accepted conversations
 *     agents:typing   { conversationId, typing }
 *     agents:held     { conversations: ConversationSummary[] }   on connect: what this agent holds
 *     agents:assigned ConversationSummary          a conversation transferred to this agent
 *     agents:closed   { conversationId, reason }
 */

export const CHAT_NAMESPACE = '/chat';
export const AGENTS_NAMESPACE = '/agents';

export type ChatLocale = 'nl' | 'en';
export type ConversationState = 'waiting' | 'with-agent' | 'closed';
export type ClosedReason = 'redirected' | 'closed' | 'timeout';

export interface StartRequest {
  name: string;
  email?: string;
  employeeNumber?: string;
  /** A chat topic key (see StartAck.topics), or absent / "other" for "iets anders". */
  topic?: string;
  locale?: ChatLocale;
  /** Send the transcript to `email` when the conversation closes. */
  transcript?: boolean;
  /** The employees' portal's ID token (the widget's data-identity): the visitor is who the portal says. */
  identity?: string;
}

export interface ChatTopic {
  key: string;
  label: string;
}

export interface Contact {
  formUrl: string;
  email: string;
  phone: string;
}

export interface StartAck {
  ok: true;
  conversationId: string;
  /** Keep it (sessionStorage) to resume the conversation after a reload or reconnect. */
  token: string;
  /** False outside office hours: nobody answers; the widget shows the other ways in. */
  online: boolean;
}

export interface MessageRequest {
  /** Chosen by the client, unique per message; a resend with the same id is one message. */
  clientId: string;
  text: string;
}

export interface ResumeRequest {
  token: string;
}

export interface ResumeAck {
  ok: true;
  conversationId: string;
  state: ConversationState;
  closedReason?: ClosedReason;
  history: ChatLine[];
}

export interface TypingRequest {
  typing: boolean;
}

export interface CloseRequest {
  /** Ask for the transcript by e-mail (to the address given at start). */
  transcript?: boolean;
}

export interface ErrorAck {
  ok: false;
  /** Machine-readable: invalid, not-started, closed, offline, rate-limited, too-long, unknown-token, ... */
  error: string;
  /** Human-readable, in the conversation's language. */
  message: string;
  /** For `invalid`: the field that was wrong. */
  field?: string;
}

export interface ChatLine {
  id: string;
  from: 'visitor' | 'system' | 'agent';
  text: string;
  /** ISO 8601. */
  at: string;
}

export interface StateEvent {
  state: ConversationState;
  /** Place in line while waiting: 1 is next. */
  position?: number;
}

export interface ClosedEvent {
  reason: ClosedReason;
}

export interface ErrorEvent {
  event: string;
  error: string;
  message: string;
  field?: string;
}

/** What the widget needs before it connects: GET /api/v1/chat/config. */
export interface ChatConfig {
  online: boolean;
  topics: ChatTopic[];
  contact: Contact;
  maxLength: number;
}

export interface QueueEntry {
  conversationId: string;
  name: string;
  topic: string | null;
  waitingSince: string;
  position: number;
  /** The start of the visitor's first line, when they wrote one. */
  firstLine?: string;
}

/** A conversation an agent holds: what their console shows of it. */
export interface ConversationSummary {
  conversationId: string;
  name: string;
  topic: string | null;
  /** The registration number of the conversation's case, once it has one. */
  reference?: string;
  history: ChatLine[];
}
