import { fieldError } from '../ui/form.js';
import { html, type SafeHtml } from '../ui/html.js';
import { NL_FIELDS, countOf, editList, entryButtons, linesOf, textArea, textField, textOf, type FieldErrors, type Posted } from './form.fields.js';
import { settingForm } from './setting.form.js';
import type { TopicsSetting } from '../policy/topics.setting.js';

/** One topic's fields as typed. */
interface TopicDraft {
  key: string;
  nameNl: string;
  nameEn: string;
  keywordsNl: string;
  keywordsEn: string;
  team: string;
  weight: string;
}

const LABELS: Record<string, string> = {
  key: 'Sleutel',
  nameNl: 'Naam (Nederlands)',
  nameEn: 'Naam (Engels)',
  keywordsNl: 'Trefwoorden (Nederlands)',
  keywordsEn: 'Trefwoorden (Engels)',
  team: 'Team',
  weight: 'Gewicht',
};

/** The schema's maximum (topicsSettingSchema); one more posted is refused, never cut off. */
const MAX_TOPICS = 100;
const KEYWORDS_HINT = 'Eén woord of woordgroep per regel.';

const fromTopic = (t: TopicsSetting[number]): TopicDraft => ({
  key: t.key,
  nameNl: t.nameNl,
  nameEn: t.nameEn,
  keywordsNl: t.keywords.nl.join('\n'),
  keywordsEn: t.keywords.en.join('\n'),
  team: t.team ?? '',
  weight: String(t.weight),
});

const fromPosted = (body: Posted): TopicDraft[] =>
  Array.from({ length: countOf(body, 't', MAX_TOPICS) }, (_, i) => {
    const text = (field: keyof TopicDraft) => textOf(body, `t${i}-${field}`);
    return {
      key: text('key'),
      nameNl: text('nameNl'),
      nameEn: text('nameEn'),
      keywordsNl: text('keywordsNl'),
      keywordsEn: text('keywordsEn'),
      team: text('team'),
      weight: text('weight'),
    };
  });

// A weight that is not a whole number stays text, so the schema names the field.
const weightOf = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : text.trim() === '' ? undefined : text);

const toTopic = (d: TopicDraft) => ({
  key: d.key.trim(),
  nameNl: d.nameNl,
  nameEn: d.nameEn,
  keywords: { nl: linesOf(d.keywordsNl), en: linesOf(d.keywordsEn) },
  team: d.team.trim() === '' ? null : d.team,
  ...(weightOf(d.weight) === undefined ? {} : { weight: weightOf(d.weight) }),
});

function topicFields(d: TopicDraft, i: number, count: number, errors: FieldErrors): SafeHtml {
  const f = (field: keyof TopicDraft) => `t${i}-${field}`;
  return html`<fieldset class="topic" id="t${i}"><legend>Onderwerp ${i + 1}${d.nameNl ? `: ${d.nameNl}` : ''}</legend>
${textField(f('key'), LABELS['key']!, d.key, errors, { required: true, hint: 'Kleine letters, cijfers en streepjes. Regels en zaken verwijzen ernaar.' })}
${textField(f('nameNl'), LABELS['nameNl']!, d.nameNl, errors, { required: true })}
${textField(f('nameEn'), LABELS['nameEn']!, d.nameEn, errors, { required: true })}
${textArea(f('keywordsNl'), LABELS['keywordsNl']!, d.keywordsNl, errors, { hint: KEYWORDS_HINT })}
${textArea(f('keywordsEn'), LABELS['keywordsEn']!, d.keywordsEn, errors, { hint: KEYWORDS_HINT })}
${textField(f('team'), LABELS['team']!, d.team, errors, { hint: 'Leeg: geen vast team.' })}
${textField(f('weight'), LABELS['weight']!, d.weight, errors, { type: 'number', hint: '1 tot en met 10; telt mee bij het classificeren. Leeg: 1.' })}
${entryButtons(i, count, `onderwerp ${i + 1}`)}
</fieldset>`;
}

const blankTopic = (): TopicDraft => ({ key: '', nameNl: '', nameEn: '', keywordsNl: '', keywordsEn: '', team: '', weight: '1' });

/** The topics in order: names, keywords NL/EN, team, weight; add, delete, move. */
export const topicsForm = settingForm<TopicsSetting, TopicDraft[]>({
  fromSetting: (topics) => topics.map(fromTopic),
  fromPosted,
  edit: (drafts, action) => editList(drafts, action, blankTopic),
  toValue: (drafts) => drafts.map(toTopic),
  fields: (drafts, _context, errors) => html`${drafts.map((d, i) => topicFields(d, i, drafts.length, errors))}
<div id="onderwerpen">${fieldError(NL_FIELDS, 'onderwerpen', errors.get('onderwerpen'))}
<p><button type="submit" class="secondary" name="actie" value="toevoegen">Onderwerp toevoegen</button></p></div>`,
  locate([i, field, locale, line]) {
    if (i === undefined) return { field: 'onderwerpen', label: 'Aantal onderwerpen' };
    if (typeof i !== 'number') return undefined;
    const name = field === 'keywords' ? (locale === 'en' ? 'keywordsEn' : 'keywordsNl') : String(field ?? 'key');
    return { field: `t${i}-${name}`, label: `Onderwerp ${i + 1} › ${LABELS[name] ?? name}`, line: typeof line === 'number' ? line : undefined };
  },
});
