import { html, type SafeHtml } from '../ui/html.js';
import type { UiLocale } from '../workspace/language.js';
import { countOf, editList, formKit, linesOf, textOf, type FieldErrors, type Posted } from './form.fields.js';
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

const TEXTS = {
  nl: {
    labels: {
      key: 'Sleutel',
      nameNl: 'Naam (Nederlands)',
      nameEn: 'Naam (Engels)',
      keywordsNl: 'Trefwoorden (Nederlands)',
      keywordsEn: 'Trefwoorden (Engels)',
      team: 'Team',
      weight: 'Gewicht',
    } as Record<string, string>,
    topic: (n: number) => `Onderwerp ${n}`,
    topicLower: (n: number) => `onderwerp ${n}`,
    count: 'Aantal onderwerpen',
    keyHint: 'Kleine letters, cijfers en streepjes. Regels en zaken verwijzen ernaar.',
    keywordsHint: 'Eén woord of woordgroep per regel.',
    teamHint: 'Leeg: geen vast team.',
    weightHint: '1 tot en met 10; telt mee bij het classificeren. Leeg: 1.',
    add: 'Onderwerp toevoegen',
  },
  en: {
    labels: {
      key: 'Key',
      nameNl: 'Name (Dutch)',
      nameEn: 'Name (English)',
      keywordsNl: 'Keywords (Dutch)',
      keywordsEn: 'Keywords (English)',
      team: 'Team',
      weight: 'Weight',
    } as Record<string, string>,
    topic: (n: number) => `Topic ${n}`,
    topicLower: (n: number) => `topic ${n}`,
    count: 'Number of topics',
    keyHint: 'Lowercase letters, digits and hyphens. Rules and cases refer to it.',
    keywordsHint: 'One word or phrase per line.',
    teamHint: 'Empty: no fixed team.',
    weightHint: '1 to 10; counts in the classification. Empty: 1.',
    add: 'Add topic',
  },
} as const;

/** The schema's maximum (topicsSettingSchema); one more posted is refused, never cut off. */
const MAX_TOPICS = 100;

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

function topicFields(d: TopicDraft, i: number, count: number, errors: FieldErrors, lang: UiLocale): SafeHtml {
  const t = TEXTS[lang];
  const { textField, textArea, entryButtons } = formKit(lang);
  const f = (field: keyof TopicDraft) => `t${i}-${field}`;
  const label = (field: keyof TopicDraft) => t.labels[field]!;
  return html`<fieldset class="topic" id="t${i}"><legend>${t.topic(i + 1)}${d.nameNl ? `: ${d.nameNl}` : ''}</legend>
${textField(f('key'), label('key'), d.key, errors, { required: true, hint: t.keyHint })}
${textField(f('nameNl'), label('nameNl'), d.nameNl, errors, { required: true })}
${textField(f('nameEn'), label('nameEn'), d.nameEn, errors, { required: true })}
${textArea(f('keywordsNl'), label('keywordsNl'), d.keywordsNl, errors, { hint: t.keywordsHint })}
${textArea(f('keywordsEn'), label('keywordsEn'), d.keywordsEn, errors, { hint: t.keywordsHint })}
${textField(f('team'), label('team'), d.team, errors, { hint: t.teamHint })}
${textField(f('weight'), label('weight'), d.weight, errors, { type: 'number', hint: t.weightHint })}
${entryButtons(i, count, t.topicLower(i + 1))}
</fieldset>`;
}

const blankTopic = (): TopicDraft => ({ key: '', nameNl: '', nameEn: '', keywordsNl: '', keywordsEn: '', team: '', weight: '1' });

/** The topics in order: names, keywords NL/EN, team, weight; add, delete, move. */
export const topicsForm = settingForm<TopicsSetting, TopicDraft[]>({
  fromSetting: (topics) => topics.map(fromTopic),
  fromPosted,
  edit: (drafts, action) => editList(drafts, action, blankTopic),
  toValue: (drafts) => drafts.map(toTopic),
  fields: (drafts, _context, errors, lang) => html`${drafts.map((d, i) => topicFields(d, i, drafts.length, errors, lang))}
<div id="onderwerpen">${formKit(lang).fieldError('onderwerpen', errors.get('onderwerpen'))}
<p><button type="submit" class="secondary" name="actie" value="toevoegen">${TEXTS[lang].add}</button></p></div>`,
  locate([i, field, locale, line], _drafts, lang) {
    const t = TEXTS[lang];
    if (i === undefined) return { field: 'onderwerpen', label: t.count };
    if (typeof i !== 'number') return undefined;
    const name = field === 'keywords' ? (locale === 'en' ? 'keywordsEn' : 'keywordsNl') : String(field ?? 'key');
    return { field: `t${i}-${name}`, label: `${t.topic(i + 1)} › ${t.labels[name] ?? name}`, line: typeof line === 'number' ? line : undefined };
  },
});
