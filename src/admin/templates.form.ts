import { html, type SafeHtml } from '../ui/html.js';
import type { UiLocale } from '../workspace/language.js';
import { countOf, editList, formKit, textOf, type FieldErrors, type Posted } from './form.fields.js';
import { settingForm } from './setting.form.js';
import type { ReplyTemplate } from '../policy/templates.js';

/** One template key with its Dutch and English text, as typed. */
interface TemplateDraft {
  key: string;
  name: string;
  /** The English template's own name; empty when it is the same as the Dutch one. */
  nameEn: string;
  subjectNl: string;
  bodyNl: string;
  subjectEn: string;
  bodyEn: string;
}

const TEXTS = {
  nl: {
    labels: {
      key: 'Sleutel',
      name: 'Naam',
      nameEn: 'Naam (Engels)',
      subjectNl: 'Onderwerpregel (Nederlands)',
      bodyNl: 'Tekst (Nederlands)',
      subjectEn: 'Onderwerpregel (Engels)',
      bodyEn: 'Tekst (Engels)',
    },
    template: (n: number) => `Sjabloon ${n}`,
    templateLower: (n: number) => `sjabloon ${n}`,
    count: 'Aantal sjablonen (Nederlands en Engels apart geteld)',
    keyHint: 'Kleine letters, cijfers en streepjes. Een regel kiest het sjabloon hiermee.',
    dutch: 'Nederlands',
    english: 'Engels',
    englishHint: 'Leeg laten: Engelstalige afzenders krijgen de Nederlandse tekst.',
    nameEnHint: 'Leeg: dezelfde naam als hierboven.',
    variablesHint: 'Variabelen: {reference}, {answerBy}, {name}.',
    add: 'Sjabloon toevoegen',
  },
  en: {
    labels: {
      key: 'Key',
      name: 'Name',
      nameEn: 'Name (English)',
      subjectNl: 'Subject line (Dutch)',
      bodyNl: 'Text (Dutch)',
      subjectEn: 'Subject line (English)',
      bodyEn: 'Text (English)',
    },
    template: (n: number) => `Template ${n}`,
    templateLower: (n: number) => `template ${n}`,
    count: 'Number of templates (Dutch and English counted separately)',
    keyHint: 'Lowercase letters, digits and hyphens. A rule chooses the template by it.',
    dutch: 'Dutch',
    english: 'English',
    englishHint: 'Left empty: English-speaking senders get the Dutch text.',
    nameEnHint: 'Empty: the same name as above.',
    variablesHint: 'Variables: {reference}, {answerBy}, {name}.',
    add: 'Add template',
  },
} as const;

/** The schema allows 100 templates (Dutch and English counted apart): more keys than that never fit. */
const MAX_KEYS = 100;

/** Templates grouped by key, in the order their keys first appear. */
function fromTemplates(templates: readonly ReplyTemplate[]): TemplateDraft[] {
  const drafts = new Map<string, TemplateDraft>();
  for (const t of templates) {
    const draft = drafts.get(t.key) ?? { key: t.key, name: t.name, nameEn: '', subjectNl: '', bodyNl: '', subjectEn: '', bodyEn: '' };
    if (t.locale === 'en') Object.assign(draft, { subjectEn: t.subject, bodyEn: t.body, nameEn: t.name });
    else Object.assign(draft, { subjectNl: t.subject, bodyNl: t.body, name: t.name });
    drafts.set(t.key, draft);
  }
  // An English name equal to the Dutch one (or the only one) is shown once, as the name.
  return [...drafts.values()].map((d) => (d.nameEn === d.name ? { ...d, nameEn: '' } : d));
}

const fromPosted = (body: Posted): TemplateDraft[] =>
  Array.from({ length: countOf(body, 's', MAX_KEYS) }, (_, i) => {
    const text = (field: keyof TemplateDraft) => textOf(body, `s${i}-${field}`);
    return {
      key: text('key'),
      name: text('name'),
      nameEn: text('nameEn'),
      subjectNl: text('subjectNl'),
      bodyNl: text('bodyNl'),
      subjectEn: text('subjectEn'),
      bodyEn: text('bodyEn'),
    };
  });

/** Where each entry of the flat list came from: which draft, which language. */
function entriesOf(drafts: readonly TemplateDraft[]): { draft: number; locale: 'nl' | 'en'; template: Record<string, string> }[] {
  return drafts.flatMap((d, draft) => {
    const common = { key: d.key.trim(), name: d.name.trim() };
    const hasEn = d.subjectEn.trim() !== '' || d.bodyEn.trim() !== '';
    const hasNl = d.subjectNl.trim() !== '' || d.bodyNl.trim() !== '' || !hasEn;
    return [
      ...(hasNl ? [{ draft, locale: 'nl' as const, template: { ...common, locale: 'nl', subject: d.subjectNl.trim(), body: d.bodyNl.trim() } }] : []),
      ...(hasEn
        ? [
            {
              draft,
              locale: 'en' as const,
              template: { ...common, name: d.nameEn.trim() || common.name, locale: 'en', subject: d.subjectEn.trim(), body: d.bodyEn.trim() },
            },
          ]
        : []),
    ];
  });
}

function templateFields(d: TemplateDraft, i: number, count: number, errors: FieldErrors, lang: UiLocale): SafeHtml {
  const t = TEXTS[lang];
  const { textField, textArea, entryButtons } = formKit(lang);
  const f = (field: keyof TemplateDraft) => `s${i}-${field}`;
  return html`<fieldset class="template" id="s${i}"><legend>${t.template(i + 1)}${d.name ? `: ${d.name}` : ''}</legend>
${textField(f('key'), t.labels.key, d.key, errors, { required: true, hint: t.keyHint })}
${textField(f('name'), t.labels.name, d.name, errors, { required: true })}
<fieldset><legend>${t.dutch}</legend>
${textField(f('subjectNl'), t.labels.subjectNl, d.subjectNl, errors, { hint: t.variablesHint })}
${textArea(f('bodyNl'), t.labels.bodyNl, d.bodyNl, errors, { rows: 8 })}
</fieldset>
<fieldset><legend>${t.english}</legend>
<p class="hint">${t.englishHint}</p>
${textField(f('nameEn'), t.labels.nameEn, d.nameEn, errors, { hint: t.nameEnHint })}
${textField(f('subjectEn'), t.labels.subjectEn, d.subjectEn, errors, { hint: t.variablesHint })}
${textArea(f('bodyEn'), t.labels.bodyEn, d.bodyEn, errors, { rows: 8 })}
</fieldset>
${entryButtons(i, count, t.templateLower(i + 1))}
</fieldset>`;
}

const blankTemplate = (): TemplateDraft => ({ key: '', name: '', nameEn: '', subjectNl: '', bodyNl: '', subjectEn: '', bodyEn: '' });

/** The reply templates, one fieldset per key with its Dutch and English subject and text. */
export const templatesForm = settingForm<ReplyTemplate[], TemplateDraft[]>({
  fromSetting: fromTemplates,
  fromPosted,
  edit: (drafts, action) => editList(drafts, action, blankTemplate),
  toValue: (drafts) => entriesOf(drafts).map((entry) => entry.template),
  fields: (drafts, _context, errors, lang) => html`${drafts.map((d, i) => templateFields(d, i, drafts.length, errors, lang))}
<div id="sjablonen">${formKit(lang).fieldError('sjablonen', errors.get('sjablonen'))}
<p><button type="submit" class="secondary" name="actie" value="toevoegen">${TEXTS[lang].add}</button></p></div>`,
  locate([k, field], drafts, lang) {
    const t = TEXTS[lang];
    if (k === undefined) return { field: 'sjablonen', label: t.count };
    const entry = typeof k === 'number' ? entriesOf(drafts)[k] : undefined;
    if (!entry) return undefined;
    const language = entry.locale === 'en' ? 'En' : 'Nl';
    const name: keyof TemplateDraft =
      field === 'subject' || field === 'body'
        ? `${field}${language}`
        : field === 'name'
          ? entry.locale === 'en' && drafts[entry.draft]?.nameEn.trim()
            ? 'nameEn'
            : 'name'
          : 'key';
    return { field: `s${entry.draft}-${name}`, label: `${t.template(entry.draft + 1)} › ${t.labels[name]}` };
  },
});
