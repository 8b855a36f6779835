import { html } from '../ui/html.js';
import { CHANNEL_NAMES } from '../message.js';
import { PRIORITIES } from '../policy/rules.schema.js';
import type { SlaSetting } from '../policy/sla.setting.js';
import { countOf, formKit, textOf, type Posted } from './form.fields.js';
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

const TEXTS = {
  nl: {
    labels: { warnHours: 'Waarschuwen (werkuren vooraf)', promisePercent: 'Belofte (percentage op tijd)' },
    target: (n: number) => `Afspraak ${n}`,
    newTarget: 'Nieuwe afspraak (leeg laten als u er geen toevoegt)',
    channel: 'Kanaal',
    anyChannel: 'Elk kanaal',
    topic: 'Onderwerp',
    anyTopic: 'Elk onderwerp',
    priority: 'Prioriteit',
    anyPriority: 'Elke prioriteit',
    firstResponse: 'Eerste reactie binnen (werkuren)',
    firstResponseHint: 'Bijvoorbeeld 14: één werkdag van 08:00 tot 22:00; 0,25: een kwartier.',
    answer: 'Antwoord binnen (werkdagen)',
    answerHint: 'Uiterlijk aan het eind van die werkdag; de ontvangstbevestiging noemt die datum.',
    warnHint: 'De behandelaar en de coördinatoren krijgen één waarschuwing, en één melding als de termijn verstreken is.',
    promiseHint: 'Het doel in de cijfers, bijvoorbeeld 90.',
  },
  en: {
    labels: { warnHours: 'Warn (working hours ahead)', promisePercent: 'Promise (percentage on time)' },
    target: (n: number) => `Promise ${n}`,
    newTarget: 'New promise (leave empty if you are not adding one)',
    channel: 'Channel',
    anyChannel: 'Any channel',
    topic: 'Topic',
    anyTopic: 'Any topic',
    priority: 'Priority',
    anyPriority: 'Any priority',
    firstResponse: 'First response within (working hours)',
    firstResponseHint: 'For example 14: one working day from 08:00 to 22:00; 0.25: a quarter of an hour.',
    answer: 'Answer within (working days)',
    answerHint: 'At the end of that working day at the latest; the acknowledgement names that date.',
    warnHint: 'The handler and the coordinators get one warning, and one notification when the deadline has passed.',
    promiseHint: 'The target in the figures, for example 90.',
  },
} as const;

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim().replace(',', '.')));
const blank = (): TargetDraft => ({ channel: '', topic: '', priority: '', firstResponseHours: '', answerDays: '' });

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
  fields: (draft, context, errors, lang) => {
    const t = TEXTS[lang];
    const { selectField, textField } = formKit(lang);
    const channels = [{ value: '', label: t.anyChannel }, ...CHANNEL_NAMES.map((c) => ({ value: c, label: c }))];
    const topics = [{ value: '', label: t.anyTopic }, ...context.topics.map((topic) => ({ value: topic.key, label: topic.nameNl }))];
    const priorities = [{ value: '', label: t.anyPriority }, ...PRIORITIES.map((p) => ({ value: p, label: p }))];
    return html`${[...draft.targets, blank()].map(
      (target, i) => html`<fieldset class="rule"><legend>${i < draft.targets.length ? t.target(i + 1) : t.newTarget}</legend>
${selectField(`t${i}-channel`, t.channel, channels, target.channel, errors)}
${selectField(`t${i}-topic`, t.topic, topics, target.topic, errors)}
${selectField(`t${i}-priority`, t.priority, priorities, target.priority, errors)}
${textField(`t${i}-firstResponseHours`, t.firstResponse, target.firstResponseHours, errors, { hint: t.firstResponseHint })}
${textField(`t${i}-answerDays`, t.answer, target.answerDays, errors, { hint: t.answerHint })}
</fieldset>`,
    )}
${textField('warnHours', t.labels.warnHours, draft.warnHours, errors, { required: true, hint: t.warnHint })}
${textField('promisePercent', t.labels.promisePercent, draft.promisePercent, errors, { required: true, hint: t.promiseHint })}`;
  },
  locate: ([field, index, key], _draft, lang) => {
    const t = TEXTS[lang];
    if (field === 'warnHours' || field === 'promisePercent') return { field, label: t.labels[field] };
    if (field === 'targets' && typeof index === 'number')
      return { field: `t${index}-${typeof key === 'string' ? key : 'answerDays'}`, label: t.target(index + 1) };
    return undefined;
  },
});
