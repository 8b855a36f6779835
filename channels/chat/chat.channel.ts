import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { closeCaseAutomatically } from '../../src/case.store.js';
import { PermanentError } from '../../src/errors.js';
import type { Intake } from '../../src/intake.js';
import type { AnswerRequest, AnswerRoute, Channel, OutboundMessage, Receipt, RoutedMessage } from '../../src/channel.js';
import type { ClaimedOutbox } from '../../src/outbox.js';
import type { ConversationPolicy } from '../../src/routing/settings.js';
import { addressChatAnswer } from './chat.answer.js';
import { closeIdle } from './chat.closing.js';
import { applyChatPolicy, chatConversationPolicy, type ChatPolicyContext } from './chat.policy.js';
import type { ChatBus } from './chat.bus.js';
import type { ClosedReason } from './chat.protocol.js';
import { registerChatRoutes } from './chat.routes.js';
import { registerChatConsole } from './console/console.page.js';
import { ChatServer, type ChatServerOptions } from './chat.server.js';
import { CHAT_ANSWER_KIND } from './conversation.store.js';

export interface ChatChannelOptions {
  /** Present in processes that receive (web, all): sockets and the widget are served there. */
  app?: FastifyInstance;
  bus: ChatBus;
  server: Omit<ChatServerOptions, 'httpServer' | 'intake' | 'bus'>;
  widgetFile: string;
  /** The agents' chat console script (built beside the widget). */
  consoleFile: string;
  /** A conversation nobody wrote in for this long is closed (the sweep). */
  idleMinutes: number;
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
    registerChatConsole(app, {
      db: this.options.server.db,
      topics: this.options.server.topics,
      maxChatsPerAgent: this.options.server.maxChatsPerAgent,
      consoleFile: this.options.consoleFile,
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

  /** The chat-only rule, decided in the statement that opens a conversation's first case. */
  async conversationPolicy(): Promise<ConversationPolicy> {
    return chatConversationPolicy(await this.policyContext());
  }

  /** The chat-only rule for a line routing did not decide (a retry, a line that joined a case); the line hears who waits. */
  async afterRoute({ decided, ...routed }: RoutedMessage): Promise<(number | ClaimedOutbox)[]> {
    if (decided) {
      // Its closing answer was among the rows routing wrote claimed.
      if (decided.state === 'waiting') await this.options.bus.lineChanged();
      else await this.closeRedirected(routed.caseId);
      return [];
    }
    const outcome = await applyChatPolicy(this.options.server.db, routed, await this.policyContext());
    if (outcome.kind === 'waiting') await this.options.bus.lineChanged();
    // Also when an earlier run decided it: a job run again after a crash finishes the closing.
    await this.closeRedirected(routed.caseId);
    return outcome.kind === 'redirected' ? [outcome.redirect] : [];
  }

  /** A chat redirected to form, mail and phone is answered: its case leaves the open queue. */
  private async closeRedirected(caseId: number): Promise<void> {
    await closeCaseAutomatically(
      this.options.server.db,
      caseId,
      'chat-redirected',
      sql`exists (select 1 from conversations c where c.case_id = cases.id and c.closed_reason = 'redirected')
          and not exists (select 1 from audit a where a.entity = 'case' and a.entity_id = cases.reference and a.action = 'case.reopen')`,
    );
  }

  addressAnswer(request: AnswerRequest): Promise<AnswerRoute> {
    return addressChatAnswer(this.options.server.db, request);
  }

  /** Closes conversations idle for idleMinutes. */
  async sweep(): Promise<Record<string, number>> {
    const { db, queues, log } = this.options.server;
    return { idleConversations: await closeIdle({ db, bus: this.options.bus, queues, log }, this.options.idleMinutes) };
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  private async policyContext(): Promise<ChatPolicyContext> {
    const { chatTopics, topics, contact } = this.options.server;
    return { chatTopics: await chatTopics(), topics: await topics.get(), contact };
  }
}
