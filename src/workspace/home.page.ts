import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { dashboard, type Dashboard, type TodayAndWeek } from '../reports/dashboard.js';
import { html, type SafeHtml } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { languageSwitch, uiLocale, type UiLocale } from './language.js';
import { liveMarkup } from './live.client.js';
import { CHANNELS, dates, labels } from './workspace.texts.js';

const TEXTS = {
  nl: {
    title: 'Werkplek',
    signedIn: (name: SafeHtml, role: string) => html`U bent ingelogd als <strong>${name}</strong> (${role}).`,
    roles: { agent: 'medewerker', coordinator: 'coördinator', admin: 'beheerder', privacy: 'privacyfunctionaris' },
    glance: 'Vandaag en deze week',
    yours: 'Uw zaken en chats',
    counted: (at: string) => `Stand van ${at}; de cijfers worden vanzelf bijgewerkt.`,
    contacts: 'Binnengekomen per kanaal',
    channel: 'Kanaal',
    today: 'Vandaag',
    week: 'Deze week',
    total: 'Totaal',
    open: 'Open zaken',
    myOpen: 'Aan u toegewezen, open',
    dueToday: 'Uiterlijk vandaag te beantwoorden',
    overdue: 'Te laat',
    onTime: 'Op tijd beantwoord',
    onTimeHint: (today: string, week: string) => `vandaag ${today}, deze week ${week}`,
    onTimeOf: (onTime: number, due: number) => `${onTime} van ${due}`,
    chats: 'Chats beantwoord / doorverwezen',
    chatsLine: (answered: TodayAndWeek, redirected: TodayAndWeek) =>
      `vandaag ${answered.today} / ${redirected.today}, deze week ${answered.week} / ${redirected.week}`,
    waiting: 'Wachtende chats',
    longest: (minutes: number) => `langst wachtend: ${minutes} min`,
    myChats: 'Uw chats nu',
    nav: 'Werkplek',
    links: {
      notifications: ['Meldingen', 'toegewezen zaken, vermeldingen met @, reacties op uw zaken'],
      chats: ['Chats', 'wachtende chats aannemen en beantwoorden'],
      cases: ['Zaken', ''],
      mine: 'aan mij toegewezen',
      late: 'te laat',
      call: 'Telefoongesprek vastleggen',
      callbacks: 'Terugbelverzoeken',
      letter: 'Brief invoeren',
      print: 'Brieven afdrukken',
      workload: ['Werklast', 'open zaken per medewerker en team, wachtende chats'],
      complaints: ['Klachten', 'per stand van de procedure en termijn'],
      deadlines: ['Termijnen', 'per week het deel dat op tijd is beantwoord, per kanaal en onderwerp'],
      reports: ['Rapportage', 'cijfers en grafieken over een periode, als CSV'],
      complaintReport: ['Klachtenrapportage', 'per kwartaal, als PDF en CSV'],
      admin: 'Beheer',
      queues: 'Wachtrijen',
    },
    logout: 'Uitloggen',
  },
  en: {
    title: 'Workspace',
    signedIn: (name: SafeHtml, role: string) => html`You are signed in as <strong>${name}</strong> (${role}).`,
    roles: { agent: 'agent', coordinator: 'coordinator', admin: 'administrator', privacy: 'privacy officer' },
    glance: 'Today and this week',
    yours: 'Your cases and chats',
    counted: (at: string) => `As of ${at}; the figures update by themselves.`,
    contacts: 'Received per channel',
    channel: 'Channel',
    today: 'Today',
    week: 'This week',
    total: 'Total',
    open: 'Open cases',
    myOpen: 'Assigned to you, open',
    dueToday: 'To answer today at the latest',
    overdue: 'Overdue',
    onTime: 'Answered on time',
    onTimeHint: (today: string, week: string) => `today ${today}, this week ${week}`,
    onTimeOf: (onTime: number, due: number) => `${onTime} of ${due}`,
    chats: 'Chats answered / redirected',
    chatsLine: (answered: TodayAndWeek, redirected: TodayAndWeek) =>
      `today ${answered.today} / ${redirected.today}, this week ${answered.week} / ${redirected.week}`,
    waiting: 'Waiting chats',
    longest: (minutes: number) => `longest wait: ${minutes} min`,
    myChats: 'Your chats now',
    nav: 'Workspace',
    links: {
      notifications: ['Notifications', 'cases assigned to you, @mentions, replies on your cases'],
      chats: ['Chats', 'accept and answer waiting chats'],
      cases: ['Cases', ''],
      mine: 'assigned to me',
      late: 'overdue',
      call: 'Log a phone call',
      callbacks: 'Call-back requests',
      letter: 'Enter a letter',
      print: 'Print letters',
      workload: ['Workload', 'open cases per agent and team, waiting chats'],
      complaints: ['Complaints', 'per stage of the procedure and deadline'],
      deadlines: ['Deadlines', 'per week the share answered on time, per channel and topic'],
      reports: ['Reports', 'figures and charts over a period, as CSV'],
      complaintReport: ['Complaint report', 'per quarter, as PDF and CSV'],
      admin: 'Administration',
      queues: 'Queues',
    },
    logout: 'Sign out',
  },
} as const;

type Texts = (typeof TEXTS)[UiLocale];

const percent = (onTime: number, due: number) => (due === 0 ? '—' : `${Math.round((onTime / due) * 100)}%`);

/** The figures at a glance: a tile per figure (a description list), and the contacts per channel as a table. */
function figures(d: Dashboard, t: Texts, lang: UiLocale, now: Date, coordinator: boolean): SafeHtml {
  const channelLabels = labels(lang).channels;
  const tile = (term: string, value: string | number, detail?: string, attention = false) =>
    html`<div class="tile${attention ? ' attention' : ''}"><dt>${term}</dt><dd>${String(value)}</dd>${detail ? html`<dd class="meta">${detail}</dd>` : ''}</div>`;
  const p = d.promise;
  const contacts = d.contacts;
  return html`<section id="dashboard-figures" aria-labelledby="glance-title"><h2 id="glance-title">${coordinator ? t.glance : t.yours}</h2>
<p class="meta">${t.counted(dates(lang).shortDateTime(now))}</p>
<dl class="tiles">
${tile(coordinator ? t.open : t.myOpen, d.cases.open)}
${tile(t.dueToday, d.cases.dueToday)}
${tile(t.overdue, d.cases.overdue, undefined, d.cases.overdue > 0)}
${tile(t.onTime, percent(p.week.onTime, p.week.due), t.onTimeHint(`${percent(p.today.onTime, p.today.due)} (${t.onTimeOf(p.today.onTime, p.today.due)})`, `${percent(p.week.onTime, p.week.due)} (${t.onTimeOf(p.week.onTime, p.week.due)})`))}
${coordinator ? tile(t.chats, `${d.chats.answered.today} / ${d.chats.redirected.today}`, t.chatsLine(d.chats.answered, d.chats.redirected)) : tile(t.myChats, d.chats.mine)}
${tile(t.waiting, d.chats.waiting, d.chats.waiting > 0 ? t.longest(Math.ceil(d.chats.longestWaitSeconds / 60)) : undefined, d.chats.waiting > 0)}
</dl>
${
  contacts
    ? html`<div class="table-wrap"><table id="contacts-today"><caption>${t.contacts}</caption>
<thead><tr><th scope="col">${t.channel}</th><th scope="col">${t.today}</th><th scope="col">${t.week}</th></tr></thead>
<tbody>${CHANNELS.map((c) => html`<tr><th scope="row">${channelLabels[c] ?? c}</th><td>${contacts[c]?.today ?? 0}</td><td>${contacts[c]?.week ?? 0}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">${t.total}</th><td>${Object.values(contacts).reduce((n, v) => n + v.today, 0)}</td><td>${Object.values(contacts).reduce((n, v) => n + v.week, 0)}</td></tr></tfoot></table></div>`
    : ''
}</section>`;
}

/** GET /werkplek: where a login lands; the figures at a glance (live) and the way to everything else. */
export function registerWorkspaceHome(app: FastifyInstance, deps: { db: Db; clock: () => Date }): void {
  app.get('/werkplek', { config: { access: 'agent' } }, async (request, reply) => {
    const principal = request.principal!;
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const l = t.links;
    const now = deps.clock();
    const coordinator = principal.role !== 'agent';
    const d = await dashboard(deps.db, now, coordinator ? undefined : { id: principal.id, chatName: `${principal.name} (#${principal.id})` });
    const item = ([name, what]: readonly [string, string], href: string) => html`<li><a href="${href}">${name}</a>${what ? ` (${what})` : ''}</li>`;
    const page = layout({
      lang,
      title: t.title,
      header: languageSwitch(request),
      wide: true,
      body: html`<h1>${t.title}</h1>
<p>${t.signedIn(html`${principal.name}`, t.roles[principal.role])}</p>
${figures(d, t, lang, now, coordinator)}
<nav aria-label="${t.nav}">
  <ul>
    ${item(l.notifications, '/werkplek/meldingen')}
    ${item(l.chats, '/werkplek/chats')}
    <li><a href="/werkplek/zaken">${l.cases[0]}</a> (<a href="/werkplek/zaken?mine=1">${l.mine}</a>, <a href="/werkplek/zaken?overdue=1">${l.late}</a>)</li>
    <li><a href="/werkplek/gesprek">${l.call}</a></li>
    <li><a href="/werkplek/terugbellen">${l.callbacks}</a></li>
    <li><a href="/werkplek/brief">${l.letter}</a></li>
    <li><a href="/werkplek/afdrukken">${l.print}</a></li>
    ${coordinator ? html`${item(l.workload, '/werkplek/werklast')}${item(l.complaints, '/werkplek/klachten')}${item(l.deadlines, '/werkplek/termijnen')}` : ''}
    ${coordinator ? html`${item(l.reports, '/werkplek/rapporten')}${item(l.complaintReport, '/werkplek/rapporten/klachten')}` : ''}
    ${principal.role === 'admin' ? html`<li><a href="/admin">${l.admin}</a></li><li><a href="/admin/queues">${l.queues}</a></li>` : ''}
  </ul>
</nav>
<form method="post" action="/logout">
  <input type="hidden" name="_csrf" value="${request.csrfToken ?? ''}">
  <button type="submit">${t.logout}</button>
</form>
${liveMarkup({ kind: 'dashboard', url: '/werkplek' }, lang)}`,
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
  });
}
