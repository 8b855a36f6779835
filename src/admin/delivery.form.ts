import { html } from '../ui/html.js';
import { formKit, textOf } from './form.fields.js';
import type { DeliveryRetrySetting } from '../policy/delivery.setting.js';
import { settingForm } from './setting.form.js';

const TEXTS = {
  nl: {
    label: 'Blijf proberen gedurende (uren)',
    hint: 'Van 1 tot 720. Daarna wordt het antwoord niet meer verstuurd en krijgt de zaak de aandacht van een medewerker.',
  },
  en: {
    label: 'Keep trying for (hours)',
    hint: 'From 1 to 720. After that the answer is no longer sent and the case is flagged for an agent.',
  },
} as const;

/** The hours an answer that fails for a temporary reason keeps being retried. */
export const deliveryRetryForm = settingForm<DeliveryRetrySetting, { keepTryingHours: string }>({
  fromSetting: (setting) => ({ keepTryingHours: String(setting.keepTryingHours) }),
  fromPosted: (body) => ({ keepTryingHours: textOf(body, 'keepTryingHours') }),
  toValue: (draft) => ({ keepTryingHours: draft.keepTryingHours.trim() === '' ? Number.NaN : Number(draft.keepTryingHours.trim()) }),
  fields: (draft, _context, errors, lang) =>
    html`${formKit(lang).textField('keepTryingHours', TEXTS[lang].label, draft.keepTryingHours, errors, { required: true, type: 'number', hint: TEXTS[lang].hint })}`,
  locate: ([field], _draft, lang) => (field === 'keepTryingHours' ? { field: 'keepTryingHours', label: TEXTS[lang].label } : undefined),
});
