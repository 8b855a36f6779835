import type { FastifyInstance } from 'fastify';
import { PermanentError } from '../../src/errors.js';
import type { Intake } from '../../src/intake.js';
import type { Channel, OutboundMessage, Receipt } from '../channel.js';
import type { ChatBus } from './chat.bus.js';
import type { ClosedReason } from './chat.protocol.js';
import { registerChatRoutes } from './chat.routes.js';
import { ChatServer, type ChatServerOptions } from './chat.server.js';
import { CHAT_ANSWER_KIND } from './conversation.store.js';

export interface ChatChannelOptions {
  /** Present in processes that receive (web, all): sockets and the widget are served there. */
  app?: FastifyInstance;
  bus: ChatBus;
  server: Omit<ChatServerOptions, 'httpServer' | 'intake' | 'bus'>;
  widgetFile: string;
}

/**
 * Chat over socket.io. Visitors' messages come in through the chat server; lines leave
 * as outbox rows published to the conversation's room on every web node.
 */
export class ChatChannel implements Channel {
  readonly name = 'chat' as const;
  private server: ChatServer | undefined;

  constructor(private readonly options: ChatChannelOptions) {}

  async start(intake: Intake): Promise<void> {
    const { app } = this.options;
    if (!app) throw new Error('the chat channel needs the HTTP app to receive');
    this.server = new ChatServer({ ...this.options.server, httpServer: app.server, intake, bus: this.options.bus });
    registerChatRoutes(app, {
      topics: this.options.server.topics,
      chatTopics: this.options.server.chatTopics,
      contact: this.options.server.contact,
      isOpen: this.options.server.isOpen,
      maxLength: this.options.server.maxLength,
      allowedOrigins: this.options.server.allowedOrigins,
      widgetFile: this.options.widgetFile,
    });
    // Sockets go before Fastify closes the HTTP server, or open websockets would hold it.
    app.addHook('preClose', async () => this.server?.close());
  }

  async send(out: OutboundMessage): Promise<Receipt> {
    const conversationId = out.meta['conversationId'];
    if (typeof conversationId !== 'string') throw new PermanentError(`outbox row ${out.outboxId} names no conversation`, 'NO_CONVERSATION');
    const { bus } = this.options;
    bus.line(conversationId, {
      id: `o${out.outboxId}`,
      from: out.kind === CHAT_ANSWER_KIND ? 'agent' : 'system',
      text: out.body,
      at: out.createdAt.toISOString(),
    });
    const closes = out.meta['closes'] as ClosedReason | undefined;
    if (closes) bus.closed(conversationId, closes);
    await bus.flush();
    return { channel: 'chat', at: new Date().toISOString(), conversationId };
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
