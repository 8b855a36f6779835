import { html, type SafeHtml } from '../ui/html.js';
import type { UiLocale } from '../workspace/language.js';
import { dates, labels } from '../workspace/workspace.texts.js';
import { barChartSvg, type BarChart } from './report.charts.js';
import type { ReportFigures } from './report.figures.js';
import { PERIOD_KINDS, type ReportQuery } from './report.period.js';
import { REPORT_TEXTS, type ReportTexts } from './report.texts.js';

/** How a report names things: topics by their name in the agent's language, channels by their label. */
export interface Names {
  topic: (key: string) => string;
  channel: (key: string) => string;
}

/** A chart as an image (SVG in a data: URL: no script, no extra request) with its alt text. */
export async function chartImage(chart: BarChart, alt: string): Promise<SafeHtml> {
  const svg = await barChartSvg(chart);
  return html`<img class="chart" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" alt="${alt}" width="${chart.width ?? 720}">`;
}

/** A figure: the chart, then the same numbers as a table with a caption. */
export async function chartWithTable(chart: BarChart, t: { chartAlt: (what: string) => string }, table: SafeHtml): Promise<SafeHtml> {
  return html`<figure class="report-figure">${await chartImage(chart, t.chartAlt(chart.title))}</figure>
<div class="table-wrap">${table}</div>`;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const unique = <T>(values: T[]) => [...new Set(values)];

/** The report's sections: contacts, the promise, response times, chat, answers and corrections. */
export async function reportSections(figures: ReportFigures, names: Names, lang: UiLocale, goal: number): Promise<SafeHtml> {
  const t = REPORT_TEXTS[lang];
  const { shortDate } = dates(lang);
  const unit = figures.unit === 'week' ? t.perWeek : t.perDay;
  const bucketHead = figures.unit === 'week' ? t.week : t.day;
  const byChannel = figures.volumes.filter((row) => row.channel !== null);
  const byTopic = figures.volumes.filter((row) => row.topic !== null);
  const channels = unique(byChannel.map((row) => row.channel!)).sort();
  const topics = unique(byTopic.map((row) => row.topic!)).sort((a, b) => names.topic(a).localeCompare(names.topic(b)));
  const count = (rows: typeof byChannel, bucket: string, key: (row: (typeof rows)[number]) => string | null, value: string) =>
    rows.find((row) => row.bucket === bucket && key(row) === value)?.contacts ?? 0;
  const topicName = (key: string) => (key === '' ? t.noTopic : names.topic(key));
  const grid = (caption: string, id: string, groups: string[], name: (g: string) => string, value: (bucket: string, group: string) => number) =>
    html`<table id="${id}"><caption>${caption}</caption>
<thead><tr><th scope="col">${bucketHead}</th>${groups.map((g) => html`<th scope="col">${name(g)}</th>`)}<th scope="col">${t.total}</th></tr></thead>
<tbody>${figures.buckets.map((bucket) => {
      const values = groups.map((g) => value(bucket, g));
      return html`<tr><th scope="row">${shortDate(bucket)}</th>${values.map((v) => html`<td>${v}</td>`)}<td>${sum(values)}</td></tr>`;
    })}</tbody>
<tfoot><tr><th scope="row">${t.total}</th>${groups.map((g) => html`<td>${sum(figures.buckets.map((b) => value(b, g)))}</td>`)}<td>${sum(
      figures.buckets.flatMap((b) => groups.map((g) => value(b, g))),
    )}</td></tr></tfoot></table>`;

  const volumeChart = await chartWithTable(
    {
      title: t.byChannel(unit),
      categories: figures.buckets.map((bucket) => shortDate(bucket)),
      series: channels.map((channel) => ({
        name: names.channel(channel),
        values: figures.buckets.map((b) => count(byChannel, b, (row) => row.channel, channel)),
      })),
      stacked: true,
    },
    t,
    grid(t.byChannel(unit), 'contacts-by-channel', channels, names.channel, (b, g) => count(byChannel, b, (row) => row.channel, g)),
  );
  const topicTotals = topics.map((topic) => sum(figures.buckets.map((b) => count(byTopic, b, (row) => row.topic, topic))));
  const topicChart = await chartImage(
    { title: t.topicTotals, categories: topics.map(topicName), series: [{ name: t.volumes, values: topicTotals }], horizontal: true },
    t.chartAlt(t.topicTotals),
  );

  const promiseRows = figures.promise;
  const promiseChart = await chartWithTable(
    {
      title: t.promise,
      categories: promiseRows.map((row) => names.channel(row.channel)),
      series: [{ name: t.share, values: promiseRows.map((row) => (row.due === 0 ? 0 : Math.round((row.onTime / row.due) * 100))) }],
      percent: true,
      goal: { value: goal, name: t.goal },
    },
    t,
    html`<table id="promise"><caption>${t.promise}</caption>
<thead><tr><th scope="col">${t.channel}</th><th scope="col">${t.due}</th><th scope="col">${t.onTime}</th><th scope="col">${t.share}</th></tr></thead>
<tbody>${promiseRows.map((row) => promiseRow(names.channel(row.channel), row.due, row.onTime, goal, t))}</tbody>
<tfoot>${promiseRow(t.total, sum(promiseRows.map((r) => r.due)), sum(promiseRows.map((r) => r.onTime)), goal, t)}</tfoot></table>`,
  );

  const duration = (minutes: number | null) => (minutes === null ? '—' : t.minutes(minutes));
  const chatTopics = figures.topics.filter((row) => row.cases > 0);
  const chatChart = await chartWithTable(
    {
      title: t.chat,
      categories: chatTopics.map((row) => topicName(row.topic)),
      series: [
        { name: t.chatShare, values: chatTopics.map((row) => Math.round((row.chats / row.cases) * 100)) },
        { name: t.redirectRate, values: chatTopics.map((row) => (row.chats === 0 ? 0 : Math.round((row.redirected / row.chats) * 100))) },
      ],
      horizontal: true,
      percent: true,
    },
    t,
    html`<table id="chat"><caption>${t.chat}</caption>
<thead><tr><th scope="col">${t.topic}</th><th scope="col">${t.cases}</th><th scope="col">${t.chats}</th><th scope="col">${t.chatShare}</th><th scope="col">${t.redirected}</th><th scope="col">${t.redirectRate}</th></tr></thead>
<tbody>${chatTopics.map(
      (row) =>
        html`<tr><th scope="row">${topicName(row.topic)}</th><td>${row.cases}</td><td>${row.chats}</td><td>${t.percent(row.chats, row.cases)}</td><td>${row.redirected}</td><td>${t.percent(row.redirected, row.chats)}</td></tr>`,
    )}</tbody></table>`,
  );
  const answersChart = await chartWithTable(
    {
      title: t.answers,
      categories: figures.topics.map((row) => topicName(row.topic)),
      series: [
        { name: t.byAgent, values: figures.topics.map((row) => row.agentAnswers) },
        { name: t.automatic, values: figures.topics.map((row) => row.automaticAnswers) },
      ],
      horizontal: true,
      stacked: true,
    },
    t,
    html`<table id="answers"><caption>${t.answers}</caption>
<thead><tr><th scope="col">${t.topic}</th><th scope="col">${t.byAgent}</th><th scope="col">${t.automatic}</th></tr></thead>
<tbody>${figures.topics.map((row) => html`<tr><th scope="row">${topicName(row.topic)}</th><td>${row.agentAnswers}</td><td>${row.automaticAnswers}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">${t.total}</th><td>${sum(figures.topics.map((r) => r.agentAnswers))}</td><td>${sum(figures.topics.map((r) => r.automaticAnswers))}</td></tr></tfoot></table>`,
  );

  return html`<section aria-labelledby="volumes-title"><h2 id="volumes-title">${t.volumes}</h2><p>${t.volumesIntro}</p>
${volumeChart}
<figure class="report-figure">${topicChart}</figure>
<div class="table-wrap">${grid(t.byTopic(unit), 'contacts-by-topic', topics, topicName, (b, g) => count(byTopic, b, (row) => row.topic, g))}</div></section>
<section aria-labelledby="promise-title"><h2 id="promise-title">${t.promise}</h2><p>${t.promiseIntro(goal)}</p>${promiseChart}</section>
<section aria-labelledby="times-title"><h2 id="times-title">${t.times}</h2><p>${t.timesIntro}</p>
<div class="table-wrap"><table id="times"><caption>${t.times}</caption>
<thead><tr><th scope="col">${t.measure}</th><th scope="col">${t.median}</th><th scope="col">${t.p90}</th><th scope="col">${t.counted}</th></tr></thead>
<tbody><tr><th scope="row">${t.firstResponse}</th><td>${duration(figures.firstResponse.median)}</td><td>${duration(figures.firstResponse.p90)}</td><td>${figures.firstResponse.count}</td></tr>
<tr><th scope="row">${t.toClose}</th><td>${duration(figures.answered.median)}</td><td>${duration(figures.answered.p90)}</td><td>${figures.answered.count}</td></tr></tbody></table></div></section>
<section aria-labelledby="chat-title"><h2 id="chat-title">${t.chat}</h2><p>${t.chatIntro}</p>${chatChart}</section>
<section aria-labelledby="answers-title"><h2 id="answers-title">${t.answers}</h2><p>${t.answersIntro}</p>${answersChart}</section>
<section aria-labelledby="corrections-title"><h2 id="corrections-title">${t.corrections}</h2><p>${t.correctionsIntro}</p>
<div class="table-wrap"><table id="corrections"><caption>${t.corrections}</caption>
<thead><tr><th scope="col">${t.topic}</th><th scope="col">${t.cases}</th><th scope="col">${t.corrected}</th><th scope="col">${t.correctedShare}</th></tr></thead>
<tbody>${figures.topics.map((row) => html`<tr><th scope="row">${topicName(row.topic)}</th><td>${row.cases}</td><td>${row.corrected}</td><td>${t.percent(row.corrected, row.cases)}</td></tr>`)}</tbody></table></div>
${
  figures.corrections.length === 0
    ? ''
    : html`<div class="table-wrap"><table id="correction-moves"><caption>${t.moves}</caption>
<thead><tr><th scope="col">${t.fromTopic}</th><th scope="col">${t.toTopic}</th><th scope="col">${t.count}</th></tr></thead>
<tbody>${figures.corrections.map((row) => html`<tr><td>${topicName(row.from)}</td><td>${topicName(row.to)}</td><td>${row.count}</td></tr>`)}</tbody></table></div>`
}</section>`;
}

function promiseRow(name: string, due: number, onTime: number, goal: number, t: ReportTexts): SafeHtml {
  const below = due > 0 && (onTime / due) * 100 < goal;
  return html`<tr><th scope="row">${name}</th><td>${due}</td><td>${onTime}</td><td${below ? html` class="attention"` : ''}>${t.percent(onTime, due)}${
    below ? html`<span class="visually-hidden"> ${t.belowGoal}</span>` : ''
  }</td></tr>`;
}

/** The form that chooses the period and filters (GET: the report's address is its query). */
export function reportForm(
  query: Partial<ReportQuery>,
  choices: { channels: string[]; topics: { key: string; name: string }[]; teams: string[] },
  errors: Record<string, string>,
  lang: UiLocale,
): SafeHtml {
  const t = REPORT_TEXTS[lang];
  const channelLabels = labels(lang).channels;
  const invalid = (field: string) => (errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : '');
  const error = (field: string) => (errors[field] ? html`<p class="error" id="${field}-error">${errors[field]}</p>` : '');
  const select = (field: 'kanaal' | 'onderwerp' | 'team', label: string, options: { value: string; name: string }[]) =>
    html`<p><label for="${field}">${label}</label>${error(field)}<select id="${field}" name="${field}"${invalid(field)}><option value="">${t.all}</option>${options.map(
      (o) => html`<option value="${o.value}"${query[field] === o.value ? ' selected' : ''}>${o.name}</option>`,
    )}</select></p>`;
  const date = (field: 'datum' | 'van' | 'tot', label: string, hint?: string) =>
    html`<p><label for="${field}">${label}</label>${hint ? html`<span class="hint" id="${field}-hint">${hint}</span>` : ''}${error(field)}<input type="date" id="${field}" name="${field}" value="${query[field] ?? ''}"${invalid(field)}${
      hint && !errors[field] ? html` aria-describedby="${field}-hint"` : ''
    }></p>`;
  return html`<form method="get" action="/werkplek/rapporten" class="report-filter"><fieldset><legend>${t.filter}</legend>
<p><label for="periode">${t.period}</label>${error('periode')}<select id="periode" name="periode"${invalid('periode')}>${PERIOD_KINDS.map(
    (kind) => html`<option value="${kind}"${(query.periode ?? 'maand') === kind ? ' selected' : ''}>${t.kinds[kind]}</option>`,
  )}</select></p>
${date('datum', t.anchor, t.anchorHint)}${date('van', t.from, t.customHint)}${date('tot', t.to)}
${select(
  'kanaal',
  t.channel,
  choices.channels.map((c) => ({ value: c, name: channelLabels[c] ?? c })),
)}${select(
    'onderwerp',
    t.topic,
    choices.topics.map((c) => ({ value: c.key, name: c.name })),
  )}${select(
    'team',
    t.team,
    choices.teams.map((c) => ({ value: c, name: c })),
  )}
<p><button type="submit">${t.show}</button></p></fieldset></form>`;
}
