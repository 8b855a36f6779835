import { html } from '../ui/html.js';
import type { UiLocale } from '../workspace/language.js';
import { formKit, textOf } from './form.fields.js';
import { settingForm } from './setting.form.js';

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/** The form of a setting that is a few whole numbers, one labelled field each (the schema says what is allowed); labels per language. */
export function numbersForm<Value extends Record<string, number>>(labels: Record<UiLocale, Record<keyof Value & string, string>>) {
  type Field = keyof Value & string;
  const names = Object.keys(labels.nl) as Field[];
  return settingForm<Value, Record<Field, string>>({
    fromSetting: (setting) => Object.fromEntries(names.map((name) => [name, String(setting[name])])) as Record<Field, string>,
    fromPosted: (body) => Object.fromEntries(names.map((name) => [name, textOf(body, name)])) as Record<Field, string>,
    toValue: (draft) => Object.fromEntries(names.map((name) => [name, number(draft[name])])),
    fields: (draft, _context, errors, lang) =>
      html`${names.map((name) => formKit(lang).textField(name, labels[lang][name], draft[name], errors, { required: true, type: 'number' }))}`,
    locate: ([field], _draft, lang) => (typeof field === 'string' && field in labels.nl ? { field, label: labels[lang][field as Field] } : undefined),
  });
}
