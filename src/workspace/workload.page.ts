import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { amsterdamDate } from '../calendar.js';
import { runPrepared, type Db } from '../db/database.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { languageSwitch, uiLocale } from './language.js';

interface AgentLoad {
  id: number;
  name: string;
  open: number;
  overdue: number;
  dueToday: number;
  chats: number;
}

interface TeamLoad {
  team: string | null;
  open: number;
  unassigned: number;
  overdue: number;
  dueToday: number;
}

/** The open cases per agent (with chats held now) and per team, judged on the Amsterdam date of `now`. */
export async function workload(db: Db, now: Date): Promise<{ agents: AgentLoad[]; teams: TeamLoad[]; waitingChats: number; longestWaitSeconds: number }> {
  const today = amsterdamDate(now);
  const [agents, teams, chats] = await Promise.all([
    runPrepared<{ id: number | string; name: string; open: number; overdue: number; due_today: number; chats: number }>(
      db,
      sql`
      select u.id, u.name,
             count(c.id)::int as open,
             count(c.id) filter (where c.answer_by < ${today}::date)::int as overdue,
             count(c.id) filter (where c.answer_by = ${today}::date)::int as due_today,
             (select count(*)::int from conversations v where v.state = 'with-agent' and v.agent = u.name || ' (#' || u.id || ')') as chats
        from users u
        left join cases c on c.assignee_id = u.id and c.status = 'open'
       where u.disabled_at is null and u.role <> 'admin'
       group by u.id, u.name
       order by u.name`,
    ),
    runPrepared<{ team: string | null; open: number; unassigned: number; overdue: number; due_today: number }>(
      db,
      sql`
      select c.team,
             count(*)::int as open,
             count(*) filter (where c.assignee_id is null)::int as unassigned,
             count(*) filter (where c.answer_by < ${today}::date)::int as overdue,
             count(*) filter (where c.answer_by = ${today}::date)::int as due_today
        from cases c
       where c.status = 'open'
       group by c.team
       order by c.team nulls last`,
    ),
    runPrepared<{ waiting: number; longest: number | null }>(
      db,
      sql`select count(*)::int as waiting, extract(epoch from (${now.toISOString()}::timestamptz - min(waiting_since)))::int as longest
            from conversations where state = 'waiting'`,
    ),
  ]);
  return {
    agents: agents.map((row) => ({ id: Number(row.id), name: row.name, open: row.open, overdue: row.overdue, dueToday: row.due_today, chats: row.chats })),
    teams: teams.map((row) => ({ team: row.team, open: row.open, unassigned: row.unassigned, overdue: row.overdue, dueToday: row.due_today })),
    waitingChats: chats[0]?.waiting ?? 0,
    longestWaitSeconds: Math.max(0, chats[0]?.longest ?? 0),
  };
}

/** Every sentence of the workload page, in Dutch and English. */
const TEXTS = {
  nl: {
    minutes: (seconds: number) => (seconds < 60 ? 'minder dan een minuut' : seconds < 120 ? '1 minuut' : `${Math.floor(seconds / 60)} minuten`),
    back: 'Terug naar de werkplek',
    title: 'Werklast',
    intro: 'Open zaken per medewerker en per team, nu.',
    nobodyWaiting: 'Er wacht niemand in de chat.',
    waiting: (count: number, longest: string) => `In de chat ${count === 1 ? 'wacht 1 bezoeker' : `wachten ${count} bezoekers`}, de langste al ${longest}`,
    toChats: 'naar de chats',
    perAgent: 'Per medewerker',
    agent: 'Medewerker',
    open: 'Open zaken',
    dueToday: 'Vandaag te beantwoorden',
    overdue: 'Te laat',
    chats: 'Chats nu',
    perTeam: 'Per team',
    team: 'Team',
    unassigned: 'Niet toegewezen',
    noTeam: 'Zonder team',
  },
  en: {
    minutes: (seconds: number) => (seconds < 60 ? 'less than a minute' : seconds < 120 ? '1 minute' : `${Math.floor(seconds / 60)} minutes`),
    back: 'Back to the workspace',
    title: 'Workload',
    intro: 'Open cases per agent and per team, now.',
    nobodyWaiting: 'Nobody is waiting in the chat.',
    waiting: (count: number, longest: string) => `${count === 1 ? '1 visitor is' : `${count} visitors are`} waiting in the chat, the longest for ${longest}`,
    toChats: 'to the chats',
    perAgent: 'Per agent',
    agent: 'Agent',
    open: 'Open cases',
    dueToday: 'To answer today',
    overdue: 'Overdue',
    chats: 'Chats now',
    perTeam: 'Per team',
    team: 'Team',
    unassigned: 'Unassigned',
    noTeam: 'No team',
  },
} as const;

/** GET /werkplek/werklast: what every agent and team has open, for coordinators (and admins). */
export function registerWorkloadPage(app: FastifyInstance, deps: { db: Db; clock: () => Date }): void {
  app.get('/werkplek/werklast', { config: { access: 'coordinator' } }, async (request, reply) => {
    const load = await workload(deps.db, deps.clock());
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const teamLink = (team: string | null) => (team ? `/werkplek/zaken?team=${encodeURIComponent(team)}` : '/werkplek/zaken');
    const body = html`<p><a href="/werkplek">${t.back}</a></p>
<h1>${t.title}</h1>
<p>${t.intro} ${
      load.waitingChats === 0
        ? t.nobodyWaiting
        : html`${t.waiting(load.waitingChats, t.minutes(load.longestWaitSeconds))} (<a href="/werkplek/chats">${t.toChats}</a>).`
    }</p>
<h2 id="agents-title">${t.perAgent}</h2>
<div class="table-wrap"><table aria-labelledby="agents-title">
<thead><tr><th scope="col">${t.agent}</th><th scope="col">${t.open}</th><th scope="col">${t.dueToday}</th><th scope="col">${t.overdue}</th><th scope="col">${t.chats}</th></tr></thead>
<tbody>${load.agents.map(
      (agent) =>
        html`<tr data-agent="${agent.id}"><th scope="row">${agent.name}</th><td>${agent.open}</td><td>${agent.dueToday}</td><td>${
          agent.overdue > 0 ? html`<strong class="attention">${agent.overdue}</strong>` : '0'
        }</td><td>${agent.chats}</td></tr>`,
    )}</tbody>
</table></div>
<h2 id="teams-title">${t.perTeam}</h2>
<div class="table-wrap"><table aria-labelledby="teams-title">
<thead><tr><th scope="col">${t.team}</th><th scope="col">${t.open}</th><th scope="col">${t.unassigned}</th><th scope="col">${t.dueToday}</th><th scope="col">${t.overdue}</th></tr></thead>
<tbody>${load.teams.map(
      (team) =>
        html`<tr data-team="${team.team ?? ''}"><th scope="row"><a href="${teamLink(team.team)}">${team.team ?? t.noTeam}</a></th><td>${team.open}</td><td>${
          team.unassigned
        }</td><td>${team.dueToday}</td><td>${team.overdue > 0 ? html`<strong class="attention">${team.overdue}</strong>` : '0'}</td></tr>`,
    )}</tbody>
</table></div>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang, title: t.title, body, wide: true, header: languageSwitch(request) }));
  });
}
