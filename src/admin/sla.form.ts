import { html } from '../ui/html.js';
import { CHANNEL_NAMES } from '../message.js';
import { PRIORITIES } from '../policy/rules.schema.js';
import type { SlaSetting } from '../policy/sla.setting.js';
import { countOf, selectField, textField, textOf, type Posted } from './form.fields.js';
import { settingForm } from './setting.form.js';

interface TargetDraft {
  channel: string;
  topic: string;
  priority: string;
  firstResponseHours: string;
  answerDays: string;
}
interface SlaDraft {
  targets: TargetDraft[];
  warnHours: string;
  promisePercent: string;
}

const CHANNEL_CHOICES = [{ value: '', label: 'Elk kanaal' }, ...CHANNEL_NAMES.map((c) => ({ value: c, label: c }))];
const PRIORITY_CHOICES = [{ value: '', label: 'Elke prioriteit' }, ...PRIORITIES.map((p) => ({ value: p, label: p }))];
const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim().replace(',', '.')));
const blank = (): TargetDraft => ({ channel: '', topic: '', priority: '', firstResponseHours: '', answerDays: '' });
const LABELS = { warnHours: 'Waarschuwen (werkuren vooraf)', promisePercent: 'Belofte (percentage op tijd)' } as const;

/** The promises per channel, topic and priority: one fieldset each, the first that matches applies; an empty one adds a promise. */
export const slaForm = settingForm<SlaSetting, SlaDraft>({
  fromSetting: (setting) => ({
    targets: setting.targets.map((t) => ({
      channel: t.channel ?? '',
      topic: t.topic ?? '',
      priority: t.priority ?? '',
      firstResponseHours: String(t.firstResponseHours),
      answerDays: String(t.answerDays),
    })),
    warnHours: String(setting.warnHours),
    promisePercent: String(setting.promisePercent),
  }),
  fromPosted: (body: Posted) => ({
    targets: Array.from({ length: countOf(body, 't', 100) }, (_, i) => ({
      channel: textOf(body, `t${i}-channel`),
      topic: textOf(body, `t${i}-topic`),
      priority: textOf(body, `t${i}-priority`),
      firstResponseHours: textOf(body, `t${i}-firstResponseHours`),
      answerDays: textOf(body, `t${i}-answerDays`),
    })),
    warnHours: textOf(body, 'warnHours'),
    promisePercent: textOf(body, 'promisePercent'),
  }),
  toValue: (draft) => ({
    // A fieldset left empty (the spare one) is no promise.
    targets: draft.targets
      .filter((t) => t.firstResponseHours.trim() !== '' || t.answerDays.trim() !== '')
      .map((t) => ({
        ...(t.channel ? { channel: t.channel } : {}),
        ...(t.topic.trim() ? { topic: t.topic.trim() } : {}),
        ...(t.priority ? { priority: t.priority } : {}),
        firstResponseHours: number(t.firstResponseHours),
        answerDays: number(t.answerDays),
      })),
    warnHours: number(draft.warnHours),
    promisePercent: number(draft.promisePercent),
  }),
  fields: (draft, context, errors) => html`${[...draft.targets, blank()].map(
    (
      t,
      i,
    ) => html`<fieldset class="rule"><legend>${i < draft.targets.length ? `Afspraak ${i + 1}` : 'Nieuwe afspraak (leeg laten als u er geen toevoegt)'}</legend>
${selectField(`t${i}-channel`, 'Kanaal', CHANNEL_CHOICES, t.channel, errors)}
${selectField(`t${i}-topic`, 'Onderwerp', [{ value: '', label: 'Elk onderwerp' }, ...context.topics.map((topic) => ({ value: topic.key, label: topic.nameNl }))], t.topic, errors)}
${selectField(`t${i}-priority`, 'Prioriteit', PRIORITY_CHOICES, t.priority, errors)}
${textField(`t${i}-firstResponseHours`, 'Eerste reactie binnen (werkuren)', t.firstResponseHours, errors, { hint: 'Bijvoorbeeld 14: één werkdag van 08:00 tot 22:00; 0,25: een kwartier.' })}
${textField(`t${i}-answerDays`, 'Antwoord binnen (werkdagen)', t.answerDays, errors, { hint: 'Uiterlijk aan het eind van die werkdag; de ontvangstbevestiging noemt die datum.' })}
</fieldset>`,
  )}
${textField('warnHours', LABELS.warnHours, draft.warnHours, errors, { required: true, hint: 'De behandelaar en de coördinatoren krijgen één waarschuwing, en één melding als de termijn verstreken is.' })}
${textField('promisePercent', LABELS.promisePercent, draft.promisePercent, errors, { required: true, hint: 'Het doel in de cijfers, bijvoorbeeld 90.' })}`,
  locate: ([field, index, key]) => {
    if (field === 'warnHours' || field === 'promisePercent') return { field, label: LABELS[field] };
    if (field === 'targets' && typeof index === 'number')
      return { field: `t${index}-${typeof key === 'string' ? key : 'answerDays'}`, label: `Afspraak ${index + 1}` };
    return undefined;
  },
});
