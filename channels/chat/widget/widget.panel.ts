import { h, idFor } from './widget.dom.js';
import type { Texts } from './widget.texts.js';

/** The launcher button and the dialog it opens; the views render into `body`. */
export class Panel {
  readonly root: HTMLElement;
  readonly body: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly dialog: HTMLElement;
  private readonly alert: HTMLElement;

  constructor(
    t: Texts,
    private readonly onToggle: (open: boolean) => void,
  ) {
    this.launcher = h(
      'button',
      { type: 'button', class: 'loket-chat-launcher', 'aria-expanded': 'false', 'aria-controls': idFor('panel'), 'data-testid': 'chat-launcher' },
      t.launcher,
    );
    const hide = h('button', { type: 'button', class: 'loket-chat-hide', 'aria-label': t.hidePanel, 'data-testid': 'chat-hide' }, '×');
    this.alert = h('div', { class: 'loket-chat-alert', role: 'alert', 'data-testid': 'chat-alert' });
    this.body = h('div', { class: 'loket-chat-body' });
    this.dialog = h(
      'div',
      { id: idFor('panel'), class: 'loket-chat-panel', role: 'dialog', 'aria-labelledby': idFor('title'), hidden: true, 'data-testid': 'chat-panel' },
      h('div', { class: 'loket-chat-header' }, h('h2', { id: idFor('title'), class: 'loket-chat-title' }, t.title), hide),
      this.alert,
      this.body,
    );
    this.root = h('div', { class: 'loket-chat-root' }, this.dialog, this.launcher);

    this.launcher.addEventListener('click', () => (this.isOpen ? this.close() : this.open(true)));
    hide.addEventListener('click', () => this.close());
    this.dialog.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        this.close();
      }
    });
  }

  get isOpen(): boolean {
    return !this.dialog.hidden;
  }

  /** `moveFocus` is false when the panel reopens by itself after a reload: never steal focus. */
  open(moveFocus: boolean): void {
    if (!this.isOpen) {
      this.dialog.hidden = false;
      this.root.dataset['open'] = '';
      this.launcher.setAttribute('aria-expanded', 'true');
      this.onToggle(true);
    }
    if (moveFocus) this.focusInside();
  }

  close(): void {
    if (!this.isOpen) return;
    const hadFocus = this.dialog.contains(document.activeElement);
    this.dialog.hidden = true;
    delete this.root.dataset['open'];
    this.launcher.setAttribute('aria-expanded', 'false');
    this.onToggle(false);
    if (hadFocus || document.activeElement === document.body) this.launcher.focus();
  }

  /** Replaces the view; focus follows when the panel had it (the old view's element is gone). */
  show(view: HTMLElement): void {
    const hadFocus = this.dialog.contains(document.activeElement);
    this.body.replaceChildren(view);
    if (hadFocus && this.isOpen) this.focusInside();
  }

  showError(message: string): void {
    this.alert.textContent = message;
  }

  clearError(): void {
    this.alert.textContent = '';
  }

  private focusInside(): void {
    const target = this.body.querySelector<HTMLElement>('[data-autofocus]:not([disabled])') ?? this.body.querySelector<HTMLElement>('h3, p');
    if (target && !target.hasAttribute('tabindex') && !(target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) {
      target.tabIndex = -1;
    }
    (target ?? this.dialog.querySelector<HTMLElement>('.loket-chat-hide'))?.focus();
  }
}
