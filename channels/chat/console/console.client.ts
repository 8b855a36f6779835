/**
 * The agents' chat console in the browser (bundled into /werkplek/chats.js). It speaks the
 * /agents protocol of chat.protocol.ts with the workspace session's cookie: the waiting line
 * live, accept, the conversations held (typing both ways), transfer and close. Every text
 * from a visitor goes into the page as text, never as markup. What it says comes from the
 * page (ConsoleData.texts), in the agent's language.
 */
import { io, type Socket } from 'socket.io-client';
import type { ChatLine, ClosedReason, ConversationSummary, ErrorAck, QueueEntry } from '../chat.protocol.js';
import type { ConsoleData, ConsoleTexts } from './console.page.js';

type Ack = { ok: true } | ErrorAck;

const TYPING_IDLE_MS = 3_000;
const REASONS: readonly ClosedReason[] = ['closed', 'timeout', 'redirected'];

/** A text of the page with its `{name}`-style places filled in (once: a filled-in value is never read again). */
function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (place, key: string) => (key in values ? String(values[key]) : place));
}

interface Session {
  id: string;
  root: HTMLElement;
  log: HTMLElement;
  typing: HTMLElement;
  input: HTMLTextAreaElement;
  seen: Set<string>;
  closed: boolean;
  typingTimer?: ReturnType<typeof setTimeout>;
  typingSent: boolean;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const byId = (id: string) => document.getElementById(id)!;

function waitedFor(t: ConsoleTexts, since: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  if (minutes < 1) return t.waitedUnderMinute;
  return minutes === 1 ? t.waitedMinute : fill(t.waitedMinutes, { minutes });
}

/** What to tell the agent when an event failed: the server's words, or the fallback when it did not answer. */
function failure(err: Error | null, ack: { ok: boolean; message?: string } | undefined, fallback: string): string {
  return !err && ack && !ack.ok && ack.message ? ack.message : fallback;
}

class ChatConsole {
  private readonly sessions = new Map<string, Session>();
  private queue: QueueEntry[] = [];
  private readonly socket: Socket;
  private counter = 0;
  private readonly t: ConsoleTexts;
  private readonly clock: Intl.DateTimeFormat;

  constructor(private readonly data: ConsoleData) {
    const t = (this.t = data.texts);
    this.clock = new Intl.DateTimeFormat(t.clockLocale, { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' });
    this.socket = io('/agents', { transports: ['websocket'], withCredentials: true });
    this.socket.on('connect', () => this.status(t.connected));
    this.socket.on('disconnect', () => this.status(t.disconnected));
    this.socket.on('connect_error', () => this.status(t.connectError));
    this.socket.on('agents:queue', (payload: { waiting: QueueEntry[] }) => this.showQueue(payload.waiting));
    this.socket.on('agents:held', (payload: { conversations: ConversationSummary[] }) => {
      for (const summary of payload.conversations) this.open(summary);
    });
    this.socket.on('agents:assigned', (summary: ConversationSummary) => {
      this.open(summary);
      this.announce(fill(t.assigned, { name: summary.name || t.aVisitor }));
    });
    this.socket.on('agents:message', (payload: { conversationId: string; line: ChatLine }) => {
      const session = this.sessions.get(payload.conversationId);
      if (!session) return;
      this.append(session, payload.line);
      this.showTyping(session, false);
    });
    this.socket.on('agents:typing', (payload: { conversationId: string; typing: boolean }) => {
      const session = this.sessions.get(payload.conversationId);
      if (session) this.showTyping(session, payload.typing);
    });
    this.socket.on('agents:closed', (payload: { conversationId: string; reason: ClosedReason }) => {
      const session = this.sessions.get(payload.conversationId);
      if (session) this.markClosed(session, t[REASONS.includes(payload.reason) ? payload.reason : 'closed']);
    });
    setInterval(() => this.renderQueue(), 15_000);
  }

  private status(text: string): void {
    byId('console-status').textContent = text;
  }

  private alert(text: string): void {
    const node = byId('console-alert');
    node.textContent = '';
    setTimeout(() => (node.textContent = text), 50);
  }

  private announce(text: string): void {
    this.status(text);
  }

  private topicName(topic: string | null): string {
    return topic ? (this.data.topics[topic] ?? topic) : this.t.otherTopic;
  }

  private showQueue(waiting: QueueEntry[]): void {
    const before = new Set(this.queue.map((entry) => entry.conversationId));
    const fresh = waiting.filter((entry) => !before.has(entry.conversationId));
    this.queue = waiting;
    this.renderQueue();
    if (fresh.length === 1) {
      const topic = this.topicName(fresh[0]!.topic);
      this.announce(fresh[0]!.name ? fill(this.t.newChat, { name: fresh[0]!.name, topic }) : fill(this.t.newChatNoName, { topic }));
    } else if (fresh.length > 1) this.announce(fill(this.t.newChats, { count: fresh.length }));
  }

  private renderQueue(): void {
    const list = byId('chat-queue');
    byId('queue-count').textContent = String(this.queue.length);
    byId('queue-empty').hidden = this.queue.length > 0;
    const t = this.t;
    document.title = this.queue.length > 0 ? `(${this.queue.length}) ${t.title}` : t.title;
    const full = this.held() >= this.data.maxPerAgent;
    list.replaceChildren(
      ...this.queue.map((entry) => {
        const item = element('li', { 'data-conversation': entry.conversationId });
        const name = entry.name || t.nameless;
        item.append(
          element('strong', {}, name),
          document.createTextNode(` — ${this.topicName(entry.topic)}`),
          element('br'),
          element('span', { class: 'meta' }, waitedFor(t, entry.waitingSince)),
        );
        if (entry.firstLine) item.append(element('p', { class: 'first-line' }, `“${entry.firstLine}”`));
        const accept = element('button', { type: 'button' }, t.accept);
        accept.setAttribute('aria-label', fill(t.acceptLabel, { name }));
        if (full) {
          accept.disabled = true;
          accept.title = fill(t.full, { max: this.data.maxPerAgent });
        }
        accept.addEventListener('click', () => this.accept(entry.conversationId, accept));
        item.append(accept);
        return item;
      }),
    );
  }

  private held(): number {
    return [...this.sessions.values()].filter((session) => !session.closed).length;
  }

  private accept(conversationId: string, button: HTMLButtonElement): void {
    button.disabled = true;
    this.socket.timeout(10_000).emit('agent:accept', { conversationId }, (err: Error | null, ack: (ConversationSummary & { ok: true }) | ErrorAck) => {
      if (err) {
        button.disabled = false;
        return this.alert(this.t.noAnswer);
      }
      if (!ack.ok) {
        button.disabled = false;
        return this.alert(ack.message);
      }
      const session = this.open(ack);
      session.input.focus();
    });
  }

  /** The panel of a conversation this agent holds (made once; a second call only adds what is new). */
  private open(summary: ConversationSummary): Session {
    const existing = this.sessions.get(summary.conversationId);
    if (existing && !existing.closed) {
      for (const line of summary.history) this.append(existing, line);
      return existing;
    }
    existing?.root.remove();
    const t = this.t;
    const key = `chat-${++this.counter}`;
    const name = summary.name || t.nameless;
    const root = element('article', { class: 'chat-session', 'aria-labelledby': `${key}-title`, 'data-conversation': summary.conversationId });
    const title = element('h3', { id: `${key}-title` }, `${name} — ${this.topicName(summary.topic)}`);
    const facts = element('p', { class: 'meta' });
    if (summary.reference) {
      facts.append(
        t.case,
        element('a', { href: `/werkplek/zaken/${encodeURIComponent(summary.reference)}`, target: '_blank', rel: 'noopener' }, summary.reference),
      );
    } else facts.textContent = t.caseComing;
    const log = element('div', { class: 'chat-log', role: 'log', 'aria-live': 'polite', 'aria-label': fill(t.logLabel, { name }) });
    const typing = element('p', { class: 'typing', 'aria-live': 'polite' });
    const form = element('form', { 'aria-label': fill(t.formLabel, { name }) });
    const label = element('label', { for: `${key}-text` }, fill(t.inputLabel, { name }));
    const hint = element('span', { class: 'hint', id: `${key}-hint` }, t.inputHint);
    label.append(hint);
    const input = element('textarea', { id: `${key}-text`, rows: '3', 'aria-describedby': `${key}-hint` });
    const send = element('button', { type: 'submit' }, t.send);
    form.append(label, input, send);

    const actions = element('div', { class: 'actions' });
    const transfer = element('div', { class: 'transfer' });
    const select = element('select', { id: `${key}-to` });
    select.append(element('option', { value: '' }, t.toQueue));
    for (const colleague of this.data.colleagues) select.append(element('option', { value: colleague.agent }, colleague.name));
    const transferLabel = element('label', { for: `${key}-to` }, t.transferTo);
    const transferButton = element('button', { type: 'button', class: 'secondary' }, t.transfer);
    const wrap = element('div');
    wrap.append(transferLabel, select);
    transfer.append(wrap, transferButton);
    const close = element('button', { type: 'button', class: 'secondary' }, t.close);
    actions.append(transfer, close);

    root.append(title, facts, log, typing, form, actions);
    byId('chat-sessions').append(root);
    const session: Session = { id: summary.conversationId, root, log, typing, input, seen: new Set(), closed: false, typingSent: false };
    this.sessions.set(summary.conversationId, session);
    for (const line of summary.history) this.append(session, line);
    this.renderCounts();

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send(session);
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.send(session);
      }
    });
    input.addEventListener('input', () => this.typed(session));
    transferButton.addEventListener('click', () => {
      const to = select.value || undefined;
      this.socket.timeout(10_000).emit('agent:transfer', { conversationId: session.id, ...(to ? { to } : {}) }, (err: Error | null, ack: Ack) => {
        if (err || !ack.ok) return this.alert(failure(err, ack, t.transferFailed));
        this.remove(session);
        this.announce(to ? fill(t.transferred, { to: select.selectedOptions[0]?.textContent ?? to }) : t.requeued);
      });
    });
    close.addEventListener('click', () => {
      if (session.closed) return this.remove(session);
      this.socket.timeout(10_000).emit('agent:close', { conversationId: session.id }, (err: Error | null, ack: Ack) => {
        if (err || !ack.ok) return this.alert(failure(err, ack, t.closeFailed));
        this.markClosed(session, t.closed);
      });
    });
    return session;
  }

  private append(session: Session, line: ChatLine): void {
    if (session.seen.has(line.id)) return;
    session.seen.add(line.id);
    const who = line.from === 'visitor' ? this.t.visitor : line.from === 'agent' ? this.t.agent : this.t.system;
    const item = element('div', { class: `line ${line.from}`, 'data-line': line.id });
    item.append(element('span', { class: 'who' }, `${who}, ${this.clock.format(new Date(line.at))}`), document.createTextNode(line.text));
    session.log.append(item);
    session.log.scrollTop = session.log.scrollHeight;
  }

  private send(session: Session): void {
    const text = session.input.value.trim();
    if (!text || session.closed) return;
    const clientId = `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    session.input.value = '';
    this.stopTyping(session);
    this.socket
      .timeout(10_000)
      .emit('agent:message', { conversationId: session.id, clientId, text }, (err: Error | null, ack: { ok: true; id: string } | ErrorAck) => {
        if (err || !ack.ok) {
          // The text is not lost: it goes back into the box.
          if (!session.input.value) session.input.value = text;
          return this.alert(failure(err, ack, this.t.notSent));
        }
        this.append(session, { id: ack.id, from: 'agent', text, at: new Date().toISOString() });
      });
  }

  private typed(session: Session): void {
    if (session.closed) return;
    if (!session.typingSent) {
      session.typingSent = true;
      this.socket.emit('agent:typing', { conversationId: session.id, typing: true });
    }
    clearTimeout(session.typingTimer);
    session.typingTimer = setTimeout(() => this.stopTyping(session), TYPING_IDLE_MS);
  }

  private stopTyping(session: Session): void {
    clearTimeout(session.typingTimer);
    if (!session.typingSent) return;
    session.typingSent = false;
    if (!session.closed) this.socket.emit('agent:typing', { conversationId: session.id, typing: false });
  }

  private showTyping(session: Session, typing: boolean): void {
    session.typing.textContent = typing ? this.t.typing : '';
  }

  private markClosed(session: Session, text: string): void {
    if (session.closed) return;
    session.closed = true;
    this.stopTyping(session);
    this.showTyping(session, false);
    session.root.classList.add('closed');
    this.append(session, { id: `closed-${session.id}`, from: 'system', text, at: new Date().toISOString() });
    session.root.querySelectorAll<HTMLTextAreaElement | HTMLButtonElement | HTMLSelectElement>('textarea, select, button').forEach((control) => {
      control.disabled = true;
    });
    const hide = element('button', { type: 'button', class: 'secondary' }, this.t.hide);
    hide.addEventListener('click', () => this.remove(session));
    session.root.append(hide);
    this.renderCounts();
    this.announce(text);
  }

  private remove(session: Session): void {
    this.stopTyping(session);
    session.root.remove();
    this.sessions.delete(session.id);
    this.renderCounts();
  }

  private renderCounts(): void {
    byId('held-count').textContent = String(this.held());
    byId('sessions-empty').hidden = this.sessions.size > 0;
    this.renderQueue();
  }
}

const hook = document.getElementById('console-data');
if (hook) new ChatConsole(JSON.parse(hook.dataset['json'] ?? '{}') as ConsoleData);
