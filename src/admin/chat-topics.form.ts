import { html } from '../ui/html.js';
import { checkGroup, valuesOf } from './form.fields.js';
import { settingForm } from './setting.form.js';

/** The chat topics as checkboxes of the topics; a key no longer among them stays until unticked. */
export const chatTopicsForm = settingForm<string[], string[]>({
  fromSetting: (keys) => [...keys],
  fromPosted: (body) => valuesOf(body, 'chat'),
  toValue: (keys) => keys,
  fields: (keys, context, errors) =>
    html`${checkGroup(
      'chat',
      'Onderwerpen die de chat behandelt',
      context.topics.map((t) => ({ value: t.key, label: `${t.nameNl} (${t.key})` })),
      keys,
      errors,
      'Niets aangevinkt: de chat verwijst elke vraag naar formulier, e-mail en telefoon.',
    )}`,
  locate: () => ({ field: 'chat', label: 'Chatonderwerpen' }),
});
