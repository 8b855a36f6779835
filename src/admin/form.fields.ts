import { fieldError, formField, type FieldTexts } from '../ui/form.js';
import { html, type SafeHtml } from '../ui/html.js';
import type { UiLocale } from '../workspace/language.js';

/** The words of admin form fields themselves, in the admin's language. */
const FIELD_WORDS: Record<UiLocale, FieldTexts & { unknown: string; up: string; down: string; remove: string }> = {
  nl: { required: 'verplicht', optional: 'optioneel', errorPrefix: 'Fout:', unknown: 'onbekend', up: 'Omhoog', down: 'Omlaag', remove: 'Verwijderen' },
  en: { required: 'required', optional: 'optional', errorPrefix: 'Error:', unknown: 'unknown', up: 'Move up', down: 'Move down', remove: 'Delete' },
};

/** A posted form as formbody gives it: a string per name, an array for a name sent more than once. */
export type Posted = Record<string, unknown>;

/** The error message of each field, by field name. */
export type FieldErrors = ReadonlyMap<string, string>;

/** The first value posted under this name, or ''. */
export function textOf(body: Posted, name: string): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** Every value posted under this name (checkboxes). */
export function valuesOf(body: Posted, name: string): string[] {
  const value = body[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** The non-empty lines of a textarea, trimmed. */
export const linesOf = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** The text, or undefined when nothing but spaces was typed (an optional field left empty). */
export const filled = (text: string) => (text.trim() === '' ? undefined : text);

/**
 * How many entries a list form posted: one past the highest index in its field names
 * (`r3-id` → 4). Every entry posts its text inputs, empty or not. At most `max + 1`: a list
 * past the cap (the setting schema's maximum) reaches the schema, which refuses it, instead
 * of being cut short silently, while a forged `r999999-id` still costs no more than that.
 */
export function countOf(body: Posted, prefix: string, max: number): number {
  const pattern = new RegExp(`^${prefix}(\\d+)-`);
  let count = 0;
  for (const name of Object.keys(body)) {
    const index = Number(pattern.exec(name)?.[1] ?? -1);
    if (index >= count) count = index + 1;
  }
  return Math.min(count, max + 1);
}

export interface FieldOptions {
  hint?: string;
  required?: boolean;
}

export interface Choice {
  value: string;
  label: string;
}

/**
 * The controls of the admin forms, their own words (required, error, unknown, move, delete)
 * in the admin's language; labels and hints come from the form, already in that language.
 */
export function formKit(lang: UiLocale) {
  const words = FIELD_WORDS[lang];
  const unknown = (value: string) => ({ value, label: `${value} (${words.unknown})` });
  return {
    /** A labelled text input with its error under it. */
    textField(name: string, label: string, value: string, errors: FieldErrors, options: FieldOptions & { type?: string } = {}): SafeHtml {
      return formField(
        words,
        { name, label, required: options.required ?? false, error: errors.get(name), hint: options.hint },
        (attrs) => html`<input type="${options.type ?? 'text'}" ${attrs} value="${value}" spellcheck="false">`,
      );
    },

    /** A labelled textarea with its error under it. */
    textArea(name: string, label: string, value: string, errors: FieldErrors, options: FieldOptions & { rows?: number } = {}): SafeHtml {
      return formField(
        words,
        { name, label, required: options.required ?? false, error: errors.get(name), hint: options.hint },
        (attrs) => html`<textarea ${attrs} rows="${options.rows ?? 4}" class="compact">${value}</textarea>`,
      );
    },

    /** A labelled select; a value not among the choices is kept as an extra choice, so a save never loses it. */
    selectField(name: string, label: string, choices: readonly Choice[], selected: string, errors: FieldErrors, options: FieldOptions = {}): SafeHtml {
      const all = selected && !choices.some((c) => c.value === selected) ? [...choices, unknown(selected)] : choices;
      return formField(
        words,
        { name, label, required: options.required ?? false, error: errors.get(name), hint: options.hint },
        (attrs) =>
          html`<select ${attrs}>${all.map((c) => html`<option value="${c.value}"${c.value === selected ? html` selected` : ''}>${c.label}</option>`)}</select>`,
      );
    },

    /** One checkbox with its label beside it, and its error under it. */
    checkField(name: string, label: string, checked: boolean, errors: FieldErrors): SafeHtml {
      const error = errors.get(name);
      return html`<label class="check" for="${name}"><input type="checkbox" id="${name}" name="${name}" value="ja"${checked ? html` checked` : ''}${
        error ? html` aria-invalid="true" aria-describedby="${name}-error"` : ''
      }> ${label}</label>
${fieldError(words, name, error)}`;
    },

    /** Checkboxes for a list of choices, in a fieldset; a checked value not among the choices stays checked. */
    checkGroup(name: string, legend: string, choices: readonly Choice[], checked: readonly string[], errors: FieldErrors, hint?: string): SafeHtml {
      const error = errors.get(name);
      const extra = checked.filter((value) => !choices.some((c) => c.value === value)).map(unknown);
      const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
      return html`<fieldset id="${name}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}><legend>${legend}</legend>
${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}
${[...choices, ...extra].map(
  (c) =>
    html`<label class="check"><input type="checkbox" name="${name}" value="${c.value}"${checked.includes(c.value) ? html` checked` : ''}${
      error ? html` aria-invalid="true"` : ''
    }> ${c.label}</label>`,
)}
${fieldError(words, name, error)}
</fieldset>`;
    },

    /** The error line of a field that is not one control (a list, a group of actions). */
    fieldError: (name: string, error: string | undefined) => fieldError(words, name, error),

    /** The buttons that move or delete entry `i` of a list form; `what` names the entry for screen readers. */
    entryButtons(i: number, count: number, what: string): SafeHtml {
      const button = (action: string, text: string) =>
        html`<button type="submit" class="secondary" name="actie" value="${action}:${i}">${text}<span class="visually-hidden"> (${what})</span></button>`;
      return html`<p class="entry-actions">${i > 0 ? button('omhoog', words.up) : ''} ${i < count - 1 ? button('omlaag', words.down) : ''} ${button('verwijderen', words.remove)}</p>`;
    },
  };
}

/**
 * The list after an edit button (`omhoog:2`, `omlaag:0`, `verwijderen:1`, `toevoegen`), or
 * undefined when the button pressed was not one.
 */
export function editList<T>(list: readonly T[], action: string, blank: () => T): T[] | undefined {
  if (action === 'toevoegen') return [...list, blank()];
  const match = /^(omhoog|omlaag|verwijderen):(\d+)$/.exec(action);
  const i = Number(match?.[2]);
  if (!match || i >= list.length) return undefined;
  const next = [...list];
  if (match[1] === 'verwijderen') next.splice(i, 1);
  else {
    const j = match[1] === 'omhoog' ? i - 1 : i + 1;
    if (j < 0 || j >= list.length) return next;
    [next[i], next[j]] = [next[j]!, next[i]!];
  }
  return next;
}
