import { CHANNEL_NAMES } from '../message.js';
import { html, type SafeHtml } from '../ui/html.js';
import type { UiLocale } from '../workspace/language.js';
import { labels } from '../workspace/workspace.texts.js';
import { countOf, editList, filled, formKit, textOf, valuesOf, type FieldErrors, type Posted } from './form.fields.js';
import type { RoutingRule } from '../policy/rules.schema.js';
import { settingForm, type FormContext } from './setting.form.js';

/** One rule's fields as typed. */
interface RuleDraft {
  id: string;
  name: string;
  enabled: boolean;
  channels: string[];
  topics: string[];
  senders: string;
  subjectContains: string;
  bodyContains: string;
  subjectMatches: string;
  bodyMatches: string;
  hasAttachment: string;
  officeHours: string;
  topic: string;
  team: string;
  priority: string;
  complaint: boolean;
  replyTemplate: string;
  stop: boolean;
}

const TEXTS = {
  nl: {
    labels: {
      id: 'Sleutel',
      name: 'Naam',
      enabled: 'Actief',
      when: 'Voorwaarden',
      channels: 'Kanalen',
      topics: 'Onderwerpen',
      senders: 'Afzenders',
      subjectContains: 'Onderwerpregel bevat',
      bodyContains: 'Tekst bevat',
      subjectMatches: 'Onderwerpregel past op patroon',
      bodyMatches: 'Tekst past op patroon',
      hasAttachment: 'Bijlage',
      officeHours: 'Openingstijden',
      then: 'Acties',
      topic: 'Onderwerp zetten op',
      team: 'Team',
      priority: 'Prioriteit',
      complaint: 'Markeren als klacht',
      replyTemplate: 'Automatisch antwoord',
      stop: 'Stoppen',
    } as Record<string, string>,
    rule: (n: number) => `Regel ${n}`,
    ruleLower: (n: number) => `regel ${n}`,
    count: 'Aantal regels',
    idHint: 'Kleine letters, cijfers en streepjes; het proefdraaien toont welke regels golden.',
    enabled: 'Actief (uitgezet: de regel wordt overgeslagen)',
    whenHint: 'Alle ingevulde voorwaarden moeten kloppen. Leeg gelaten: maakt niet uit.',
    topicsHint: 'Het onderwerp zoals het op dat moment is (na eerdere regels).',
    sendersHint: 'Een adres (naam@domein.nl) of een heel domein (@domein.nl), één per regel.',
    patternHint: 'Reguliere expressie, hoofdletters tellen niet. Hoogstens 200 tekens; terugverwijzingen (\\1) en lookahead/lookbehind zijn niet mogelijk.',
    any: 'maakt niet uit',
    withAttachment: 'met bijlage',
    withoutAttachment: 'zonder bijlage',
    insideHours: 'binnen openingstijden',
    outsideHours: 'buiten openingstijden',
    unchanged: 'niet wijzigen',
    teamHint: 'Leeg: het team van het onderwerp.',
    priorities: { low: 'laag', normal: 'normaal', high: 'hoog' },
    complaint: 'Markeren als klacht (onderwerp klacht)',
    noTemplate: 'geen (de gewone ontvangstbevestiging)',
    stop: 'Stoppen: hierna geen regels meer toepassen',
    none: 'Er zijn nog geen regels: elk bericht krijgt het onderwerp van de classificatie en het team daarvan.',
    add: 'Regel toevoegen',
  },
  en: {
    labels: {
      id: 'Key',
      name: 'Name',
      enabled: 'Active',
      when: 'Conditions',
      channels: 'Channels',
      topics: 'Topics',
      senders: 'Senders',
      subjectContains: 'Subject line contains',
      bodyContains: 'Text contains',
      subjectMatches: 'Subject line matches pattern',
      bodyMatches: 'Text matches pattern',
      hasAttachment: 'Attachment',
      officeHours: 'Office hours',
      then: 'Actions',
      topic: 'Set topic to',
      team: 'Team',
      priority: 'Priority',
      complaint: 'Mark as complaint',
      replyTemplate: 'Automatic reply',
      stop: 'Stop',
    } as Record<string, string>,
    rule: (n: number) => `Rule ${n}`,
    ruleLower: (n: number) => `rule ${n}`,
    count: 'Number of rules',
    idHint: 'Lowercase letters, digits and hyphens; the dry run shows which rules applied.',
    enabled: 'Active (switched off: the rule is skipped)',
    whenHint: 'Every condition filled in must hold. Left empty: does not matter.',
    topicsHint: 'The topic as it is at that point (after earlier rules).',
    sendersHint: 'An address (name@domain.nl) or a whole domain (@domain.nl), one per line.',
    patternHint: 'Regular expression, case does not matter. At most 200 characters; backreferences (\\1) and lookahead/lookbehind are not possible.',
    any: 'does not matter',
    withAttachment: 'with attachment',
    withoutAttachment: 'without attachment',
    insideHours: 'within office hours',
    outsideHours: 'outside office hours',
    unchanged: 'do not change',
    teamHint: "Empty: the topic's team.",
    priorities: { low: 'low', normal: 'normal', high: 'high' },
    complaint: 'Mark as complaint (topic klacht)',
    noTemplate: 'none (the usual acknowledgement)',
    stop: 'Stop: apply no further rules after this one',
    none: "There are no rules yet: every message gets the topic the classification gives it, and that topic's team.",
    add: 'Add rule',
  },
} as const;

/** The schema's maximum (routingRulesSchema); one more posted is refused, never cut off. */
const MAX_RULES = 200;

const blankRule = (taken: readonly RuleDraft[]): RuleDraft => {
  let n = taken.length + 1;
  while (taken.some((rule) => rule.id === `regel-${n}`)) n++;
  return fromRule({ id: `regel-${n}`, name: '', enabled: true, when: {}, then: {} });
};

function fromRule(rule: RoutingRule): RuleDraft {
  const { when, then } = rule;
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    channels: [...(when.channels ?? [])],
    topics: [...(when.topics ?? [])],
    senders: (when.senders ?? []).join('\n'),
    subjectContains: when.subjectContains ?? '',
    bodyContains: when.bodyContains ?? '',
    subjectMatches: when.subjectMatches ?? '',
    bodyMatches: when.bodyMatches ?? '',
    hasAttachment: when.hasAttachment === undefined ? '' : when.hasAttachment ? 'ja' : 'nee',
    officeHours: when.officeHours ?? '',
    topic: then.topic ?? '',
    team: then.team ?? '',
    priority: then.priority ?? '',
    complaint: then.complaint === true,
    replyTemplate: then.replyTemplate ?? '',
    stop: then.stop === true,
  };
}

function fromPosted(body: Posted): RuleDraft[] {
  return Array.from({ length: countOf(body, 'r', MAX_RULES) }, (_, i) => {
    const text = (field: string) => textOf(body, `r${i}-${field}`);
    return {
      id: text('id'),
      name: text('name'),
      enabled: text('enabled') === 'ja',
      channels: valuesOf(body, `r${i}-channels`),
      topics: valuesOf(body, `r${i}-topics`),
      senders: text('senders'),
      subjectContains: text('subjectContains'),
      bodyContains: text('bodyContains'),
      subjectMatches: text('subjectMatches'),
      bodyMatches: text('bodyMatches'),
      hasAttachment: text('hasAttachment'),
      officeHours: text('officeHours'),
      topic: text('topic'),
      team: text('team'),
      priority: text('priority'),
      complaint: text('complaint') === 'ja',
      replyTemplate: text('replyTemplate'),
      stop: text('stop') === 'ja',
    };
  });
}

/** The object without its undefined fields: a rule's actions must have at least one key that says something. */
const defined = (object: Record<string, unknown>) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
const someOf = (list: string[]) => (list.length > 0 ? list : undefined);
const trimmed = (text: string) => filled(text)?.trim();

function toRule(d: RuleDraft): unknown {
  return {
    id: d.id.trim(),
    name: d.name.trim(),
    enabled: d.enabled,
    when: defined({
      channels: someOf(d.channels),
      topics: someOf(d.topics),
      senders: someOf(d.senders.split(/[\s,;]+/).filter(Boolean)),
      subjectContains: trimmed(d.subjectContains),
      bodyContains: trimmed(d.bodyContains),
      // A pattern is kept as typed: a leading space may be meant.
      subjectMatches: filled(d.subjectMatches),
      bodyMatches: filled(d.bodyMatches),
      hasAttachment: d.hasAttachment === 'ja' ? true : d.hasAttachment === 'nee' ? false : undefined,
      officeHours: filled(d.officeHours),
    }),
    then: defined({
      topic: filled(d.topic),
      team: trimmed(d.team),
      priority: filled(d.priority),
      complaint: d.complaint || undefined,
      replyTemplate: filled(d.replyTemplate),
      stop: d.stop || undefined,
    }),
  };
}

function ruleFields(d: RuleDraft, i: number, count: number, context: FormContext, errors: FieldErrors, lang: UiLocale): SafeHtml {
  const t = TEXTS[lang];
  const { textField, textArea, selectField, checkField, checkGroup, fieldError, entryButtons } = formKit(lang);
  const f = (field: string) => `r${i}-${field}`;
  const label = (field: string) => t.labels[field]!;
  const any = { value: '', label: t.any };
  const unchanged = { value: '', label: t.unchanged };
  const topicChoices = context.topics.map((topic) => ({ value: topic.key, label: `${topic.nameNl} (${topic.key})` }));
  const channels = labels(lang).channels;
  const thenError = errors.get(f('then'));
  return html`<fieldset class="rule" id="${f('regel')}"><legend>${t.rule(i + 1)}${d.name ? `: ${d.name}` : ''}</legend>
${textField(f('id'), label('id'), d.id, errors, { required: true, hint: t.idHint })}
${textField(f('name'), label('name'), d.name, errors)}
${checkField(f('enabled'), t.enabled, d.enabled, errors)}
<fieldset><legend>${label('when')}</legend>
<p class="hint">${t.whenHint}</p>
${checkGroup(
  f('channels'),
  label('channels'),
  CHANNEL_NAMES.map((c) => ({ value: c, label: channels[c] ?? c })),
  d.channels,
  errors,
)}
${checkGroup(f('topics'), label('topics'), topicChoices, d.topics, errors, t.topicsHint)}
${textArea(f('senders'), label('senders'), d.senders, errors, { rows: 2, hint: t.sendersHint })}
${textField(f('subjectContains'), label('subjectContains'), d.subjectContains, errors)}
${textField(f('bodyContains'), label('bodyContains'), d.bodyContains, errors)}
${textField(f('subjectMatches'), label('subjectMatches'), d.subjectMatches, errors, { hint: t.patternHint })}
${textField(f('bodyMatches'), label('bodyMatches'), d.bodyMatches, errors, { hint: t.patternHint })}
${selectField(f('hasAttachment'), label('hasAttachment'), [any, { value: 'ja', label: t.withAttachment }, { value: 'nee', label: t.withoutAttachment }], d.hasAttachment, errors)}
${selectField(f('officeHours'), label('officeHours'), [any, { value: 'inside', label: t.insideHours }, { value: 'outside', label: t.outsideHours }], d.officeHours, errors)}
</fieldset>
<fieldset id="${f('then')}"${thenError ? html` aria-describedby="${f('then')}-error"` : ''}><legend>${label('then')}</legend>
${fieldError(f('then'), thenError)}
${selectField(f('topic'), label('topic'), [unchanged, ...topicChoices], d.topic, errors)}
${textField(f('team'), label('team'), d.team, errors, { hint: t.teamHint })}
${selectField(
  f('priority'),
  label('priority'),
  [unchanged, { value: 'low', label: t.priorities.low }, { value: 'normal', label: t.priorities.normal }, { value: 'high', label: t.priorities.high }],
  d.priority,
  errors,
)}
${checkField(f('complaint'), t.complaint, d.complaint, errors)}
${selectField(f('replyTemplate'), label('replyTemplate'), [{ value: '', label: t.noTemplate }, ...context.templates.map((template) => ({ value: template.key, label: template.name }))], d.replyTemplate, errors)}
${checkField(f('stop'), t.stop, d.stop, errors)}
</fieldset>
${entryButtons(i, count, t.ruleLower(i + 1))}
</fieldset>`;
}

/** The routing rules as an ordered list of fieldsets: conditions, actions, add, delete, move. */
export const rulesForm = settingForm<RoutingRule[], RuleDraft[]>({
  fromSetting: (rules) => rules.map(fromRule),
  fromPosted,
  edit: (drafts, action) => editList(drafts, action, () => blankRule(drafts)),
  toValue: (drafts) => drafts.map(toRule),
  fields: (drafts, context, errors, lang) => html`${drafts.length === 0 ? html`<p>${TEXTS[lang].none}</p>` : ''}
${drafts.map((d, i) => ruleFields(d, i, drafts.length, context, errors, lang))}
<div id="regels">${formKit(lang).fieldError('regels', errors.get('regels'))}
<p><button type="submit" class="secondary" name="actie" value="toevoegen">${TEXTS[lang].add}</button></p></div>`,
  locate([i, group, key, line], _drafts, lang) {
    const t = TEXTS[lang];
    if (i === undefined) return { field: 'regels', label: t.count };
    if (typeof i !== 'number') return undefined;
    const field = group === 'when' || group === 'then' ? (key === undefined ? group : String(key)) : group === undefined ? 'regel' : String(group);
    // Conditions as a whole have no field of their own: the rule's fieldset takes the message.
    const target = field === 'when' ? 'regel' : field;
    return {
      field: `r${i}-${target}`,
      label: `${t.rule(i + 1)} › ${t.labels[field] ?? field}`,
      line: field === 'senders' && typeof line === 'number' ? line : undefined,
    };
  },
});
