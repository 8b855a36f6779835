import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Db } from '../db/database.js';
import type { SettingsCache } from '../settings.store.js';
import type { TopicCache } from '../topic.store.js';
import { html, type SafeHtml } from '../ui/html.js';
import { uiLocale, type UiLocale } from '../workspace/language.js';
import { dryRun, recentMessages, typedMessageSchema, typedToDryRun, type DryRunRow, type TypedMessage } from '../policy/dry-run.js';
import { loadRuleSet, type TopicGuesser } from '../policy/routing.decision.js';
import type { RuleOutcome } from '../policy/rules.js';
import type { RoutingRule } from '../policy/rules.schema.js';
import { editorOf } from './setting.editors.js';
import type { FormState } from './setting.form.js';
import { formContext, formPage } from './setting.form-page.js';
import { editorPage, parseJsonField } from './settings.json-page.js';
import { englishMessages } from './setting.messages.js';
import { issuesIn, SettingValidationError, validateSetting, type SettingIssue } from './settings.versions.js';

const RECENT = 500;

const TEXTS = {
  nl: {
    title: 'Resultaat van het proefdraaien',
    examined: (n: number, changed: number) => `${n} berichten bekeken; bij ${changed} verandert iets.`,
    changes: 'De nieuwe regels veranderen de afhandeling van dit bericht.',
    same: 'De nieuwe regels veranderen niets aan dit bericht.',
    columns: ['Bericht', 'Onderwerp', 'Team', 'Prioriteit', 'Automatisch antwoord', 'Regels (nieuw)', 'Herkend onderwerp'],
    keywords: 'op trefwoorden (geen model)',
    sure: (p: string) => `${p} zeker`,
    then: 'daarna',
    unsure: ' — te onzeker: Overig, een medewerker kiest',
    message: 'bericht',
  },
  en: {
    title: 'Result of the dry run',
    examined: (n: number, changed: number) => `${n} messages examined; something changes for ${changed}.`,
    changes: 'The new rules change how this message is handled.',
    same: 'The new rules change nothing for this message.',
    columns: ['Message', 'Topic', 'Team', 'Priority', 'Automatic reply', 'Rules (new)', 'Recognised topic'],
    keywords: 'by keywords (no model)',
    sure: (p: string) => `${p} sure`,
    then: 'then',
    unsure: ' — too unsure: Overig (other), an agent chooses',
    message: 'message',
  },
} as const;

type Texts = (typeof TEXTS)[UiLocale];

const outcomeText = (o: RuleOutcome, field: 'topic' | 'team' | 'priority' | 'replyTemplate') => o[field] ?? '—';

const percent = (p: number) => `${Math.round(p * 100)}%`;

/** What the classifier recognised: "salaris (83% zeker), daarna verlof (9%)", or that keywords decided. */
function recognisedText(row: DryRunRow, t: Texts): string {
  const { best, runnerUp, source, unsure } = row.recognised;
  if (source === 'keywords' || !best) return t.keywords;
  return `${best.topic} (${t.sure(percent(best.probability))})${runnerUp ? `, ${t.then} ${runnerUp.topic} (${percent(runnerUp.probability)})` : ''}${unsure ? t.unsure : ''}`;
}

function resultsTable(rows: DryRunRow[], recent: boolean, t: Texts): SafeHtml {
  const shown = recent ? rows.filter((row) => row.changed.length > 0) : rows;
  const cell = (row: DryRunRow, field: 'topic' | 'team' | 'priority' | 'replyTemplate') =>
    row.changed.includes(field)
      ? html`<td class="changed">${outcomeText(row.current, field)} → ${outcomeText(row.proposed, field)}</td>`
      : html`<td>${outcomeText(row.proposed, field)}</td>`;
  return html`<section id="proefdraaien-resultaat" aria-live="polite">
<h2>${t.title}</h2>
<p>${recent ? t.examined(rows.length, shown.length) : shown[0]?.changed.length ? t.changes : t.same}</p>
${
  shown.length === 0
    ? ''
    : html`<table><thead><tr>${t.columns.map((column) => html`<th>${column}</th>`)}</tr></thead><tbody>
${shown.slice(0, 500).map(
  (row) => html`<tr><td>${row.message.id ? `#${row.message.id} ` : ''}${row.message.channel} ${row.message.from ?? ''}<br>${row.message.subject}</td>
${cell(row, 'topic')}${cell(row, 'team')}${cell(row, 'priority')}${cell(row, 'replyTemplate')}<td>${row.proposed.matched.join(', ') || '—'}</td><td>${recognisedText(row, t)}</td></tr>`,
)}</tbody></table>`
}
</section>`;
}

/**
 * POST /admin/regels/proefdraaien: the edited rules against a typed message or the last 500
 * messages, next to the rules in force. Reads only. HTML from the rules form or the JSON
 * editor (`value`), JSON for `{ rules, message }` or `{ rules, recent: true }`.
 */
export function registerDryRun(app: FastifyInstance, deps: { db: Db; settings: SettingsCache; topics: TopicCache; guess?: () => Promise<TopicGuesser> }): void {
  const editor = editorOf('routing.rules');
  app.post('/admin/regels/proefdraaien', { config: { access: 'admin' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const lang = uiLocale(request);
    const json = request.headers['content-type']?.includes('application/json') ?? false;
    // Without `rules` or `value` the post came from the rules form: its fields are the rules.
    const form: FormState | undefined = json || 'rules' in body || 'value' in body ? undefined : editor.form.ofPosted(body);
    const comment = typeof body['comment'] === 'string' ? body['comment'] : undefined;
    const rawRules = form ? form.value : (body['rules'] ?? body['value']);
    const recent = json ? body['recent'] === true : body['mode'] === 'recent';
    const typedInput = json
      ? body['message']
      : { channel: body['channel'], from: body['from'], subject: body['subject'], text: body['text'], hasAttachment: body['attachment'] === 'ja' };
    const typedParsed = typedMessageSchema.safeParse(typedInput ?? {});
    const typed: TypedMessage | undefined = typedParsed.success ? typedParsed.data : undefined;
    const text = typeof rawRules === 'string' ? rawRules : JSON.stringify(rawRules ?? [], null, 2);
    const page = async (view: { issues?: SettingIssue[]; results?: SafeHtml }) =>
      form
        ? formPage(editor, form, await formContext(deps.db), { ...view, comment, typed, recent }, request)
        : editorPage(editor, { ...view, text, typed, recent }, request);

    let rules: RoutingRule[];
    try {
      rules = validateSetting('routing.rules', parseJsonField('routing.rules', rawRules ?? [])) as RoutingRule[];
      if (!recent && !typed) throw typedMessageError(typedParsed.error!.issues, typedInput);
    } catch (err) {
      if (!(err instanceof SettingValidationError)) throw err;
      if (json) return reply.code(400).send({ error: 'invalid', issues: issuesIn(err.issues, lang) });
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(await page({ issues: err.issues }));
    }

    const current = await loadRuleSet(deps.settings);
    const proposed = { ...current, rules };
    const messages = recent ? await recentMessages(deps.db, RECENT) : [typedToDryRun(typed!, new Date())];
    const rows = dryRun(messages, await deps.topics.get(), current, proposed, await deps.guess?.());
    if (json) return reply.send({ examined: rows.length, changed: rows.filter((r) => r.changed.length > 0).length, results: rows });
    return reply.type('text/html; charset=utf-8').send(await page({ results: resultsTable(rows, recent, TEXTS[lang]) }));
  });
}

/** The typed message that the dry run cannot try the rules on, each issue under `bericht` (`message`). */
function typedMessageError(issues: readonly z.core.$ZodIssue[], typed: unknown): SettingValidationError {
  const english = englishMessages('message', issues, typed);
  return new SettingValidationError(
    'message',
    issues.map((issue, i) => ({
      path: `${TEXTS.nl.message} › ${issue.path.join(' › ')}`,
      message: issue.message,
      en: { path: `${TEXTS.en.message} › ${issue.path.join(' › ')}`, message: english[i]! },
    })),
  );
}
