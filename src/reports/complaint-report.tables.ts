import { COMPLAINT_STAGES } from '../db/schema.js';
import type { UiLocale } from '../workspace/language.js';
import type { BarChart } from './report.charts.js';
import type { ComplaintReport } from './complaint-report.js';
import { COMPLAINT_REPORT_TEXTS } from './complaint-report.texts.js';

/** One table of the report: the page, the PDF and the CSV show the same ones. */
export interface ReportTable {
  id: string;
  caption: string;
  head: string[];
  rows: (string | number)[][];
}

/** The report's tables, in the reader's language; topics named by `topicName`. */
export function complaintTables(report: ComplaintReport, topicName: (key: string) => string, lang: UiLocale): ReportTable[] {
  const t = COMPLAINT_REPORT_TEXTS[lang];
  return [
    {
      id: 'summary',
      caption: t.summary,
      head: [t.summary, t.count],
      rows: [
        [t.total, report.total],
        [t.urgent, report.urgent],
        [t.escalated, report.escalated],
        [t.improvements, report.improvements.length],
        [t.compliments, report.compliments],
      ],
    },
    { id: 'by-stage', caption: t.byStage, head: [t.stage, t.count], rows: COMPLAINT_STAGES.map((stage) => [t.stages[stage], report.byStage[stage]]) },
    {
      id: 'deadlines',
      caption: t.deadlines,
      head: [t.step, t.met, t.missed, t.running],
      rows: [
        [t.firstContact, report.firstContact.met, report.firstContact.missed, report.firstContact.running],
        [t.resolution, report.resolution.met, report.resolution.missed, report.resolution.running],
      ],
    },
    {
      id: 'satisfaction',
      caption: t.satisfaction,
      head: [t.satisfaction, t.count],
      rows: [
        [t.satisfied, report.satisfaction.satisfied],
        [t.notSatisfied, report.satisfaction.notSatisfied],
        [t.noAnswer, report.satisfaction.noAnswer],
        [t.notAsked, report.satisfaction.notAsked],
      ],
    },
    { id: 'by-topic', caption: t.byTopic, head: [t.byTopic, t.count], rows: report.byTopic.map((row) => [topicName(row.topic), row.count]) },
    { id: 'by-team', caption: t.byTeam, head: [t.byTeam, t.count], rows: report.byTeam.map((row) => [row.team || t.noTeam, row.count]) },
    {
      id: 'improvements',
      caption: t.improvements,
      head: [t.cause, t.improvement, t.owner],
      rows: report.improvements.map((form) => [form.cause, form.improvement, form.owner]),
    },
  ];
}

/** The report's charts: the stages, and the deadlines met per step. */
export function complaintCharts(report: ComplaintReport, lang: UiLocale): BarChart[] {
  const t = COMPLAINT_REPORT_TEXTS[lang];
  return [
    {
      title: t.byStage,
      categories: COMPLAINT_STAGES.map((stage) => t.stages[stage]),
      series: [{ name: t.count, values: COMPLAINT_STAGES.map((s) => report.byStage[s]) }],
      horizontal: true,
    },
    {
      title: t.deadlines,
      categories: [t.firstContact, t.resolution],
      series: [
        { name: t.met, values: [report.firstContact.met, report.resolution.met] },
        { name: t.missed, values: [report.firstContact.missed, report.resolution.missed] },
        { name: t.running, values: [report.firstContact.running, report.resolution.running] },
      ],
      horizontal: true,
      stacked: true,
      height: 200,
    },
  ];
}
