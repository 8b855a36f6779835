import { html } from '../ui/html.js';
import { formKit, linesOf, textOf } from './form.fields.js';
import type { OfficeHoursSetting } from '../policy/office-hours.setting.js';
import { settingForm } from './setting.form.js';

interface HoursDraft {
  opensAt: string;
  closesAt: string;
  extraClosedDays: string;
}

const TEXTS = {
  nl: {
    labels: { opensAt: 'Open vanaf', closesAt: 'Open tot', extraClosedDays: 'Extra sluitingsdagen' },
    week: 'Maandag tot en met vrijdag (Nederlandse tijd)',
    opensHint: 'Bijvoorbeeld 08:00.',
    closesHint: 'Bijvoorbeeld 22:00.',
    daysHint: 'Naast de nationale feestdagen, die altijd dicht zijn. Eén datum per regel, bijvoorbeeld 2026-12-24.',
  },
  en: {
    labels: { opensAt: 'Open from', closesAt: 'Open until', extraClosedDays: 'Extra closing days' },
    week: 'Monday to Friday (Dutch time)',
    opensHint: 'For example 08:00.',
    closesHint: 'For example 22:00.',
    daysHint: 'Besides the national holidays, which are always closed. One date per line, for example 2026-12-24.',
  },
} as const;

/** Opening and closing time (Monday to Friday) and the extra closed days, one date a line. */
export const officeHoursForm = settingForm<OfficeHoursSetting, HoursDraft>({
  fromSetting: (hours) => ({ opensAt: hours.opensAt, closesAt: hours.closesAt, extraClosedDays: hours.extraClosedDays.join('\n') }),
  fromPosted: (body) => ({ opensAt: textOf(body, 'opensAt'), closesAt: textOf(body, 'closesAt'), extraClosedDays: textOf(body, 'extraClosedDays') }),
  toValue: (d) => ({ opensAt: d.opensAt.trim(), closesAt: d.closesAt.trim(), extraClosedDays: linesOf(d.extraClosedDays) }),
  fields: (d, _context, errors, lang) => {
    const t = TEXTS[lang];
    const { textField, textArea } = formKit(lang);
    return html`<fieldset><legend>${t.week}</legend>
${textField('opensAt', t.labels.opensAt, d.opensAt, errors, { required: true, type: 'time', hint: t.opensHint })}
${textField('closesAt', t.labels.closesAt, d.closesAt, errors, { required: true, type: 'time', hint: t.closesHint })}
</fieldset>
${textArea('extraClosedDays', t.labels.extraClosedDays, d.extraClosedDays, errors, { rows: 5, hint: t.daysHint })}`;
  },
  locate([field, index], _draft, lang) {
    const name = field === 'opensAt' || field === 'closesAt' || field === 'extraClosedDays' ? field : undefined;
    if (!name) return undefined;
    return { field: name, label: TEXTS[lang].labels[name], line: typeof index === 'number' ? index : undefined };
  },
});
