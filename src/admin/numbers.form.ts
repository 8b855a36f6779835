import { html } from '../ui/html.js';
import { textField, textOf } from './form.fields.js';
import { settingForm } from './setting.form.js';

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/** The form of a setting that is a few whole numbers, one labelled field each (the schema says what is allowed). */
export function numbersForm<Value extends Record<string, number>>(fields: Record<keyof Value & string, string>) {
  type Field = keyof Value & string;
  const names = Object.keys(fields) as Field[];
  return settingForm<Value, Record<Field, string>>({
    fromSetting: (setting) => Object.fromEntries(names.map((name) => [name, String(setting[name])])) as Record<Field, string>,
    fromPosted: (body) => Object.fromEntries(names.map((name) => [name, textOf(body, name)])) as Record<Field, string>,
    toValue: (draft) => Object.fromEntries(names.map((name) => [name, number(draft[name])])),
    fields: (draft, _context, errors) => html`${names.map((name) => textField(name, fields[name], draft[name], errors, { required: true, type: 'number' }))}`,
    locate: ([field]) => (typeof field === 'string' && field in fields ? { field, label: fields[field as Field] } : undefined),
  });
}
