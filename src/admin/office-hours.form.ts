import { html } from '../ui/html.js';
import { linesOf, textArea, textField, textOf } from './form.fields.js';
import type { OfficeHoursSetting } from '../policy/office-hours.setting.js';
import { settingForm } from './setting.form.js';

interface HoursDraft {
  opensAt: string;
  closesAt: string;
  extraClosedDays: string;
}

const LABELS: Record<keyof HoursDraft, string> = {
  opensAt: 'Open vanaf',
  closesAt: 'Open tot',
  extraClosedDays: 'Extra sluitingsdagen',
};

/** Opening and closing time (Monday to Friday) and the extra closed days, one date a line. */
export const officeHoursForm = settingForm<OfficeHoursSetting, HoursDraft>({
  fromSetting: (hours) => ({ opensAt: hours.opensAt, closesAt: hours.closesAt, extraClosedDays: hours.extraClosedDays.join('\n') }),
  fromPosted: (body) => ({ opensAt: textOf(body, 'opensAt'), closesAt: textOf(body, 'closesAt'), extraClosedDays: textOf(body, 'extraClosedDays') }),
  toValue: (d) => ({ opensAt: d.opensAt.trim(), closesAt: d.closesAt.trim(), extraClosedDays: linesOf(d.extraClosedDays) }),
  fields: (d, _context, errors) => html`<fieldset><legend>Maandag tot en met vrijdag (Nederlandse tijd)</legend>
${textField('opensAt', LABELS.opensAt, d.opensAt, errors, { required: true, type: 'time', hint: 'Bijvoorbeeld 08:00.' })}
${textField('closesAt', LABELS.closesAt, d.closesAt, errors, { required: true, type: 'time', hint: 'Bijvoorbeeld 22:00.' })}
</fieldset>
${textArea('extraClosedDays', LABELS.extraClosedDays, d.extraClosedDays, errors, {
  rows: 5,
  hint: 'Naast de nationale feestdagen, die altijd dicht zijn. Eén datum per regel, bijvoorbeeld 2026-12-24.',
})}`,
  locate([field, index]) {
    const name = field === 'opensAt' || field === 'closesAt' || field === 'extraClosedDays' ? field : undefined;
    if (!name) return undefined;
    return { field: name, label: LABELS[name], line: typeof index === 'number' ? index : undefined };
  },
});
