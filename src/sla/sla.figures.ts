import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { runPrepared, type Db } from '../db/database.js';
import type { SlaSetting } from '../policy/sla.setting.js';
import type { TopicCache } from '../topic.store.js';
import { html, type SafeHtml } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { CHANNEL_LABELS } from '../workspace/workspace.texts.js';

/** One group's figures for one week: cases whose deadline has come, and how many of those were answered in time. */
export interface WeekFigure {
  week: string;
  group: string;
  due: number;
  onTime: number;
}

/** Weeks shown, the current one included. */
export const WEEKS = 8;

/**
 * Per week of receipt (Monday, Amsterdam time) and per channel or topic: the cases whose
 * answer deadline has passed or that were closed, and how many closed on or before it.
 * A case still open and not yet due is not counted yet; one open past its due is late.
 */
export async function weeklyFigures(db: Db, by: 'channel' | 'topic', now: Date): Promise<WeekFigure[]> {
  const group = by === 'channel' ? sql`channel` : sql`topic`;
  const rows = await runPrepared<{ week: string; grp: string; due: string | number; on_time: string | number }>(
    db,
    sql`
    select to_char(date_trunc('week', created_at at time zone 'Europe/Amsterdam'), 'YYYY-MM-DD') as week, ${group} as grp,
           count(*) filter (where status = 'closed' or answer_due <= ${now.toISOString()}::timestamptz) as due,
           count(*) filter (where status = 'closed' and closed_at <= answer_due) as on_time
      from cases
     where answer_due is not null
       and created_at >= date_trunc('week', ${now.toISOString()}::timestamptz at time zone 'Europe/Amsterdam') at time zone 'Europe/Amsterdam' - ${`${WEEKS - 1} weeks`}::interval
     group by 1, 2 order by 1 desc, 2`,
  );
  return rows.map((row) => ({ week: row.week, group: row.grp, due: Number(row.due), onTime: Number(row.on_time) }));
}

const percent = (onTime: number, due: number) => (due === 0 ? '—' : `${Math.round((onTime / due) * 100)}%`);

/** A table: weeks as rows, the groups' share on time with their counts, and all together. */
function table(id: string, caption: string, figures: WeekFigure[], name: (group: string) => string, goal: number): SafeHtml {
  const weeks = [...new Set(figures.map((f) => f.week))];
  const groups = [...new Set(figures.map((f) => f.group))].sort();
  const cell = (week: string, group?: string) => {
    const rows = figures.filter((f) => f.week === week && (group === undefined || f.group === group));
    const due = rows.reduce((n, f) => n + f.due, 0);
    const onTime = rows.reduce((n, f) => n + f.onTime, 0);
    const below = due > 0 && (onTime / due) * 100 < goal;
    return html`<td${below ? html` class="attention"` : ''}>${percent(onTime, due)}<span class="meta"> (${onTime} van ${due})</span>${below ? html`<span class="visually-hidden"> onder het doel</span>` : ''}</td>`;
  };
  return html`<div class="table-wrap"><table id="${id}"><caption>${caption}</caption>
<thead><tr><th scope="col">Week van</th><th scope="col">Alle</th>${groups.map((g) => html`<th scope="col">${name(g)}</th>`)}</tr></thead>
<tbody>${weeks.map((week) => html`<tr><th scope="row">${week}</th>${cell(week)}${groups.map((g) => cell(week, g))}</tr>`)}</tbody></table></div>`;
}

/**
 * GET /werkplek/termijnen (coordinators): per week the share of cases answered within the
 * promise, against the goal (`sla.targets` promisePercent), per channel and per topic.
 */
export function registerSlaFigures(app: FastifyInstance, deps: { db: Db; topics: TopicCache; sla: () => Promise<SlaSetting>; clock: () => Date }): void {
  app.get('/werkplek/termijnen', { config: { access: 'coordinator' } }, async (_request, reply) => {
    const now = deps.clock();
    const [byChannel, byTopic, topics, setting] = await Promise.all([
      weeklyFigures(deps.db, 'channel', now),
      weeklyFigures(deps.db, 'topic', now),
      deps.topics.get(),
      deps.sla(),
    ]);
    const topicName = (key: string) => topics.find((t) => t.key === key)?.nameNl ?? key;
    const body = html`<p><a href="/werkplek">Terug naar de werkplek</a></p>
<h1>Termijnen</h1>
<p>Per week van ontvangst: het deel van de zaken waarvan de termijn verstreken is of die gesloten zijn, dat op tijd is afgehandeld. Doel: ${setting.promisePercent}%. Een week onder het doel staat in rood en heet “onder het doel”. De klok staat stil zolang een zaak wacht op de burger.</p>
${byChannel.length === 0 ? html`<p>Nog geen zaken met een termijn in de laatste ${WEEKS} weken.</p>` : ''}
${table('sla-by-channel', 'Op tijd per kanaal', byChannel, (g) => CHANNEL_LABELS[g] ?? g, setting.promisePercent)}
${table('sla-by-topic', 'Op tijd per onderwerp', byTopic, topicName, setting.promisePercent)}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang: 'nl', title: 'Termijnen', body, wide: true }));
  });
}
