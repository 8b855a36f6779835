import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { runPrepared, type Db } from '../db/database.js';
import type { SlaSetting } from '../policy/sla.setting.js';
import type { TopicCache } from '../topic.store.js';
import { html, type SafeHtml } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { labels } from '../workspace/workspace.texts.js';
import { languageSwitch, uiLocale } from '../workspace/language.js';

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

/** Every sentence of the page, in Dutch and English. */
const TEXTS = {
  nl: {
    back: 'Terug naar de werkplek',
    title: 'Termijnen',
    intro: (goal: number) =>
      `Per week van ontvangst: het deel van de zaken waarvan de termijn verstreken is of die gesloten zijn, dat op tijd is afgehandeld. Doel: ${goal}%. Een week onder het doel staat in rood en heet “onder het doel”. De klok staat stil zolang een zaak wacht op de burger.`,
    noneYet: (weeks: number) => `Nog geen zaken met een termijn in de laatste ${weeks} weken.`,
    byChannel: 'Op tijd per kanaal',
    byTopic: 'Op tijd per onderwerp',
    weekOf: 'Week van',
    all: 'Alle',
    counts: (onTime: number, due: number) => ` (${onTime} van ${due})`,
    belowGoal: ' onder het doel',
  },
  en: {
    back: 'Back to the workspace',
    title: 'Deadlines',
    intro: (goal: number) =>
      `Per week of receipt: of the cases whose deadline has passed or that are closed, the share handled on time. Goal: ${goal}%. A week below the goal is shown in red and marked “below the goal”. The clock stops while a case waits for the citizen.`,
    noneYet: (weeks: number) => `No cases with a deadline in the last ${weeks} weeks yet.`,
    byChannel: 'On time per channel',
    byTopic: 'On time per topic',
    weekOf: 'Week of',
    all: 'All',
    counts: (onTime: number, due: number) => ` (${onTime} of ${due})`,
    belowGoal: ' below the goal',
  },
} as const;
type Texts = (typeof TEXTS)['nl' | 'en'];

/** A table: weeks as rows, the groups' share on time with their counts, and all together. */
function table(id: string, caption: string, figures: WeekFigure[], name: (group: string) => string, goal: number, t: Texts): SafeHtml {
  const weeks = [...new Set(figures.map((f) => f.week))];
  const groups = [...new Set(figures.map((f) => f.group))].sort();
  const cell = (week: string, group?: string) => {
    const rows = figures.filter((f) => f.week === week && (group === undefined || f.group === group));
    const due = rows.reduce((n, f) => n + f.due, 0);
    const onTime = rows.reduce((n, f) => n + f.onTime, 0);
    const below = due > 0 && (onTime / due) * 100 < goal;
    return html`<td${below ? html` class="attention"` : ''}>${percent(onTime, due)}<span class="meta">${t.counts(onTime, due)}</span>${below ? html`<span class="visually-hidden">${t.belowGoal}</span>` : ''}</td>`;
  };
  return html`<div class="table-wrap"><table id="${id}"><caption>${caption}</caption>
<thead><tr><th scope="col">${t.weekOf}</th><th scope="col">${t.all}</th>${groups.map((g) => html`<th scope="col">${name(g)}</th>`)}</tr></thead>
<tbody>${weeks.map((week) => html`<tr><th scope="row">${week}</th>${cell(week)}${groups.map((g) => cell(week, g))}</tr>`)}</tbody></table></div>`;
}

/**
 * GET /werkplek/termijnen (coordinators): per week the share of cases answered within the
 * promise, against the goal (`sla.targets` promisePercent), per channel and per topic, in the agent's language.
 */
export function registerSlaFigures(app: FastifyInstance, deps: { db: Db; topics: TopicCache; sla: () => Promise<SlaSetting>; clock: () => Date }): void {
  app.get('/werkplek/termijnen', { config: { access: 'coordinator' } }, async (request, reply) => {
    const now = deps.clock();
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const { channels } = labels(lang);
    const [byChannel, byTopic, topics, setting] = await Promise.all([
      weeklyFigures(deps.db, 'channel', now),
      weeklyFigures(deps.db, 'topic', now),
      deps.topics.get(),
      deps.sla(),
    ]);
    const topicName = (key: string) => {
      const topic = topics.find((candidate) => candidate.key === key);
      return topic ? (lang === 'en' ? topic.nameEn : topic.nameNl) : key;
    };
    const body = html`<p><a href="/werkplek">${t.back}</a></p>
<h1>${t.title}</h1>
<p>${t.intro(setting.promisePercent)}</p>
${byChannel.length === 0 ? html`<p>${t.noneYet(WEEKS)}</p>` : ''}
${table('sla-by-channel', t.byChannel, byChannel, (g) => channels[g] ?? g, setting.promisePercent, t)}
${table('sla-by-topic', t.byTopic, byTopic, topicName, setting.promisePercent, t)}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang, title: t.title, body, wide: true, header: languageSwitch(request) }));
  });
}
