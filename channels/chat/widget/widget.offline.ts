import type { Contact } from '../chat.protocol.js';
import { h } from './widget.dom.js';
import type { Texts } from './widget.texts.js';

/** Outside office hours: when the chat is open and the other ways to reach the contact center. */
export function offlineView(t: Texts, contact: Contact): HTMLElement {
  return h(
    'div',
    { class: 'loket-chat-offline', 'data-testid': 'chat-offline' },
    h('h3', { class: 'loket-chat-subtitle', tabindex: -1, 'data-autofocus': true }, t.offlineTitle),
    h('p', {}, t.offlineHours),
    h('p', {}, t.offlineOther),
    h(
      'ul',
      { class: 'loket-chat-contact' },
      h('li', {}, h('a', { href: contact.formUrl, class: 'loket-chat-link' }, t.contactForm)),
      h('li', {}, `${t.emailLabel} `, h('a', { href: `mailto:${contact.email}`, class: 'loket-chat-link' }, contact.email)),
      h('li', {}, `${t.phoneLabel} `, h('a', { href: `tel:${contact.phone.replace(/[^\d+]/g, '')}`, class: 'loket-chat-link' }, contact.phone)),
    ),
  );
}

/** While the config loads, or when it could not be loaded (with a way to try again). */
export function messageView(text: string, retry?: { label: string; onClick: () => void }): HTMLElement {
  let button: HTMLButtonElement | undefined;
  if (retry) {
    button = h('button', { type: 'button', class: 'loket-chat-button loket-chat-secondary' }, retry.label);
    button.addEventListener('click', retry.onClick);
  }
  return h('div', { class: 'loket-chat-message' }, h('p', { tabindex: -1, 'data-autofocus': true }, text), button);
}
