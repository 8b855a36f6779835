import { html } from '../ui/html.js';
import type { ComplaintDeadlines } from '../policy/complaint.setting.js';
import { textField, textOf } from './form.fields.js';
import { settingForm } from './setting.form.js';

const FIELDS = {
  firstContactDays: 'Eerste contact met de klager binnen (werkdagen)',
  resolveDays: 'Klacht opgelost binnen (werkdagen)',
  satisfactionDays: 'Vraag naar tevredenheid binnen (werkdagen na de oplossing)',
  extraDays: 'Extra termijn als de klager niet tevreden is (werkdagen)',
} as const;
type Field = keyof typeof FIELDS;
const NAMES = Object.keys(FIELDS) as Field[];
const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/** The complaint procedure's deadlines, one number each. */
export const complaintDeadlinesForm = settingForm<ComplaintDeadlines, Record<Field, string>>({
  fromSetting: (setting) => Object.fromEntries(NAMES.map((name) => [name, String(setting[name])])) as Record<Field, string>,
  fromPosted: (body) => Object.fromEntries(NAMES.map((name) => [name, textOf(body, name)])) as Record<Field, string>,
  toValue: (draft) => Object.fromEntries(NAMES.map((name) => [name, number(draft[name])])),
  fields: (draft, _context, errors) => html`${NAMES.map((name) => textField(name, FIELDS[name], draft[name], errors, { required: true, type: 'number' }))}`,
  locate: ([field]) => (typeof field === 'string' && field in FIELDS ? { field, label: FIELDS[field as Field] } : undefined),
});
