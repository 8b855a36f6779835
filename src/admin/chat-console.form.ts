import { html } from '../ui/html.js';
import { formKit, textOf } from './form.fields.js';
import type { ChatConsoleSetting } from '../policy/chat-console.setting.js';
import { settingForm } from './setting.form.js';

const TEXTS = {
  nl: {
    label: 'Chatgesprekken tegelijk per medewerker',
    hint: 'Van 1 tot 10. Wie dit aantal gesprekken voert, kan geen nieuw gesprek aannemen tot er een is afgerond.',
  },
  en: {
    label: 'Chat conversations at once per agent',
    hint: 'From 1 to 10. An agent holding this many conversations cannot accept a new one until one has ended.',
  },
} as const;

/** How many chats one agent may hold at once. */
export const chatConsoleForm = settingForm<ChatConsoleSetting, { maxPerAgent: string }>({
  fromSetting: (setting) => ({ maxPerAgent: String(setting.maxPerAgent) }),
  fromPosted: (body) => ({ maxPerAgent: textOf(body, 'maxPerAgent') }),
  toValue: (draft) => ({ maxPerAgent: draft.maxPerAgent.trim() === '' ? Number.NaN : Number(draft.maxPerAgent.trim()) }),
  fields: (draft, _context, errors, lang) =>
    html`${formKit(lang).textField('maxPerAgent', TEXTS[lang].label, draft.maxPerAgent, errors, { required: true, type: 'number', hint: TEXTS[lang].hint })}`,
  locate: ([field], _draft, lang) => (field === 'maxPerAgent' ? { field: 'maxPerAgent', label: TEXTS[lang].label } : undefined),
});
