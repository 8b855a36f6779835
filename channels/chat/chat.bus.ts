import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../../src/db/database.js';
import { TransientError } from '../../src/errors.js';
import { AGENTS_NAMESPACE, CHAT_NAMESPACE, type ChatLine, type ClosedReason } from './chat.protocol.js';
import { waitingLine } from './conversation.store.js';

/** Rooms: a conversation's visitors and agents, every agent, one agent's sockets. */
export const conversationRoom = (id: string) => `conv:${id}`;
export const AGENTS_ROOM = 'agents';
export const agentRoom = (name: string) => `agent:${name}`;

/**
 * Reaches chat sockets on every web node from any process (web or worker) through the
 * socket.io Redis adapter's channel. Publishes are awaited (`flush`), so a sender knows
 * whether Redis took the event.
 */
export class ChatBus {
  private readonly emitter: Emitter;
  private pending: Promise<unknown>[] = [];
  private lineDirty = false;
  private lineRunning: Promise<void> | undefined;

  constructor(
    redis: Redis,
    /** The adapter's key (the Redis channel prefix); every node and worker uses the same. */
    readonly key: string,
    private readonly db: Db,
    private readonly log: Logger,
  ) {
    // The emitter publishes and forgets; this publisher keeps each publish's promise.
    const publisher = {
      publish: (channel: string, message: string | Buffer) => {
        const sent = redis.publish(channel, message);
        // Handled here so a publish nobody flushes (a process closing) is no unhandled rejection;
        // flush() still sees the failure.
        sent.catch(() => undefined);
        this.pending.push(sent);
        return sent;
      },
    };
    this.emitter = new Emitter(publisher, { key });
  }

  /** Waits until Redis took everything emitted so far. */
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    try {
      await Promise.all(pending);
    } catch (err) {
      throw new TransientError(`chat event not published: ${String(err)}`, 'CHAT_PUBLISH');
    }
  }

  toVisitor(conversationId: string, event: string, payload: unknown): void {
    this.emitter.of(CHAT_NAMESPACE).to(conversationRoom(conversationId)).emit(event, payload);
  }

  line(conversationId: string, line: ChatLine): void {
    this.toVisitor(conversationId, 'chat:message', line);
  }

  closed(conversationId: string, reason: ClosedReason): void {
    this.toVisitor(conversationId, 'chat:state', { state: 'closed' });
    this.toVisitor(conversationId, 'chat:closed', { reason });
    this.toAgentsOf(conversationId, 'agents:closed', { conversationId, reason });
  }

  toAgentsOf(conversationId: string, event: string, payload: unknown): void {
    this.emitter.of(AGENTS_NAMESPACE).to(conversationRoom(conversationId)).emit(event, payload);
  }

  toAgent(agent: string, event: string, payload: unknown): void {
    this.emitter.of(AGENTS_NAMESPACE).to(agentRoom(agent)).emit(event, payload);
  }

  /** Every socket of `agent`, on any node, follows the conversation (or stops following it). */
  follow(agent: string, conversationId: string, following: boolean): void {
    const sockets = this.emitter.of(AGENTS_NAMESPACE).in(agentRoom(agent));
    if (following) sockets.socketsJoin(conversationRoom(conversationId));
    else sockets.socketsLeave(conversationRoom(conversationId));
  }

  /**
   * The waiting line changed: every agent gets it, every waiting visitor their place.
   * Calls that come while one runs are folded into one more run, so the last snapshot
   * published is never older than the last change.
   */
  lineChanged(): Promise<void> {
    this.lineDirty = true;
    this.lineRunning ??= (async () => {
      try {
        while (this.lineDirty) {
          this.lineDirty = false;
          const waiting = await waitingLine(this.db);
          this.emitter.of(AGENTS_NAMESPACE).to(AGENTS_ROOM).emit('agents:queue', { waiting });
          for (const entry of waiting) this.toVisitor(entry.conversationId, 'chat:state', { state: 'waiting', position: entry.position });
          await this.flush();
        }
      } catch (err) {
        this.log.warn({ err }, 'waiting line not published');
      } finally {
        this.lineRunning = undefined;
      }
    })();
    return this.lineRunning;
  }
}
