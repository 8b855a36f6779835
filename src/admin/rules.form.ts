import { CHANNEL_NAMES } from '../message.js';
import { html, type SafeHtml } from '../ui/html.js';
import { CHANNEL_LABELS } from '../workspace/workspace.texts.js';
import { fieldError } from '../ui/form.js';
import {
  checkField,
  checkGroup,
  countOf,
  editList,
  entryButtons,
  filled,
  NL_FIELDS,
  selectField,
  textArea,
  textField,
  textOf,
  valuesOf,
  type FieldErrors,
  type Posted,
} from './form.fields.js';
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

const LABELS: Record<string, string> = {
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
};

/** The schema's maximum (routingRulesSchema); one more posted is refused, never cut off. */
const MAX_RULES = 200;
const PATTERN_HINT = 'Reguliere expressie, hoofdletters tellen niet. Hoogstens 200 tekens; terugverwijzingen (\\1) en lookahead/lookbehind zijn niet mogelijk.';

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

const ANY = { value: '', label: 'maakt niet uit' };

function ruleFields(d: RuleDraft, i: number, count: number, context: FormContext, errors: FieldErrors): SafeHtml {
  const f = (field: string) => `r${i}-${field}`;
  const what = `regel ${i + 1}`;
  const topicChoices = context.topics.map((t) => ({ value: t.key, label: `${t.nameNl} (${t.key})` }));
  const thenError = errors.get(f('then'));
  return html`<fieldset class="rule" id="${f('regel')}"><legend>Regel ${i + 1}${d.name ? `: ${d.name}` : ''}</legend>
${textField(f('id'), LABELS['id']!, d.id, errors, { required: true, hint: 'Kleine letters, cijfers en streepjes; het proefdraaien toont welke regels golden.' })}
${textField(f('name'), LABELS['name']!, d.name, errors)}
${checkField(f('enabled'), 'Actief (uitgezet: de regel wordt overgeslagen)', d.enabled, errors)}
<fieldset><legend>Voorwaarden</legend>
<p class="hint">Alle ingevulde voorwaarden moeten kloppen. Leeg gelaten: maakt niet uit.</p>
${checkGroup(
  f('channels'),
  LABELS['channels']!,
  CHANNEL_NAMES.map((c) => ({ value: c, label: CHANNEL_LABELS[c] ?? c })),
  d.channels,
  errors,
)}
${checkGroup(f('topics'), LABELS['topics']!, topicChoices, d.topics, errors, 'Het onderwerp zoals het op dat moment is (na eerdere regels).')}
${textArea(f('senders'), LABELS['senders']!, d.senders, errors, { rows: 2, hint: 'Een adres (naam@domein.nl) of een heel domein (@domein.nl), één per regel.' })}
${textField(f('subjectContains'), LABELS['subjectContains']!, d.subjectContains, errors)}
${textField(f('bodyContains'), LABELS['bodyContains']!, d.bodyContains, errors)}
${textField(f('subjectMatches'), LABELS['subjectMatches']!, d.subjectMatches, errors, { hint: PATTERN_HINT })}
${textField(f('bodyMatches'), LABELS['bodyMatches']!, d.bodyMatches, errors, { hint: PATTERN_HINT })}
${selectField(f('hasAttachment'), LABELS['hasAttachment']!, [ANY, { value: 'ja', label: 'met bijlage' }, { value: 'nee', label: 'zonder bijlage' }], d.hasAttachment, errors)}
${selectField(f('officeHours'), LABELS['officeHours']!, [ANY, { value: 'inside', label: 'binnen openingstijden' }, { value: 'outside', label: 'buiten openingstijden' }], d.officeHours, errors)}
</fieldset>
<fieldset id="${f('then')}"${thenError ? html` aria-describedby="${f('then')}-error"` : ''}><legend>Acties</legend>
${fieldError(NL_FIELDS, f('then'), thenError)}
${selectField(f('topic'), LABELS['topic']!, [{ value: '', label: 'niet wijzigen' }, ...topicChoices], d.topic, errors)}
${textField(f('team'), LABELS['team']!, d.team, errors, { hint: 'Leeg: het team van het onderwerp.' })}
${selectField(
  f('priority'),
  LABELS['priority']!,
  [
    { value: '', label: 'niet wijzigen' },
    { value: 'low', label: 'laag' },
    { value: 'normal', label: 'normaal' },
    { value: 'high', label: 'hoog' },
  ],
  d.priority,
  errors,
)}
${checkField(f('complaint'), 'Markeren als klacht (onderwerp klacht)', d.complaint, errors)}
${selectField(f('replyTemplate'), LABELS['replyTemplate']!, [{ value: '', label: 'geen (de gewone ontvangstbevestiging)' }, ...context.templates.map((t) => ({ value: t.key, label: t.name }))], d.replyTemplate, errors)}
${checkField(f('stop'), 'Stoppen: hierna geen regels meer toepassen', d.stop, errors)}
</fieldset>
${entryButtons(i, count, what)}
</fieldset>`;
}

/** The routing rules as an ordered list of fieldsets: conditions, actions, add, delete, move. */
export const rulesForm = settingForm<RoutingRule[], RuleDraft[]>({
  fromSetting: (rules) => rules.map(fromRule),
  fromPosted,
  edit: (drafts, action) => editList(drafts, action, () => blankRule(drafts)),
  toValue: (drafts) => drafts.map(toRule),
  fields: (
    drafts,
    context,
    errors,
  ) => html`${drafts.length === 0 ? html`<p>Er zijn nog geen regels: elk bericht krijgt het onderwerp van de classificatie en het team daarvan.</p>` : ''}
${drafts.map((d, i) => ruleFields(d, i, drafts.length, context, errors))}
<div id="regels">${fieldError(NL_FIELDS, 'regels', errors.get('regels'))}
<p><button type="submit" class="secondary" name="actie" value="toevoegen">Regel toevoegen</button></p></div>`,
  locate([i, group, key, line]) {
    if (i === undefined) return { field: 'regels', label: 'Aantal regels' };
    if (typeof i !== 'number') return undefined;
    const field = group === 'when' || group === 'then' ? (key === undefined ? group : String(key)) : group === undefined ? 'regel' : String(group);
    // Conditions as a whole have no field of their own: the rule's fieldset takes the message.
    const target = field === 'when' ? 'regel' : field;
    return {
      field: `r${i}-${target}`,
      label: `Regel ${i + 1} › ${LABELS[field] ?? field}`,
      line: field === 'senders' && typeof line === 'number' ? line : undefined,
    };
  },
});
