import { html } from '../ui/html.js';
import { textField, textOf } from './form.fields.js';
import type { ClassifyConfidenceSetting } from '../policy/classify.setting.js';
import { settingForm } from './setting.form.js';

const LABEL = 'Minimale zekerheid (0 tot 1)';

/** The confidence under which a message's topic is left to a person. */
export const classifyConfidenceForm = settingForm<ClassifyConfidenceSetting, { threshold: string }>({
  fromSetting: (setting) => ({ threshold: String(setting.threshold) }),
  fromPosted: (body) => ({ threshold: textOf(body, 'threshold') }),
  toValue: (draft) => ({ threshold: draft.threshold.trim() === '' ? Number.NaN : Number(draft.threshold.trim().replace(',', '.')) }),
  fields: (draft, _context, errors) =>
    html`${textField('threshold', LABEL, draft.threshold, errors, {
      required: true,
      hint: 'Bijvoorbeeld 0,3. Is de herkenning minder zeker, dan krijgt het bericht onderwerp Overig en de zaak de aandacht van een medewerker. Hoger: minder fouten, meer handwerk.',
    })}`,
  locate: ([field]) => (field === 'threshold' ? { field: 'threshold', label: LABEL } : undefined),
});
