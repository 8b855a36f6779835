import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { SlaSetting } from '../policy/sla.setting.js';
import type { TopicCache } from '../topic.store.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { knownTeams } from '../workspace/case-list.query.js';
import { languageSwitch, uiLocale, type UiLocale } from '../workspace/language.js';
import { CHANNELS, dates, labels } from '../workspace/workspace.texts.js';
import { csvHeaders, toCsv } from './csv.js';
import { reportFigures, type ReportFigures } from './report.figures.js';
import { reportForm, reportSections, type Names } from './report.page.js';
import { reportQuery, reportScope, type ReportQuery } from './report.period.js';
import { refreshReports } from './report.refresh.js';
import { REPORT_TEXTS } from './report.texts.js';

/** A report's query understood: its period, filter and the query itself; or what is wrong with it, per field. */
type Scoped = ({ ok: true; query: ReportQuery } & ReturnType<typeof reportScope>) | { ok: false; errors: Record<string, string> };

export interface ReportRoutesDeps {
  db: Db;
  topics: TopicCache;
  sla: () => Promise<SlaSetting>;
  clock: () => Date;
  log: Logger;
}

/** Topic and channel names in the agent's language. */
async function namesFor(deps: ReportRoutesDeps, lang: UiLocale): Promise<Names & { topicList: { key: string; name: string }[] }> {
  const topics = await deps.topics.get();
  const channelLabels = labels(lang).channels;
  const name = (key: string) => {
    const topic = topics.find((t) => t.key === key);
    return topic ? (lang === 'en' ? topic.nameEn : topic.nameNl) : key;
  };
  return { topic: name, channel: (key) => channelLabels[key] ?? key, topicList: topics.map((t) => ({ key: t.key, name: name(t.key) })) };
}

/**
 * The reports (coordinators and admins): GET /werkplek/rapporten with the period and filters
 * as its query, the same as CSV at /werkplek/rapporten.csv, and POST
 * /werkplek/rapporten/bijwerken to count the figures again now.
 */
export function registerReportRoutes(app: FastifyInstance, deps: ReportRoutesDeps): void {
  function scoped(request: FastifyRequest, lang: UiLocale): Scoped {
    const parsed = reportQuery.safeParse(request.query ?? {});
    if (parsed.success) return { ok: true, ...reportScope(parsed.data, deps.clock()), query: parsed.data };
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'periode');
      errors[field] ??= lang === 'en' ? englishIssue(field) : dutchIssue(field, issue.message);
    }
    return { ok: false, errors };
  }

  app.get('/werkplek/rapporten', { config: { access: 'coordinator' } }, async (request, reply) => {
    const lang = uiLocale(request);
    const t = REPORT_TEXTS[lang];
    const names = await namesFor(deps, lang);
    const choices = { channels: CHANNELS, topics: names.topicList, teams: await knownTeams(deps.db) };
    const scope = scoped(request, lang);
    const notice = (request.query as Record<string, unknown> | undefined)?.['bijgewerkt'];
    const frame = (body: ReturnType<typeof html>, status = 200) =>
      reply
        .code(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(layout({ lang, title: t.title, body, wide: true, header: languageSwitch(request) }));
    if (!scope.ok) {
      const fields = Object.entries(scope.errors);
      return frame(
        html`<p><a href="/werkplek">${t.back}</a></p><h1>${t.title}</h1>
<div class="error-summary" id="error-summary" role="alert" tabindex="-1"><h2>${t.errors(fields.length)}</h2>
<ul>${fields.map(([field, message]) => html`<li><a href="#${field}">${message}</a></li>`)}</ul></div>
${reportForm(request.query as Record<string, string>, choices, scope.errors, lang)}`,
        400,
      );
    }
    const [figures, setting] = await Promise.all([reportFigures(deps.db, scope.period, scope.filter, deps.clock()), deps.sla()]);
    const { shortDate, shortDateTime } = dates(lang);
    const csvLink = `/werkplek/rapporten.csv?${new URLSearchParams(request.query as Record<string, string>).toString()}`;
    return frame(html`<p><a href="/werkplek">${t.back}</a></p>
<h1>${t.title}</h1>
<p>${t.intro}</p>
${notice === '1' ? html`<p class="notice" role="status">${t.refreshed}</p>` : notice === '0' ? html`<p class="notice" role="status">${t.busy}</p>` : ''}
${reportForm(scope.query, choices, {}, lang)}
<p><strong>${t.periodLine(shortDate(scope.period.from), shortDate(scope.period.to))}</strong> <a href="${csvLink}" download>${t.csv}</a></p>
<form method="post" action="/werkplek/rapporten/bijwerken" class="inline">
<input type="hidden" name="_csrf" value="${request.csrfToken ?? ''}">
<p>${figures.refreshedAt ? t.fresh(shortDateTime(figures.refreshedAt)) : t.never} <button type="submit" class="secondary">${t.refresh}</button></p></form>
${await reportSections(figures, names, lang, setting.promisePercent)}`);
  });

  app.get('/werkplek/rapporten.csv', { config: { access: 'coordinator' } }, async (request, reply) => {
    const lang = uiLocale(request);
    const scope = scoped(request, lang);
    if (!scope.ok) return reply.code(400).send({ error: 'invalid_input', message: Object.values(scope.errors).join(' '), fields: scope.errors });
    const figures = await reportFigures(deps.db, scope.period, scope.filter, deps.clock());
    return reply.headers(csvHeaders(`rapportage-${scope.period.from}-${scope.period.to}.csv`)).send(reportCsv(figures, await namesFor(deps, lang), lang));
  });

  app.post('/werkplek/rapporten/bijwerken', { config: { access: 'coordinator' } }, async (_request, reply) => {
    const done = await refreshReports(deps.db, deps.log);
    return reply
      .code(303)
      .header('location', `/werkplek/rapporten?bijgewerkt=${done ? 1 : 0}`)
      .send();
  });
}

function dutchIssue(field: string, message: string): string {
  if (field === 'van' || field === 'tot' || field === 'datum') return message.startsWith('Invalid') ? 'Vul een datum in als jjjj-mm-dd.' : message;
  if (field === 'periode') return 'Kies week, maand, kwartaal of een eigen periode.';
  return message.startsWith('Invalid') || message.startsWith('Too') ? 'Deze keuze bestaat niet.' : message;
}

function englishIssue(field: string): string {
  if (field === 'van') return 'Enter the first day of the period (yyyy-mm-dd).';
  if (field === 'tot') return 'Enter the last day of the period (yyyy-mm-dd), on or after the first and at most 400 days on.';
  if (field === 'datum') return 'Enter a date as yyyy-mm-dd.';
  if (field === 'periode') return 'Choose week, month, quarter or a custom period.';
  return 'This choice does not exist.';
}

/**
 * The report as CSV, one figure per line, to pivot in a spreadsheet: section, bucket (day or
 * week), channel, topic, measure, value. Counts and whole minutes only, so no decimal separator.
 */
export function reportCsv(figures: ReportFigures, names: Names, lang: UiLocale): string {
  const en = lang === 'en';
  const rows: (string | number | null)[][] = [
    en ? ['section', 'period', 'channel', 'topic', 'measure', 'value'] : ['onderdeel', 'periode', 'kanaal', 'onderwerp', 'maat', 'waarde'],
  ];
  const span = `${figures.period.from}/${figures.period.to}`;
  const topic = (key: string) => (key === '' ? '' : names.topic(key));
  for (const row of figures.volumes) {
    rows.push([
      en ? 'contacts' : 'contacten',
      row.bucket,
      row.channel === null ? '' : names.channel(row.channel),
      row.topic === null ? '' : topic(row.topic),
      en ? 'contacts' : 'contacten',
      row.contacts,
    ]);
  }
  for (const row of figures.promise) {
    rows.push([en ? 'promise' : 'belofte', span, names.channel(row.channel), '', en ? 'due' : 'termijn verstreken of gesloten', row.due]);
    rows.push([en ? 'promise' : 'belofte', span, names.channel(row.channel), '', en ? 'on time' : 'op tijd', row.onTime]);
  }
  const minutes = (value: number | null) => (value === null ? null : Math.round(value));
  for (const [what, duration] of [
    [en ? 'to the first answer' : 'tot het eerste antwoord', figures.firstResponse],
    [en ? 'to closing' : 'tot het sluiten', figures.answered],
  ] as const) {
    rows.push([en ? 'response times' : 'reactietijden', span, '', '', `${what}: ${en ? 'median (minutes)' : 'mediaan (minuten)'}`, minutes(duration.median)]);
    rows.push([
      en ? 'response times' : 'reactietijden',
      span,
      '',
      '',
      `${what}: ${en ? '90% within (minutes)' : '90% binnen (minuten)'}`,
      minutes(duration.p90),
    ]);
    rows.push([en ? 'response times' : 'reactietijden', span, '', '', `${what}: ${en ? 'cases' : 'zaken'}`, duration.count]);
  }
  for (const row of figures.topics) {
    const measures: [string, number][] = en
      ? [
          ['cases', row.cases],
          ['chats', row.chats],
          ['chats redirected', row.redirected],
          ['answers by an agent', row.agentAnswers],
          ['automatic answers', row.automaticAnswers],
          ['cases with a corrected topic', row.corrected],
        ]
      : [
          ['zaken', row.cases],
          ['chats', row.chats],
          ['chats doorverwezen', row.redirected],
          ['antwoorden door een medewerker', row.agentAnswers],
          ['automatische antwoorden', row.automaticAnswers],
          ['zaken met gecorrigeerd onderwerp', row.corrected],
        ];
    for (const [measure, value] of measures) rows.push([en ? 'per topic' : 'per onderwerp', span, '', topic(row.topic), measure, value]);
  }
  for (const row of figures.corrections) {
    rows.push([
      en ? 'topic corrections' : 'onderwerpcorrecties',
      span,
      '',
      `${topic(row.from)} → ${topic(row.to)}`,
      en ? 'corrections' : 'correcties',
      row.count,
    ]);
  }
  return toCsv(rows);
}
