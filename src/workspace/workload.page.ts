import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { amsterdamDate } from '../calendar.js';
import { runPrepared, type Db } from '../db/database.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';

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

const minutes = (seconds: number) => (seconds < 60 ? 'minder dan een minuut' : seconds < 120 ? '1 minuut' : `${Math.floor(seconds / 60)} minuten`);

/** GET /werkplek/werklast: what every agent and team has open, for coordinators (and admins). */
export function registerWorkloadPage(app: FastifyInstance, deps: { db: Db; clock: () => Date }): void {
  app.get('/werkplek/werklast', { config: { access: 'coordinator' } }, async (_request, reply) => {
    const load = await workload(deps.db, deps.clock());
    const teamLink = (team: string | null) => (team ? `/werkplek/zaken?team=${encodeURIComponent(team)}` : '/werkplek/zaken');
    const body = html`<p><a href="/werkplek">Terug naar de werkplek</a></p>
<h1>Werklast</h1>
<p>Open zaken per medewerker en per team, nu. ${
      load.waitingChats === 0
        ? 'Er wacht niemand in de chat.'
        : html`In de chat ${load.waitingChats === 1 ? 'wacht 1 bezoeker' : `wachten ${load.waitingChats} bezoekers`}, de langste al ${minutes(load.longestWaitSeconds)} (<a href="/werkplek/chats">naar de chats</a>).`
    }</p>
<h2 id="agents-title">Per medewerker</h2>
<div class="table-wrap"><table aria-labelledby="agents-title">
<thead><tr><th scope="col">Medewerker</th><th scope="col">Open zaken</th><th scope="col">Vandaag te beantwoorden</th><th scope="col">Te laat</th><th scope="col">Chats nu</th></tr></thead>
<tbody>${load.agents.map(
      (agent) =>
        html`<tr data-agent="${agent.id}"><th scope="row">${agent.name}</th><td>${agent.open}</td><td>${agent.dueToday}</td><td>${
          agent.overdue > 0 ? html`<strong class="attention">${agent.overdue}</strong>` : '0'
        }</td><td>${agent.chats}</td></tr>`,
    )}</tbody>
</table></div>
<h2 id="teams-title">Per team</h2>
<div class="table-wrap"><table aria-labelledby="teams-title">
<thead><tr><th scope="col">Team</th><th scope="col">Open zaken</th><th scope="col">Niet toegewezen</th><th scope="col">Vandaag te beantwoorden</th><th scope="col">Te laat</th></tr></thead>
<tbody>${load.teams.map(
      (team) =>
        html`<tr data-team="${team.team ?? ''}"><th scope="row"><a href="${teamLink(team.team)}">${team.team ?? 'Zonder team'}</a></th><td>${team.open}</td><td>${
          team.unassigned
        }</td><td>${team.dueToday}</td><td>${team.overdue > 0 ? html`<strong class="attention">${team.overdue}</strong>` : '0'}</td></tr>`,
    )}</tbody>
</table></div>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang: 'nl', title: 'Werklast', body, wide: true }));
  });
}
