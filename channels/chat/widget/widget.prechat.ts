import type { ChatConfig, ChatLocale, StartRequest } from '../chat.protocol.js';
import { h, idFor } from './widget.dom.js';
import { topicLabel, type Texts } from './widget.texts.js';

const FIELDS = ['name', 'email', 'employeeNumber', 'topic'] as const;
type Field = (typeof FIELDS)[number];

export interface Prechat {
  element: HTMLFormElement;
  /** Marks a field wrong (and focuses it) after the server refused the start. */
  showFieldError(field: string, message: string): boolean;
  setBusy(busy: boolean): void;
}

/** The pre-chat form: who is asking and about what. Calls `onStart` with a checked request. */
export function prechatForm(t: Texts, locale: ChatLocale, config: ChatConfig, onStart: (request: StartRequest) => void): Prechat {
  const input = (name: Field, type: string, attrs: Record<string, string | number | boolean>) =>
    h('input', { id: idFor(name), name, type, class: 'loket-chat-input', 'data-testid': `prechat-${name}`, ...attrs });
  const name = input('name', 'text', { autocomplete: 'name', maxlength: 200, required: true, 'aria-required': 'true', 'data-autofocus': true });
  const email = input('email', 'email', { autocomplete: 'email', maxlength: 320 });
  const employeeNumber = input('employeeNumber', 'text', { inputmode: 'numeric', maxlength: 20 });
  const transcript = h('input', {
    id: idFor('transcript'),
    type: 'checkbox',
    class: 'loket-chat-checkbox',
    disabled: true,
    'aria-describedby': idFor('transcript-hint'),
    'data-testid': 'prechat-transcript',
  });
  const transcriptHint = h('p', { id: idFor('transcript-hint'), class: 'loket-chat-hint' }, t.transcriptHint);
  const start = h('button', { type: 'submit', class: 'loket-chat-button', 'data-testid': 'prechat-start' }, t.start);

  const topics = [...config.topics.map((topic) => ({ key: topic.key, label: topicLabel(topic, locale) })), { key: 'other', label: t.topicOther }];
  const topicGroup = h(
    'fieldset',
    { class: 'loket-chat-fieldset', id: idFor('topic') },
    h('legend', { class: 'loket-chat-label' }, t.topic, ' ', h('span', { class: 'loket-chat-hint' }, `(${t.optional})`)),
    ...topics.map((topic) =>
      h(
        'label',
        { class: 'loket-chat-choice' },
        h('input', { type: 'radio', name: 'topic', value: topic.key, class: 'loket-chat-radio', 'data-testid': `prechat-topic-${topic.key}` }),
        ` ${topic.label}`,
      ),
    ),
  );

  const label = (field: string, text: string, required: boolean) =>
    h('label', { for: idFor(field), class: 'loket-chat-label' }, text, ' ', h('span', { class: 'loket-chat-hint' }, `(${required ? t.required : t.optional})`));

  const form = h(
    'form',
    { class: 'loket-chat-prechat', novalidate: true, 'data-testid': 'chat-prechat' },
    h('p', {}, t.prechatIntro),
    label('name', t.name, true),
    name,
    label('email', t.email, false),
    email,
    label('employeeNumber', t.employeeNumber, false),
    employeeNumber,
    topicGroup,
    h('div', { class: 'loket-chat-choice' }, transcript, ' ', h('label', { for: idFor('transcript') }, t.transcript)),
    transcriptHint,
    start,
  );

  const hasEmail = () => email.value.trim() !== '' && email.validity.valid;
  email.addEventListener('input', () => {
    transcript.disabled = !hasEmail();
    if (transcript.disabled) transcript.checked = false;
    transcriptHint.hidden = !transcript.disabled;
  });

  const controls: Record<Field, HTMLElement> = { name, email, employeeNumber, topic: topicGroup };
  const clearErrors = () => {
    for (const control of Object.values(controls)) control.removeAttribute('aria-invalid');
    form.querySelectorAll('.loket-chat-field-error').forEach((error) => error.remove());
  };
  const showFieldError = (field: string, message: string): boolean => {
    const control = (FIELDS as readonly string[]).includes(field) ? controls[field as Field] : undefined;
    if (!control) return false;
    const errorId = idFor(`${field}-error`);
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', errorId);
    control.after(h('p', { id: errorId, class: 'loket-chat-field-error' }, h('span', { class: 'loket-chat-visually-hidden' }, `${t.errorPrefix} `), message));
    (control instanceof HTMLInputElement ? control : control.querySelector('input'))?.focus();
    return true;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors();
    if (email.value.trim() !== '' && !email.validity.valid) showFieldError('email', t.emailInvalid);
    if (name.value.trim() === '') showFieldError('name', t.nameMissing);
    if (form.querySelector('[aria-invalid]')) return;
    const topic = form.querySelector<HTMLInputElement>('input[name="topic"]:checked')?.value;
    onStart({
      name: name.value.trim(),
      email: email.value.trim() || undefined,
      employeeNumber: employeeNumber.value.trim() || undefined,
      topic,
      locale,
      transcript: hasEmail() && transcript.checked,
    });
  });

  return {
    element: form,
    showFieldError: (field, message) => {
      clearErrors();
      return showFieldError(field, message);
    },
    setBusy: (busy) => {
      start.disabled = busy;
      form.setAttribute('aria-busy', String(busy));
    },
  };
}
