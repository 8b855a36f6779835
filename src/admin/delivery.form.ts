import { html } from '../ui/html.js';
import { textField, textOf } from './form.fields.js';
import type { DeliveryRetrySetting } from '../policy/delivery.setting.js';
import { settingForm } from './setting.form.js';

const LABEL = 'Blijf proberen gedurende (uren)';

/** The hours an answer that fails for a temporary reason keeps being retried. */
export const deliveryRetryForm = settingForm<DeliveryRetrySetting, { keepTryingHours: string }>({
  fromSetting: (setting) => ({ keepTryingHours: String(setting.keepTryingHours) }),
  fromPosted: (body) => ({ keepTryingHours: textOf(body, 'keepTryingHours') }),
  toValue: (draft) => ({ keepTryingHours: draft.keepTryingHours.trim() === '' ? Number.NaN : Number(draft.keepTryingHours.trim()) }),
  fields: (draft, _context, errors) =>
    html`${textField('keepTryingHours', LABEL, draft.keepTryingHours, errors, {
      required: true,
      type: 'number',
      hint: 'Van 1 tot 720. Daarna wordt het antwoord niet meer verstuurd en krijgt de zaak de aandacht van een medewerker.',
    })}`,
  locate: ([field]) => (field === 'keepTryingHours' ? { field: 'keepTryingHours', label: LABEL } : undefined),
});
