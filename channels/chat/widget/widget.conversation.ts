import type { ChatLocale, ClosedReason, ConversationState } from '../chat.protocol.js';
import { h, idFor } from './widget.dom.js';
import { ChatLog } from './widget.log.js';
import type { Texts } from './widget.texts.js';

const TYPING_IDLE_MS = 3000;

export interface ConversationHandlers {
  send(text: string): void;
  typing(typing: boolean): void;
  end(): void;
  restart(): void;
}

/** The conversation: status, log, typing indicator, composer and the end / new buttons. */
export class ConversationView {
  readonly element: HTMLElement;
  readonly log: ChatLog;
  private readonly status = h('p', { class: 'loket-chat-status', role: 'status', 'data-testid': 'chat-status' });
  private readonly typingLine: HTMLElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly endButton: HTMLButtonElement;
  private readonly newButton: HTMLButtonElement;
  private stateText: string;
  private stateKnown = false;
  private connected = true;
  private closed = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly t: Texts,
    locale: ChatLocale,
    maxLength: number,
    private readonly handlers: ConversationHandlers,
  ) {
    this.log = new ChatLog(t, locale);
    this.stateText = t.connecting;
    this.status.textContent = t.connecting;
    this.typingLine = h('p', { class: 'loket-chat-typing', hidden: true, 'data-testid': 'chat-typing' }, t.typing);
    this.textarea = h('textarea', {
      id: idFor('message'),
      class: 'loket-chat-input loket-chat-textarea',
      rows: 2,
      maxlength: maxLength,
      'data-autofocus': true,
      'data-testid': 'chat-message',
    });
    this.sendButton = h('button', { type: 'submit', class: 'loket-chat-button', 'data-testid': 'chat-send' }, t.send);
    this.endButton = h('button', { type: 'button', class: 'loket-chat-button loket-chat-secondary', 'data-testid': 'chat-end' }, t.end);
    this.newButton = h('button', { type: 'button', class: 'loket-chat-button', hidden: true, 'data-testid': 'chat-new' }, t.newChat);
    const composer = h(
      'form',
      { class: 'loket-chat-composer' },
      h('label', { for: idFor('message'), class: 'loket-chat-visually-hidden' }, t.message),
      this.textarea,
      this.sendButton,
    );
    this.element = h(
      'div',
      { class: 'loket-chat-conversation', 'data-testid': 'chat-conversation' },
      this.status,
      this.log.element,
      this.typingLine,
      composer,
      h('div', { class: 'loket-chat-actions' }, this.endButton, this.newButton),
    );

    composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.textarea.addEventListener('input', () => this.noteTyping());
    this.endButton.addEventListener('click', () => handlers.end());
    this.newButton.addEventListener('click', () => handlers.restart());
  }

  /** After the start ack: "in line" unless the server already said where we stand. */
  assumeWaiting(): void {
    if (!this.stateKnown) this.setState('waiting');
  }

  setState(state: ConversationState, position?: number, reason?: ClosedReason): void {
    this.stateKnown = true;
    if (state === 'closed') return this.setClosed(reason ?? 'closed');
    this.stateText = state === 'waiting' ? this.t.waiting(position) : this.t.withAgent;
    this.renderStatus();
  }

  setClosed(reason: ClosedReason): void {
    this.stateKnown = true;
    this.closed = true;
    this.stateText = this.t.closed[reason];
    this.setTyping(false);
    this.textarea.disabled = true;
    this.sendButton.disabled = true;
    this.endButton.hidden = true;
    this.newButton.hidden = false;
    this.renderStatus();
  }

  setConnected(connected: boolean): void {
    this.connected = connected;
    this.renderStatus();
  }

  setTyping(typing: boolean): void {
    this.typingLine.hidden = !typing || this.closed;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private renderStatus(): void {
    const text = this.connected || this.closed ? this.stateText : this.t.reconnecting;
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  private submit(): void {
    const text = this.textarea.value.trim();
    if (!text || this.closed) return;
    this.textarea.value = '';
    this.stopTyping();
    this.handlers.send(text);
  }

  private noteTyping(): void {
    if (this.typingTimer === undefined) this.handlers.typing(true);
    else clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    if (this.typingTimer === undefined) return;
    clearTimeout(this.typingTimer);
    this.typingTimer = undefined;
    this.handlers.typing(false);
  }
}
