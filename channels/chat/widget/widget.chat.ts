import type { ChatConfig, ClosedReason, StartRequest } from '../chat.protocol.js';
import { fetchConfig, openSocket, request, type ChatSocket } from './widget.connection.js';
import { ConversationView } from './widget.conversation.js';
import { messageView, offlineView } from './widget.offline.js';
import { Outbox, newClientId } from './widget.outbox.js';
import { Panel } from './widget.panel.js';
import { prechatForm } from './widget.prechat.js';
import { clearSession, loadSession, saveSession, type StoredSession } from './widget.session.js';
import type { WidgetSettings } from './widget.settings.js';
import { TEXTS, type Texts } from './widget.texts.js';

const SERVER_DISCONNECT_RETRY_MS = 3000;

/** The widget's behaviour: which view shows, and the conversation over the socket. */
export class ChatWidget {
  private readonly t: Texts;
  private readonly panel: Panel;
  private readonly outbox = new Outbox();
  private session: StoredSession | undefined = loadSession();
  private config: ChatConfig | undefined;
  private configLoad: Promise<ChatConfig | undefined> | undefined;
  private socket: ChatSocket | undefined;
  private conversation: ConversationView | undefined;
  /** The socket speaks for the current conversation (after start or resume on this connection). */
  private bound = false;
  private rendered = false;

  constructor(private readonly settings: WidgetSettings) {
    this.t = TEXTS[settings.locale];
    this.panel = new Panel(this.t, (open) => this.onToggle(open));
  }

  /** Adds the launcher to the page; a conversation from before a reload resumes straight away. */
  mount(parent: HTMLElement): void {
    parent.append(this.panel.root);
    if (!this.session) return;
    if (this.session.open) this.panel.open(false);
    else void this.render();
  }

  open(): void {
    this.panel.open(true);
  }

  close(): void {
    this.panel.close();
  }

  private onToggle(open: boolean): void {
    if (this.session) this.remember({ ...this.session, open });
    if (open && !this.rendered) void this.render();
  }

  private async render(): Promise<void> {
    this.rendered = true;
    const config = await this.loadConfig();
    if (!config) return;
    if (this.session) this.showConversation(config);
    else if (!config.online) this.panel.show(offlineView(this.t, config.contact));
    else this.showPrechat(config);
  }

  private async loadConfig(): Promise<ChatConfig | undefined> {
    if (this.config) return this.config;
    this.panel.show(messageView(this.t.loading));
    this.configLoad ??= fetchConfig(this.settings.server).then(
      (config) => (this.config = config),
      () => undefined, // shown below; the visitor can try again
    );
    const config = await this.configLoad;
    this.configLoad = undefined;
    if (!config) this.panel.show(messageView(this.t.configFailed, { label: this.t.retry, onClick: () => void this.render() }));
    return config;
  }

  private showPrechat(config: ChatConfig): void {
    const prechat = prechatForm(this.t, this.settings.locale, config, (start) => void this.start(config, start, prechat));
    this.panel.show(prechat.element);
  }

  private async start(config: ChatConfig, start: StartRequest, prechat: ReturnType<typeof prechatForm>): Promise<void> {
    prechat.setBusy(true);
    this.panel.clearError();
    const socket = this.ensureSocket();
    // Created before the request: chat:state and chat:message may arrive before the ack does.
    const conversation = (this.conversation = this.newConversation(config));
    const reply = await request(socket, 'chat:start', this.settings.identity ? { ...start, identity: this.settings.identity } : start);
    prechat.setBusy(false);
    if (!reply || !reply.ok || !reply.online) this.conversation = undefined;
    if (!reply) return this.showError(this.t.noAnswer);
    if ((!reply.ok && reply.error === 'offline') || (reply.ok && !reply.online)) {
      this.dropSocket();
      return this.panel.show(offlineView(this.t, config.contact));
    }
    if (!reply.ok) {
      if (!reply.field || !prechat.showFieldError(reply.field, reply.message)) this.showError(reply.message);
      return;
    }
    this.remember({ token: reply.token, conversationId: reply.conversationId, open: this.panel.isOpen });
    this.bound = true;
    conversation.assumeWaiting();
    this.panel.show(conversation.element);
  }

  private showConversation(config: ChatConfig): void {
    this.conversation ??= this.newConversation(config);
    this.panel.show(this.conversation.element);
    this.ensureSocket();
  }

  private newConversation(config: ChatConfig): ConversationView {
    return new ConversationView(this.t, this.settings.locale, config.maxLength, {
      send: (text) => this.send(text),
      typing: (typing) => {
        if (this.bound) this.socket?.volatile.emit('chat:typing', { typing });
      },
      end: () => void this.end(),
      restart: () => this.restart(),
    });
  }

  private ensureSocket(): ChatSocket {
    if (this.socket) return this.socket;
    const socket = (this.socket = openSocket(this.settings.server));
    socket.on('connect', () => void this.onConnect());
    socket.on('disconnect', (reason) => {
      this.bound = false;
      this.conversation?.setConnected(false);
      // socket.io gives up when the server hung up on purpose (a restart, a kicked
      // connection); a visitor in a conversation wants it back all the same.
      if (reason === 'io server disconnect') {
        setTimeout(() => this.socket === socket && this.session && socket.connect(), SERVER_DISCONNECT_RETRY_MS);
      }
    });
    socket.on('chat:message', (line) => this.conversation?.log.add(line));
    socket.on('chat:state', (event) => this.conversation?.setState(event.state, event.position));
    socket.on('chat:closed', (event) => this.conversation?.setClosed(event.reason));
    socket.on('chat:typing', (event) => this.conversation?.setTyping(event.typing));
    socket.on('chat:error', (event) => this.showError(event.message));
    return socket;
  }

  private dropSocket(): void {
    this.socket?.disconnect();
    this.socket = undefined;
    this.bound = false;
  }

  /** On every (re)connect: resume, resend what the server never acknowledged, then resync. */
  private async onConnect(): Promise<void> {
    this.conversation?.setConnected(true);
    if (!this.session || !(await this.resume())) return;
    if (this.outbox.entries().length === 0) return;
    await Promise.all(this.outbox.entries().map(([clientId]) => this.deliver(clientId)));
    // A resent message may have reached the server before the connection dropped: the
    // history, not the local copy, is the truth.
    await this.resume();
  }

  private async resume(): Promise<boolean> {
    const session = this.session;
    const socket = this.socket;
    if (!session || !socket) return false;
    const reply = await request(socket, 'chat:resume', { token: session.token });
    if (session !== this.session || socket !== this.socket) return false;
    if (!reply) {
      this.showError(this.t.noAnswer);
      return false;
    }
    if (!reply.ok) {
      if (reply.error !== 'unknown-token') this.showError(reply.message);
      else this.restart();
      return false;
    }
    this.bound = true;
    this.panel.clearError();
    this.remember({ ...session, conversationId: reply.conversationId });
    const conversation = this.conversation;
    if (!conversation) return true;
    conversation.log.replace(reply.history);
    for (const [clientId, text] of this.outbox.entries()) conversation.log.addOwn(clientId, text);
    conversation.setState(reply.state, undefined, reply.closedReason);
    return true;
  }

  private send(text: string): void {
    const clientId = newClientId();
    this.panel.clearError();
    this.outbox.add(clientId, text);
    this.conversation?.log.addOwn(clientId, text);
    void this.deliver(clientId);
  }

  /** Sends one queued message until the server answers; a disconnect leaves it for onConnect. */
  private async deliver(clientId: string): Promise<void> {
    for (;;) {
      const text = this.outbox.text(clientId);
      const socket = this.socket;
      if (text === undefined || !socket?.connected || !this.bound) return;
      const reply = await request(socket, 'chat:message', { clientId, text });
      if (!reply) continue; // same clientId again: the server counts it once
      if (this.outbox.text(clientId) === undefined) return;
      this.outbox.remove(clientId);
      if (reply.ok) this.conversation?.log.markSent(clientId);
      else {
        this.conversation?.log.markFailed(clientId, reply.message);
        this.showError(reply.message);
      }
      return;
    }
  }

  private async end(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    const reply = await request(socket, 'chat:close', {});
    if (!reply) return this.showError(this.t.noAnswer);
    if (!reply.ok) return this.showError(reply.message);
    if (!this.conversation?.isClosed) this.conversation?.setClosed('closed' satisfies ClosedReason);
  }

  /** Forgets the conversation and shows the pre-chat (or the offline view) again. */
  private restart(): void {
    clearSession();
    this.session = undefined;
    this.outbox.clear();
    this.conversation = undefined;
    this.config = undefined; // office hours may have ended meanwhile
    this.dropSocket();
    this.panel.clearError();
    void this.render();
  }

  /** Into the alert region; the log keeps its last line in view as the alert takes room. */
  private showError(message: string): void {
    this.panel.showError(message);
    this.conversation?.log.scrollToEnd();
  }

  private remember(session: StoredSession): void {
    this.session = session;
    saveSession(session);
  }
}
