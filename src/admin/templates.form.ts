import { fieldError } from '../ui/form.js';
import { html, type SafeHtml } from '../ui/html.js';
import { NL_FIELDS, countOf, editList, entryButtons, textArea, textField, textOf, type FieldErrors, type Posted } from './form.fields.js';
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

const LABELS: Record<keyof TemplateDraft, string> = {
  key: 'Sleutel',
  name: 'Naam',
  nameEn: 'Naam (Engels)',
  subjectNl: 'Onderwerpregel (Nederlands)',
  bodyNl: 'Tekst (Nederlands)',
  subjectEn: 'Onderwerpregel (Engels)',
  bodyEn: 'Tekst (Engels)',
};

/** The schema allows 100 templates (Dutch and English counted apart): more keys than that never fit. */
const MAX_KEYS = 100;
const VARIABLES_HINT = 'Variabelen: {reference}, {answerBy}, {name}.';

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

function templateFields(d: TemplateDraft, i: number, count: number, errors: FieldErrors): SafeHtml {
  const f = (field: keyof TemplateDraft) => `s${i}-${field}`;
  return html`<fieldset class="template" id="s${i}"><legend>Sjabloon ${i + 1}${d.name ? `: ${d.name}` : ''}</legend>
${textField(f('key'), LABELS.key, d.key, errors, { required: true, hint: 'Kleine letters, cijfers en streepjes. Een regel kiest het sjabloon hiermee.' })}
${textField(f('name'), LABELS.name, d.name, errors, { required: true })}
<fieldset><legend>Nederlands</legend>
${textField(f('subjectNl'), LABELS.subjectNl, d.subjectNl, errors, { hint: VARIABLES_HINT })}
${textArea(f('bodyNl'), LABELS.bodyNl, d.bodyNl, errors, { rows: 8 })}
</fieldset>
<fieldset><legend>Engels</legend>
<p class="hint">Leeg laten: Engelstalige afzenders krijgen de Nederlandse tekst.</p>
${textField(f('nameEn'), LABELS.nameEn, d.nameEn, errors, { hint: 'Leeg: dezelfde naam als hierboven.' })}
${textField(f('subjectEn'), LABELS.subjectEn, d.subjectEn, errors, { hint: VARIABLES_HINT })}
${textArea(f('bodyEn'), LABELS.bodyEn, d.bodyEn, errors, { rows: 8 })}
</fieldset>
${entryButtons(i, count, `sjabloon ${i + 1}`)}
</fieldset>`;
}

const blankTemplate = (): TemplateDraft => ({ key: '', name: '', nameEn: '', subjectNl: '', bodyNl: '', subjectEn: '', bodyEn: '' });

/** The reply templates, one fieldset per key with its Dutch and English subject and text. */
export const templatesForm = settingForm<ReplyTemplate[], TemplateDraft[]>({
  fromSetting: fromTemplates,
  fromPosted,
  edit: (drafts, action) => editList(drafts, action, blankTemplate),
  toValue: (drafts) => entriesOf(drafts).map((entry) => entry.template),
  fields: (drafts, _context, errors) => html`${drafts.map((d, i) => templateFields(d, i, drafts.length, errors))}
<div id="sjablonen">${fieldError(NL_FIELDS, 'sjablonen', errors.get('sjablonen'))}
<p><button type="submit" class="secondary" name="actie" value="toevoegen">Sjabloon toevoegen</button></p></div>`,
  locate([k, field], drafts) {
    if (k === undefined) return { field: 'sjablonen', label: 'Aantal sjablonen (Nederlands en Engels apart geteld)' };
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
    return { field: `s${entry.draft}-${name}`, label: `Sjabloon ${entry.draft + 1} › ${LABELS[name]}` };
  },
});
