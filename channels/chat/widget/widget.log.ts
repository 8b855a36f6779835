import type { ChatLine, ChatLocale } from '../chat.protocol.js';
import { h } from './widget.dom.js';
import type { Texts } from './widget.texts.js';

type From = ChatLine['from'];

/** The message log: server lines keyed by id (so repeats are dropped), own lines by clientId. */
export class ChatLog {
  readonly element: HTMLElement;
  private readonly rows = new Map<string, HTMLElement>();

  constructor(
    private readonly t: Texts,
    private readonly locale: ChatLocale,
  ) {
    this.element = h('div', {
      class: 'loket-chat-log',
      role: 'log',
      'aria-live': 'polite',
      'aria-label': t.conversation,
      tabindex: 0,
      'data-testid': 'chat-log',
    });
  }

  /** Shows the server's history instead of whatever the log held. */
  replace(lines: ChatLine[]): void {
    this.rows.clear();
    this.element.replaceChildren();
    for (const line of lines) this.add(line);
  }

  add(line: ChatLine): void {
    if (this.rows.has(line.id)) return;
    this.append(line.id, line.from, line.text, line.at);
  }

  /** A visitor message shown before the server confirmed it. */
  addOwn(clientId: string, text: string): void {
    const row = this.append(`own:${clientId}`, 'visitor', text, new Date().toISOString());
    row.dataset['status'] = 'pending';
    row.lastElementChild?.append(h('span', { class: 'loket-chat-line-status' }, this.t.sending));
  }

  markSent(clientId: string): void {
    this.setStatus(clientId, 'sent', this.t.sent);
  }

  markFailed(clientId: string, message: string): void {
    this.setStatus(clientId, 'failed', `${this.t.notSent} ${message}`);
  }

  private setStatus(clientId: string, status: string, text: string): void {
    const row = this.rows.get(`own:${clientId}`);
    const label = row?.querySelector('.loket-chat-line-status');
    if (!row || !label) return;
    row.dataset['status'] = status;
    label.textContent = text;
    this.scrollToEnd();
  }

  private append(key: string, from: From, text: string, at: string): HTMLElement {
    const time = new Date(at);
    const row = h(
      'div',
      { class: `loket-chat-line loket-chat-line-${from}`, 'data-from': from },
      h('span', { class: 'loket-chat-line-from' }, `${this.t.from[from]}`),
      h('span', { class: 'loket-chat-line-text' }, ...(from === 'visitor' ? [text] : withLinks(text))),
      h(
        'span',
        { class: 'loket-chat-line-meta' },
        Number.isNaN(time.getTime())
          ? null
          : h(
              'time',
              { class: 'loket-chat-line-time', datetime: at },
              time.toLocaleTimeString(this.locale === 'en' ? 'en-GB' : 'nl-NL', { hour: '2-digit', minute: '2-digit' }),
            ),
      ),
    );
    this.rows.set(key, row);
    this.element.append(row);
    this.scrollToEnd();
    return row;
  }

  scrollToEnd(): void {
    this.element.scrollTop = this.element.scrollHeight;
  }
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g;

/** Text with its web addresses as links (the contact form in a redirect); never as HTML. */
function withLinks(text: string): (string | HTMLElement)[] {
  const parts: (string | HTMLElement)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const index = match.index ?? 0;
    parts.push(text.slice(last, index), h('a', { href: match[0], target: '_blank', rel: 'noopener' }, match[0]));
    last = index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts.filter((part) => part !== '');
}
