import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { amsterdamDate } from '../calendar.js';
import type { Db } from '../db/database.js';
import type { TopicCache } from '../topic.store.js';
import { html, type SafeHtml } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { languageSwitch, uiLocale, type UiLocale } from '../workspace/language.js';
import { dates } from '../workspace/workspace.texts.js';
import { complaintReport } from './complaint-report.js';
import { renderComplaintReportPdf } from './complaint-report.pdf.js';
import { complaintCharts, complaintTables, type ReportTable } from './complaint-report.tables.js';
import { COMPLAINT_REPORT_TEXTS } from './complaint-report.texts.js';
import { csvHeaders, toCsv } from './csv.js';
import { chartImage } from './report.page.js';
import { periodAround, quarterName, quarterPeriod } from './report.period.js';

/** Quarters offered in the form: this one and the seven before it. */
const QUARTERS_OFFERED = 8;

function recentQuarters(now: Date): string[] {
  const names: string[] = [];
  let day = periodAround('kwartaal', amsterdamDate(now)).from;
  for (let i = 0; i < QUARTERS_OFFERED; i += 1) {
    names.push(quarterName(day));
    const previous = new Date(`${day}T12:00:00Z`);
    previous.setUTCMonth(previous.getUTCMonth() - 3);
    day = previous.toISOString().slice(0, 10);
  }
  return names;
}

const quarterQuery = z.object({
  kwartaal: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/, 'Kies een kwartaal als 2026-Q4.')
    .optional(),
});

function tableHtml(table: ReportTable, none: string): SafeHtml {
  return html`<div class="table-wrap"><table id="${table.id}"><caption>${table.caption}</caption>
<thead><tr>${table.head.map((cell) => html`<th scope="col">${cell}</th>`)}</tr></thead>
<tbody>${
    table.rows.length === 0
      ? html`<tr><td colspan="${table.head.length}">${none}</td></tr>`
      : table.rows.map((row) => html`<tr><th scope="row">${String(row[0])}</th>${row.slice(1).map((cell) => html`<td>${String(cell)}</td>`)}</tr>`)
  }</tbody></table></div>`;
}

/**
 * The quarterly complaint report (seeds 001, 002), coordinators and admins: GET
 * /werkplek/rapporten/klachten?kwartaal=2026-Q4 as a page, and the same as .pdf and .csv.
 */
export function registerComplaintReport(app: FastifyInstance, deps: { db: Db; topics: TopicCache; clock: () => Date }): void {
  async function build(request: FastifyRequest, lang: UiLocale) {
    const parsed = quarterQuery.safeParse(request.query ?? {});
    if (!parsed.success) return undefined;
    const now = deps.clock();
    const quarter = parsed.data.kwartaal ?? quarterName(amsterdamDate(now));
    const period = quarterPeriod(quarter);
    const [report, topics] = await Promise.all([complaintReport(deps.db, period, now), deps.topics.get()]);
    const topicName = (key: string) => {
      const topic = topics.find((t) => t.key === key);
      return topic ? (lang === 'en' ? topic.nameEn : topic.nameNl) : key;
    };
    const t = COMPLAINT_REPORT_TEXTS[lang];
    const { shortDate, shortDateTime } = dates(lang);
    return {
      quarter,
      report,
      t,
      lines: [t.period(shortDate(period.from), shortDate(period.to)), t.made(shortDateTime(now))],
      tables: complaintTables(report, topicName, lang),
      charts: complaintCharts(report, lang),
    };
  }
  const refuse = (lang: UiLocale) => ({
    error: 'invalid_input',
    message: lang === 'en' ? 'Choose a quarter as 2026-Q4.' : 'Kies een kwartaal als 2026-Q4.',
    fields: { kwartaal: lang === 'en' ? 'Choose a quarter as 2026-Q4.' : 'Kies een kwartaal als 2026-Q4.' },
  });

  app.get('/werkplek/rapporten/klachten', { config: { access: 'coordinator' } }, async (request, reply) => {
    const lang = uiLocale(request);
    const built = await build(request, lang);
    if (!built) return reply.code(400).send(refuse(lang));
    const { quarter, t, lines, tables, charts } = built;
    const query = `kwartaal=${quarter}`;
    const [stageChart, deadlineChart] = await Promise.all(charts.map((chart) => chartImage(chart, t.chartAlt(chart.title))));
    const byId = (id: string) =>
      tableHtml(
        tables.find((table) => table.id === id)!,
        t.none,
      );
    const body = html`<p><a href="/werkplek/rapporten">${t.back}</a></p>
<h1>${t.title(quarter)}</h1>
<p>${t.intro}</p>
<form method="get" action="/werkplek/rapporten/klachten" class="report-filter"><p><label for="kwartaal">${t.quarter}</label>
<select id="kwartaal" name="kwartaal">${recentQuarters(deps.clock()).map((name) => html`<option${name === quarter ? ' selected' : ''}>${name}</option>`)}</select>
<button type="submit">${t.show}</button></p></form>
<p>${lines.join(' ')} <a href="/werkplek/rapporten/klachten.pdf?${query}" download>${t.pdf}</a> · <a href="/werkplek/rapporten/klachten.csv?${query}" download>${t.csv}</a></p>
${byId('summary')}
<h2>${t.byStage}</h2><figure class="report-figure">${stageChart}</figure>${byId('by-stage')}
<h2>${t.deadlines}</h2><figure class="report-figure">${deadlineChart}</figure>${byId('deadlines')}
<h2>${t.satisfaction}</h2>${byId('satisfaction')}
<h2>${t.byTopic} / ${t.byTeam}</h2>${byId('by-topic')}${byId('by-team')}
<h2>${t.improvements}</h2><p>${t.improvementsCount(built.report.improvements.length)}</p>${byId('improvements')}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang, title: t.pageTitle, body, wide: true, header: languageSwitch(request) }));
  });

  app.get('/werkplek/rapporten/klachten.pdf', { config: { access: 'coordinator' } }, async (request, reply) => {
    const lang = uiLocale(request);
    const built = await build(request, lang);
    if (!built) return reply.code(400).send(refuse(lang));
    const pdf = await renderComplaintReportPdf({
      title: built.t.title(built.quarter),
      lines: built.lines,
      charts: built.charts,
      tables: built.tables,
      none: built.t.none,
    });
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="klachten-${built.quarter}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });

  app.get('/werkplek/rapporten/klachten.csv', { config: { access: 'coordinator' } }, async (request, reply) => {
    const lang = uiLocale(request);
    const built = await build(request, lang);
    if (!built) return reply.code(400).send(refuse(lang));
    // One line per figure: the table, the row and the value (the improvement forms as their three texts).
    const rows: (string | number)[][] = [[...built.t.csvHead]];
    for (const table of built.tables) {
      for (const row of table.rows) {
        if (table.id === 'improvements') rows.push([table.caption, row.join(' | '), 1]);
        else if (table.id === 'deadlines') table.head.slice(1).forEach((head, i) => rows.push([table.caption, `${row[0]}: ${head}`, row[i + 1]!]));
        else rows.push([table.caption, String(row[0]), row[1]!]);
      }
    }
    return reply.headers(csvHeaders(`klachten-${built.quarter}.csv`)).send(toCsv(rows));
  });
}
