import { html } from '../ui/html.js';
import { formKit, valuesOf } from './form.fields.js';
import { settingForm } from './setting.form.js';

const TEXTS = {
  nl: {
    legend: 'Onderwerpen die de chat behandelt',
    hint: 'Niets aangevinkt: de chat verwijst elke vraag naar formulier, e-mail en telefoon.',
    label: 'Chatonderwerpen',
  },
  en: {
    legend: 'Topics the chat handles',
    hint: 'Nothing ticked: the chat refers every question to the web form, e-mail and phone.',
    label: 'Chat topics',
  },
} as const;

/** The chat topics as checkboxes of the topics; a key no longer among them stays until unticked. */
export const chatTopicsForm = settingForm<string[], string[]>({
  fromSetting: (keys) => [...keys],
  fromPosted: (body) => valuesOf(body, 'chat'),
  toValue: (keys) => keys,
  fields: (keys, context, errors, lang) =>
    html`${formKit(lang).checkGroup(
      'chat',
      TEXTS[lang].legend,
      context.topics.map((t) => ({ value: t.key, label: `${t.nameNl} (${t.key})` })),
      keys,
      errors,
      TEXTS[lang].hint,
    )}`,
  locate: (_at, _draft, lang) => ({ field: 'chat', label: TEXTS[lang].label }),
});
