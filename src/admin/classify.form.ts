import { html } from '../ui/html.js';
import { formKit, textOf } from './form.fields.js';
import type { ClassifyConfidenceSetting } from '../policy/classify.setting.js';
import { settingForm } from './setting.form.js';

const TEXTS = {
  nl: {
    label: 'Minimale zekerheid (0 tot 1)',
    hint: 'Bijvoorbeeld 0,3. Is de herkenning minder zeker, dan krijgt het bericht onderwerp Overig en de zaak de aandacht van een medewerker. Hoger: minder fouten, meer handwerk.',
  },
  en: {
    label: 'Minimum confidence (0 to 1)',
    hint: 'For example 0.3. When the recognition is less sure, the message gets the topic Overig (other) and the case is flagged for an agent. Higher: fewer mistakes, more manual work.',
  },
} as const;

/** The confidence under which a message's topic is left to a person. */
export const classifyConfidenceForm = settingForm<ClassifyConfidenceSetting, { threshold: string }>({
  fromSetting: (setting) => ({ threshold: String(setting.threshold) }),
  fromPosted: (body) => ({ threshold: textOf(body, 'threshold') }),
  toValue: (draft) => ({ threshold: draft.threshold.trim() === '' ? Number.NaN : Number(draft.threshold.trim().replace(',', '.')) }),
  fields: (draft, _context, errors, lang) =>
    html`${formKit(lang).textField('threshold', TEXTS[lang].label, draft.threshold, errors, { required: true, hint: TEXTS[lang].hint })}`,
  locate: ([field], _draft, lang) => (field === 'threshold' ? { field: 'threshold', label: TEXTS[lang].label } : undefined),
});
