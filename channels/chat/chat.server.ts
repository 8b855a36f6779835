import { IDENTITY_TEXTS, PortalIdentityError, type IdentityVerifier, type PortalIdentity } from '../../src/auth/portal-identity.js';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { sameSecret } from '../../src/secret.js';
import type { TrustedProxies } from '../../src/config.js';
import { clientAddressOf } from '../../src/http/client-address.js';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Server, type Namespace, type Socket } from 'socket.io';
import { ZodError } from 'zod';
import type { Queues } from '../../queues/jobs.js';
import { sessionPrincipal } from '../../src/auth/sessions.js';
import { SESSION_COOKIE } from '../../src/http/access.js';
import type { Db } from '../../src/db/database.js';
import type { Intake } from '../../src/intake.js';
import type { TopicCache } from '../../src/topic.store.js';
import { agentRoom, AGENTS_ROOM, conversationRoom, type ChatBus } from './chat.bus.js';
import { closeAndTell } from './chat.closing.js';
import { ConversationWriter } from './conversation.writer.js';
import { AGENTS_NAMESPACE, CHAT_NAMESPACE, type ChatLocale, type Contact, type ErrorAck } from './chat.protocol.js';
import {
  agentAcceptSchema,
  agentAuthSchema,
  agentCloseSchema,
  agentMessageSchema,
  agentTransferSchema,
  agentTypingSchema,
  closeRequestSchema,
  messageRequestSchema,
  resumeRequestSchema,
  startRequestSchema,
  typingRequestSchema,
} from './chat.schema.js';
import { chatTexts, errorText, offlineText, type ChatErrorCode } from './chat.texts.js';
import {
  acceptConversation,
  assignConversationCase,
  conversationByToken,
  conversationHistory,
  conversationsHeldBy,
  conversationSummary,
  heldBy,
  heldCount,
  insertAgentLine,
  positionInLine,
  transferConversation,
  visibleState,
  visitorLineStored,
  type ConversationRow,
} from './conversation.store.js';

export interface ChatServerOptions {
  httpServer: HttpServer;
  /** Checks the employees' portal's ID token a visitor's chat:start carries (`identity`), when a portal is configured. */
  verifyIdentity?: IdentityVerifier;
  db: Db;
  intake: Intake;
  queues: Queues;
  bus: ChatBus;
  /** A Redis connection to duplicate for the adapter's publisher and subscriber. */
  redis: Redis;
  /** The connection that fails at once while Redis is away (no offline queue), for the start limit. */
  limitRedis?: Redis;
  topics: TopicCache;
  chatTopics: () => Promise<readonly string[]>;
  contact: Contact;
  isOpen: () => boolean;
  maxLength: number;
  /** Events one connection may send per 10 seconds. */
  ratePer10Seconds: number;
  /** Conversations one client (address) may start per hour, across all web nodes. */
  conversationsPerHour: number;
  /** Which proxies to believe about the client's address (TRUST_PROXY), as the HTTP side does. */
  trustProxy: TrustedProxies;
  /** Where the shared counters live in Redis (the queue prefix). */
  keyPrefix: string;
  /** Whether the queues' Redis is connected (a visitor line is routed through it). */
  queueReady: () => boolean;
  allowedOrigins: readonly string[];
  agentToken: string | undefined;
  /** The admin's limit of conversations one agent holds at once. */
  maxChatsPerAgent: () => Promise<number>;
  log: Logger;
}

/** The account number in a workspace agent's name ("Anna Agent (#12)"); agents by token have none. */
const accountOf = (agent: string): number | undefined => {
  const found = /\(#(\d+)\)$/.exec(agent);
  return found ? Number(found[1]) : undefined;
};

/** What a visitor socket remembers of its conversation. */
interface VisitorData {
  conversation?: Pick<ConversationRow, 'id' | 'locale' | 'visitor' | 'topic'> & {
    /** Until when a first line needs no touch (see FIRST_LINE_MS); unset once used or closed. */
    firstLineBy?: number;
  };
}

/**
 * A conversation this socket started moments ago is still `new` when its first line comes:
 * nothing closes a new conversation but its visitor (on this socket) and the idle sweep
 * (after CHAT_IDLE_MINUTES, at least a minute), and its activity is its start. So the first
 * line within this time goes to intake without the touch, one statement fewer per conversation.
 */
const FIRST_LINE_MS = 10_000;

/** How long an event's ack waits for Redis to take its broadcasts before the visitor is told of a delay. */
const PUBLISH_WAIT_MS = 1_000;

/** A refusal the handler chose; anything else thrown is an internal error. */
class ChatRefusal extends Error {
  constructor(
    readonly code: ChatErrorCode,
    readonly values: Record<string, string | number> = {},
    readonly field?: string,
  ) {
    super(code);
  }
}

type Reply = (result: object) => void;

/**
 * The socket.io side of chat: visitors on /chat, agents on /agents, rooms shared across
 * web nodes through the Redis adapter. Every visitor message goes through intake.
 */
export class ChatServer {
  private readonly io: Server;
  private readonly pub: Redis;
  private readonly messageRequest: ReturnType<typeof messageRequestSchema>;
  private readonly writer: ConversationWriter;
  private readonly agentMessage: ReturnType<typeof agentMessageSchema>;
  private readonly sub: Redis;
  private readonly limiter: RateLimiterMemory;
  private readonly starts: RateLimiterRedis;
  private closed = false;

  constructor(private readonly options: ChatServerOptions) {
    // Built once: a zod schema costs far more to build than to check a line with.
    this.messageRequest = messageRequestSchema(options.maxLength);
    this.writer = new ConversationWriter(options.db);
    this.agentMessage = agentMessageSchema(options.maxLength);
    this.pub = options.redis.duplicate({ enableAutoPipelining: true }); // broadcasts of one moment, one write
    this.sub = options.redis.duplicate();
    for (const client of [this.pub, this.sub]) client.on('error', (err) => options.log.warn({ err }, 'chat adapter redis error'));
    watchReplies(this.pub, ['publish'], options.log);
    watchReplies(this.sub, ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'], options.log);
    this.limiter = new RateLimiterMemory({ points: options.ratePer10Seconds, duration: 10 });
    // On the fail-fast connection, with this node's own count while Redis is away: a start never
    // waits for Redis to come back (the queue connection would hold the command until it does).
    this.starts = new RateLimiterRedis({
      storeClient: options.limitRedis ?? options.redis,
      keyPrefix: `${options.keyPrefix}:chat-starts`,
      points: options.conversationsPerHour,
      duration: 3_600,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: options.conversationsPerHour, duration: 3_600 }),
    });
    this.io = new Server(options.httpServer, {
      transports: ['websocket'],
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      allowRequest: (req, callback) => callback(null, this.originAllowed(req)),
      adapter: createAdapter(this.pub, this.sub, { key: options.bus.key }),
    });
    this.visitors(this.io.of(CHAT_NAMESPACE));
    this.agents(this.io.of(AGENTS_NAMESPACE));
  }

  /**
   * Browsers always send Origin on a websocket; clients that are not browsers send none.
   * Loket's own pages (the agents' console) are always allowed: their origin is the host asked.
   */
  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined || this.options.allowedOrigins.includes(origin) || this.options.allowedOrigins.includes('*')) return true;
    return URL.canParse(origin) && new URL(origin).host === req.headers.host;
  }

  /** Disconnects this node's sockets (the others keep theirs) and its adapter connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const namespaces = [this.io.of('/'), this.io.of(CHAT_NAMESPACE), this.io.of(AGENTS_NAMESPACE)];
    for (const nsp of namespaces) nsp.local.disconnectSockets(true);
    // io.close() would close the HTTP server too, which Fastify owns: close the engine and
    // the adapters (their unsubscribes) only, then QUIT, which answers after those replies:
    // a plain disconnect would reject the unsubscribes still on their way.
    this.io.engine.close();
    for (const nsp of namespaces) await nsp.adapter.close();
    await Promise.all([this.pub, this.sub].map((client) => closeRedis(client)));
  }

  private visitors(nsp: Namespace): void {
    nsp.on('connection', (socket: Socket) => {
      const data = socket.data as VisitorData;
      const locale = (): ChatLocale => (data.conversation?.locale === 'en' ? 'en' : 'nl');
      this.handle(socket, 'chat:start', locale, (payload) => this.start(socket, data, payload));
      this.handle(socket, 'chat:message', locale, (payload) => this.message(data, payload));
      this.handle(socket, 'chat:resume', locale, (payload) => this.resume(socket, data, payload));
      this.handle(socket, 'chat:close', locale, async (payload) => {
        const conversation = this.started(data);
        const request = closeRequestSchema.parse(payload ?? {});
        delete conversation.firstLineBy;
        await closeAndTell(this.closing(), conversation.id, 'closed', { transcript: request.transcript });
        return { ok: true };
      });
      this.handle(socket, 'chat:typing', locale, async (payload) => {
        const conversation = this.started(data);
        const { typing } = typingRequestSchema.parse(payload);
        this.options.bus.toAgentsOf(conversation.id, 'agents:typing', { conversationId: conversation.id, typing });
        return { ok: true };
      });
    });
  }

  private async start(socket: Socket, data: VisitorData, payload: unknown): Promise<object> {
    const request = startRequestSchema.parse(payload);
    const identity = request.identity ? await this.identify(request.identity, request.locale) : undefined;
    await this.countStart(socket);
    const known = new Set((await this.options.topics.get()).map((topic) => topic.key));
    const online = this.options.isOpen();
    // The portal's employee number is the person's; one typed in the widget is only their word.
    const employee = identity
      ? { employeeNumber: identity.employeeNumber, verified: { issuer: identity.issuer, subject: identity.subject } }
      : request.employeeNumber
        ? { employeeNumber: request.employeeNumber, employeeNumberUnverified: true as const }
        : {};
    const { row, token } = await this.writer.create({
      visitor: { name: request.name, email: request.email, ...employee },
      topic: request.topic && known.has(request.topic) ? request.topic : null,
      locale: request.locale,
      transcript: request.transcript && request.email !== undefined,
      offline: !online,
    });
    this.follow(socket, data, row);
    if (row.state === 'new' && data.conversation) data.conversation.firstLineBy = Date.now() + FIRST_LINE_MS;
    if (!online) {
      // After the acknowledgement: the visitor learns why and where else to go.
      setImmediate(() => {
        socket.emit('chat:message', {
          id: `offline-${row.id}`,
          from: 'system',
          text: offlineText(request.locale, this.options.contact),
          at: new Date().toISOString(),
        });
        socket.emit('chat:state', { state: 'closed' });
        socket.emit('chat:closed', { reason: 'closed' });
      });
    }
    return { ok: true, conversationId: row.id, token, online };
  }

  /** The portal's word for who the visitor is; a refusal names the field and says why, in the visitor's language. */
  private async identify(token: string, locale: ChatLocale): Promise<PortalIdentity> {
    try {
      if (!this.options.verifyIdentity) throw new PortalIdentityError('off');
      return await this.options.verifyIdentity(token);
    } catch (err) {
      if (err instanceof PortalIdentityError) throw new ChatRefusal('identity', { text: IDENTITY_TEXTS[locale][err.reason] }, 'identity');
      throw err;
    }
  }

  private async message(data: VisitorData, payload: unknown): Promise<object> {
    const conversation = this.started(data);
    const parsed = this.messageRequest.safeParse(payload);
    if (!parsed.success) {
      const tooLong = parsed.error.issues.some((issue) => issue.path[0] === 'text' && issue.code === 'too_big');
      if (tooLong) throw new ChatRefusal('too-long', { max: this.options.maxLength }, 'text');
      throw parsed.error;
    }
    const { clientId, text } = parsed.data;
    const first = conversation.firstLineBy !== undefined && Date.now() < conversation.firstLineBy;
    delete conversation.firstLineBy;
    const state = first ? 'new' : await this.writer.touch(conversation.id);
    if (state === undefined) {
      // A resend of a line stored before the conversation closed (its ack was lost) is fine.
      if (await visitorLineStored(this.options.db, conversation.id, clientId)) return { ok: true };
      throw new ChatRefusal(this.options.isOpen() ? 'closed' : 'offline', { formUrl: this.options.contact.formUrl });
    }
    const receivedAt = new Date();
    const accepted = await this.options.intake.accept({
      channel: 'chat',
      externalId: `${conversation.id}:${clientId}`,
      receivedAt,
      locale: conversation.locale === 'en' ? 'en' : 'nl',
      sender: conversation.visitor,
      // What the case list shows as the case's subject (the topic has a column of its own).
      subject: conversation.locale === 'en' ? 'Chat conversation' : 'Chatgesprek',
      text,
      thread: { conversationId: conversation.id, references: [] },
      topicHint: conversation.topic ?? undefined,
      // Chat answers with the chat policy, not with a mail-style acknowledgement.
      meta: { conversationId: conversation.id, clientId, suppressAutoReply: true },
    });
    if (!accepted.duplicate && state === 'with-agent') {
      const line = { id: `m${accepted.messageId}`, from: 'visitor', text, at: receivedAt.toISOString() };
      this.options.bus.toAgentsOf(conversation.id, 'agents:message', { conversationId: conversation.id, line });
    }
    return { ok: true };
  }

  private async resume(socket: Socket, data: VisitorData, payload: unknown): Promise<object> {
    const { token } = resumeRequestSchema.parse(payload);
    const row = await conversationByToken(this.options.db, token);
    if (!row) throw new ChatRefusal('unknown-token');
    this.follow(socket, data, row);
    const history = await conversationHistory(this.options.db, row.id);
    const position = await positionInLine(this.options.db, row);
    if (position !== undefined) setImmediate(() => socket.emit('chat:state', { state: 'waiting', position }));
    return {
      ok: true,
      conversationId: row.id,
      state: visibleState(row),
      ...(row.closedReason ? { closedReason: row.closedReason } : {}),
      history,
    };
  }

  /**
   * One client starts at most conversationsPerHour conversations (each socket could start
   * one more otherwise): past that, the visitor is told to wait or use the form or phone.
   * With Redis away each node counts its own starts (the insurance limiter), never waiting for it.
   */
  private async countStart(socket: Socket): Promise<void> {
    const client = clientAddressOf(socket.request, this.options.trustProxy) || socket.handshake.address;
    try {
      await this.starts.consume(client);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        throw new ChatRefusal('too-many-conversations', { formUrl: this.options.contact.formUrl, phone: this.options.contact.phone });
      }
      this.options.log.warn({ err }, 'chat start not counted; let through');
    }
  }

  /** The socket follows one conversation at a time. */
  private follow(socket: Socket, data: VisitorData, row: ConversationRow): void {
    if (data.conversation) void socket.leave(conversationRoom(data.conversation.id));
    data.conversation = { id: row.id, locale: row.locale, visitor: row.visitor, topic: row.topic };
    void socket.join(conversationRoom(row.id));
  }

  private started(data: VisitorData): NonNullable<VisitorData['conversation']> {
    if (!data.conversation) throw new ChatRefusal('not-started');
    return data.conversation;
  }

  private agents(nsp: Namespace): void {
    nsp.use((socket, next) => {
      this.identifyAgent(socket).then(
        (agent) => {
          if (!agent) return next(new Error('unauthorized'));
          socket.data.agent = agent.name;
          socket.data.locale = agent.locale;
          next();
        },
        (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
      );
    });
    nsp.on('connection', (socket: Socket) => {
      const agent = socket.data.agent as string;
      // Refusals in the language the agent chose for the workspace.
      const locale = (): ChatLocale => (socket.data.locale as ChatLocale | undefined) ?? 'nl';
      void socket.join([AGENTS_ROOM, agentRoom(agent)]);
      void this.rejoinHeld(socket, agent);
      this.handle(socket, 'agent:accept', locale, async (payload) => {
        const { conversationId } = agentAcceptSchema.parse(payload);
        const max = await this.options.maxChatsPerAgent();
        const row = await acceptConversation(this.options.db, conversationId, agent, max);
        if (!row) throw (await heldCount(this.options.db, agent)) >= max ? new ChatRefusal('limit', { max }) : new ChatRefusal('taken');
        const account = accountOf(agent);
        if (account !== undefined) await assignConversationCase(this.options.db, conversationId, account);
        this.options.bus.follow(agent, conversationId, true);
        this.options.bus.toVisitor(conversationId, 'chat:state', { state: 'with-agent' });
        void this.options.bus.lineChanged();
        return { ok: true, ...(await conversationSummary(this.options.db, conversationId)) };
      });
      this.handle(socket, 'agent:message', locale, async (payload) => {
        const request = this.agentMessage.parse(payload);
        const row = await this.held(request.conversationId, agent);
        const id = await insertAgentLine(this.options.db, row, agent, request.clientId, request.text);
        await this.writer.touch(row.id);
        await this.options.queues.add('deliver', { outboxId: id });
        return { ok: true, id: `o${id}` };
      });
      this.handle(socket, 'agent:typing', locale, async (payload) => {
        const { conversationId, typing } = agentTypingSchema.parse(payload);
        await this.held(conversationId, agent);
        this.options.bus.toVisitor(conversationId, 'chat:typing', { typing });
        return { ok: true };
      });
      this.handle(socket, 'agent:transfer', locale, async (payload) => {
        const { conversationId, to } = agentTransferSchema.parse(payload);
        const row = await transferConversation(this.options.db, conversationId, agent, to);
        if (!row) throw new ChatRefusal('not-yours');
        this.options.bus.follow(agent, conversationId, false);
        if (to) {
          this.options.bus.follow(to, conversationId, true);
          this.options.bus.toAgent(to, 'agents:assigned', await conversationSummary(this.options.db, conversationId));
        } else {
          void this.options.bus.lineChanged();
        }
        return { ok: true };
      });
      this.handle(socket, 'agent:close', locale, async (payload) => {
        const { conversationId } = agentCloseSchema.parse(payload);
        if (!(await closeAndTell(this.closing(), conversationId, 'closed', { onlyAgent: agent }))) throw new ChatRefusal('not-yours');
        return { ok: true };
      });
      void this.options.bus.lineChanged();
    });
  }

  /** A workspace session (its cookie) names the agent; machines and tools use CHAT_AGENT_TOKEN. */
  private async identifyAgent(socket: Socket): Promise<{ name: string; locale: ChatLocale } | undefined> {
    const cookie = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(socket.handshake.headers.cookie ?? '')?.[1];
    if (cookie) {
      const person = await sessionPrincipal(this.options.db, decodeURIComponent(cookie));
      // Names are not unique; the account number makes the agent one person.
      return person && { name: `${person.name} (#${person.id})`, locale: person.locale ?? 'nl' };
    }
    const auth = agentAuthSchema.safeParse(socket.handshake.auth);
    return auth.success && this.agentTokenMatches(auth.data.token) ? { name: auth.data.agent, locale: 'nl' } : undefined;
  }

  private agentTokenMatches(token: string): boolean {
    const expected = this.options.agentToken;
    if (!expected) return false;
    return sameSecret(token, expected);
  }

  /** A reconnecting agent (a reloaded console) follows the conversations they hold again, and is shown them. */
  private async rejoinHeld(socket: Socket, agent: string): Promise<void> {
    const held = await conversationsHeldBy(this.options.db, agent);
    if (held.length > 0) await socket.join(held.map((id) => conversationRoom(id)));
    const summaries = await Promise.all(held.map((id) => conversationSummary(this.options.db, id)));
    socket.emit('agents:held', { conversations: summaries.filter((summary) => summary !== undefined) });
  }

  private async held(conversationId: string, agent: string): Promise<ConversationRow> {
    const row = await heldBy(this.options.db, conversationId, agent);
    if (!row) throw new ChatRefusal('not-yours');
    return row;
  }

  private closing() {
    return { db: this.options.db, bus: this.options.bus, queues: this.options.queues, log: this.options.log };
  }

  /**
   * One event: rate-limited, its payload checked, every refusal answered in the ack (or as
   * a `chat:error` event when the client gave no ack), never a crash or a silent drop.
   */
  private handle(socket: Socket, event: string, locale: () => ChatLocale, handler: (payload: unknown) => Promise<object>): void {
    socket.on(event, async (...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Reply) : undefined;
      const payload = args[0];
      const reply: Reply = (result) => {
        if (ack) ack(result);
        else if ((result as { ok?: boolean }).ok === false) socket.emit('chat:error', { event, ...(result as ErrorAck), ok: undefined });
      };
      try {
        await this.limiter.consume(socket.id);
      } catch {
        return reply(this.refusal(locale(), new ChatRefusal('rate-limited')));
      }
      try {
        const result = await handler(payload);
        // What the handler emitted is out before the client hears back. If Redis is away the
        // action still stands (it is stored, its events wait for the reconnect) and the
        // others catch up on resume; the visitor hears at once that it may take a while.
        // Redis away: the line is stored, but its routing job waits for the reconnect.
        if (!(await this.published(event)) || !this.options.queueReady()) {
          this.tellDelay(socket, locale());
          return reply({ ...result, delayed: true });
        }
        reply(result);
      } catch (err) {
        if (err instanceof ChatRefusal) return reply(this.refusal(locale(), err));
        if (err instanceof ZodError) {
          const field = err.issues[0]?.path.join('.') || 'payload';
          return reply(this.refusal(locale(), new ChatRefusal('invalid', { field }, field)));
        }
        this.options.log.error({ err, event, conversationId: (socket.data as VisitorData).conversation?.id }, 'chat event failed');
        reply(this.refusal(locale(), new ChatRefusal('internal')));
      }
    });
  }

  /** Whether the events of this moment reached Redis within PUBLISH_WAIT_MS. */
  private async published(event: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PUBLISH_WAIT_MS)));
    const flushed = this.options.bus.flush().then(
      () => true,
      (err: unknown) => {
        this.options.log.warn({ err, event }, 'chat events not published');
        return false;
      },
    );
    try {
      return await Promise.race([flushed, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A line from the contact center on this socket only (it needs no Redis): a delay, once a minute at most. */
  private tellDelay(socket: Socket, locale: ChatLocale): void {
    const data = socket.data as VisitorData & { delayToldAt?: number };
    if (data.delayToldAt !== undefined && Date.now() - data.delayToldAt < 60_000) return;
    data.delayToldAt = Date.now();
    socket.emit('chat:message', { id: `delay-${Date.now()}`, from: 'system', text: chatTexts(locale).delayed, at: new Date().toISOString() });
  }

  private refusal(locale: ChatLocale, refusal: ChatRefusal): ErrorAck {
    return {
      ok: false,
      error: refusal.code,
      message: errorText(locale, refusal.code, { formUrl: this.options.contact.formUrl, ...refusal.values }),
      ...(refusal.field ? { field: refusal.field } : {}),
    };
  }
}

/**
 * The Redis adapter sends some commands without ever looking at their replies: its
 * publishes, its subscribes when a namespace is first used, and its unsubscribes when it
 * closes. With Redis hung or gone (or a stop right after a start, before the subscribes were
 * answered), ioredis rejects them when the connection is cut, and an unhandled rejection
 * would stop the process. Each reply gets a handler; by then the connection is being
 * closed, so a debug line is enough.
 */
function watchReplies(client: Redis, commands: readonly ('publish' | 'subscribe' | 'psubscribe' | 'unsubscribe' | 'punsubscribe')[], log: Logger): void {
  const methods = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const command of commands) {
    const send = methods[command]!.bind(client);
    methods[command] = (...args: unknown[]) => {
      const reply = send(...args);
      reply.catch((err: unknown) => log.debug({ err, command }, 'chat adapter command not answered'));
      return reply;
    };
  }
}

/**
 * QUIT when connected (Redis answers what is on its way first), so nothing pending is
 * rejected; a client that is not connected would queue the QUIT until Redis is back: cut it.
 */
async function closeRedis(client: Redis): Promise<void> {
  if (client.status !== 'ready') return client.disconnect();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)));
  await Promise.race([client.quit().catch(() => undefined), late]);
  clearTimeout(timer);
  client.disconnect();
}
