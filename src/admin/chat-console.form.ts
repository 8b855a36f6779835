import { html } from '../ui/html.js';
import { textField, textOf } from './form.fields.js';
import type { ChatConsoleSetting } from '../policy/chat-console.setting.js';
import { settingForm } from './setting.form.js';

const LABEL = 'Chatgesprekken tegelijk per medewerker';

/** How many chats one agent may hold at once. */
export const chatConsoleForm = settingForm<ChatConsoleSetting, { maxPerAgent: string }>({
  fromSetting: (setting) => ({ maxPerAgent: String(setting.maxPerAgent) }),
  fromPosted: (body) => ({ maxPerAgent: textOf(body, 'maxPerAgent') }),
  toValue: (draft) => ({ maxPerAgent: draft.maxPerAgent.trim() === '' ? Number.NaN : Number(draft.maxPerAgent.trim()) }),
  fields: (draft, _context, errors) =>
    html`${textField('maxPerAgent', LABEL, draft.maxPerAgent, errors, {
      required: true,
      type: 'number',
      hint: 'Van 1 tot 10. Wie dit aantal gesprekken voert, kan geen nieuw gesprek aannemen tot er een is afgerond.',
    })}`,
  locate: ([field]) => (field === 'maxPerAgent' ? { field: 'maxPerAgent', label: LABEL } : undefined),
});
