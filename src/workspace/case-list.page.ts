import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { CHANNEL_NAMES } from '../message.js';
import type { TopicCache } from '../topic.store.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { languageSwitch, uiLocale, type UiLocale } from './language.js';
import {
  CASE_SORTS,
  CASE_VIEWS,
  caseFilterSchema,
  COUNT_CAP,
  knownTeams,
  listCases,
  listRows,
  listViewer,
  LIVE_ROWS_MAX,
  saveListPreference,
  type CaseFilter,
  type CaseListRow,
  type CaseSort,
  type CaseView,
} from './case-list.query.js';
import { assignableUsers, displayName } from './case-view.query.js';
import { liveMarkup } from './live.client.js';
import { defaultSlaView, slaBadge, slaState, type SlaView } from '../sla/sla.view.js';
import { searchCases, SEARCH_LIMIT, type FoundCase } from './search.js';
import { dates, labels } from './workspace.texts.js';

/** The query string of a filter, without defaults; `extra` overrides (a view, a sort, a cursor). */
function queryOf(filter: CaseFilter, extra: Partial<Record<'view' | 'sort' | 'na', string | undefined>> = {}): string {
  const params = new URLSearchParams();
  const view = 'view' in extra ? extra.view : filter.view;
  const sort = 'sort' in extra ? extra.sort : filter.sort;
  if (view) params.set('view', view);
  if (filter.team) params.set('team', filter.team);
  if (filter.topic) params.set('topic', filter.topic);
  if (filter.channel) params.set('channel', filter.channel);
  if (!view && filter.status !== 'open') params.set('status', filter.status);
  if (!view && filter.mine) params.set('mine', '1');
  if (filter.dueSoon) params.set('dueSoon', '1');
  if (!view && filter.overdue) params.set('overdue', '1');
  if (sort && sort !== 'due') params.set('sort', sort);
  if (extra.na) params.set('na', extra.na);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const VIEW_LABELS: Record<CaseView, string> = {
  open: 'Open',
  mine: 'Aan mij',
  team: 'Mijn team',
  unassigned: 'Niet toegewezen',
  waiting: 'Wacht op de burger',
  'due-today': 'Vandaag te beantwoorden',
  overdue: 'Te laat',
  closed: 'Gesloten',
  all: 'Alle',
};

/** Every sentence of the case list and the search results, in Dutch and English. */
const TEXTS = {
  nl: {
    views: VIEW_LABELS,
    sorts: { due: 'antwoorddatum (urgentste eerst)', oldest: 'leeftijd (oudste eerst)', newest: 'leeftijd (nieuwste eerst)' } as Record<CaseSort, string>,
    turns: { us: 'Wacht op ons', answered: 'Beantwoord', waiting: 'Wacht op de burger', closed: 'Gesloten' } as Record<CaseListRow['turn'], string>,
    lessThanAnHour: 'minder dan een uur',
    hours: (n: number) => (n === 1 ? '1 uur' : `${n} uur`),
    days: (n: number) => (n === 1 ? '1 dag' : `${n} dagen`),
    ago: (age: string) => `${age} geleden`,
    tooManyReferences: 'Geef hoogstens 50 zaaknummers.',
    searchTitle: (q: string) => `Zoeken: ${q}`,
    count: (capped: boolean, total: number) => (capped ? `Meer dan ${COUNT_CAP} zaken` : total === 1 ? '1 zaak' : `${total} zaken`),
    backToWorkspace: 'Terug naar de werkplek',
    title: 'Zaken',
    filterSummary: 'Filteren en sorteren',
    filterLabel: 'Zaken filteren',
    team: 'Team',
    allTeams: 'Alle teams',
    topic: 'Onderwerp',
    allTopics: 'Alle onderwerpen',
    channel: 'Kanaal',
    allChannels: 'Alle kanalen',
    status: 'Status',
    open: 'Open',
    closed: 'Gesloten',
    all: 'Alle',
    only: 'Alleen',
    mine: 'Aan mij toegewezen',
    dueSoon: 'Binnenkort te beantwoorden (binnen 2 werkdagen)',
    overdue: 'Te laat',
    sortBy: 'Sorteren op',
    apply: 'Toepassen',
    nextPageNote: ' (vervolgpagina)',
    noneFound: 'Geen zaken gevonden met deze filters.',
    bulkLabel: 'Geselecteerde zaken behandelen',
    caption: (sort: string) => `Zaken, gesorteerd op ${sort}`,
    select: 'Selecteren',
    selectCase: (reference: string) => `Zaak ${reference} selecteren`,
    reference: 'Registratienummer',
    subject: 'Onderwerp van het bericht',
    sender: 'Afzender',
    received: 'Ontvangen',
    answerBy: 'Antwoord uiterlijk',
    turn: 'Stand',
    assignee: 'Behandelaar',
    nobody: 'niemand',
    pagination: 'Paginering',
    toStart: 'Naar het begin',
    nextPage: 'Volgende pagina',
    noSubject: '(geen onderwerp)',
    viewsLabel: 'Weergaven',
    paneLabel: (view: string) => `Zaken: ${view}`,
    paneNone: 'Geen zaken in deze weergave.',
    unknown: 'onbekend',
    by: (day: string) => `uiterlijk ${day}`,
    wholeList: 'De hele lijst',
    matched: {
      reference: 'registratienummer',
      person: 'e-mailadres, personeelsnummer of telefoonnummer',
      name: 'naam',
      text: 'woorden in een bericht',
    } as Record<FoundCase['matched'], string>,
    searchLabel: 'Zaken zoeken',
    search: 'Zoeken',
    searchHint: '(naam, e-mailadres, personeelsnummer, telefoonnummer, registratienummer of woorden uit een bericht)',
    backToCases: 'Terug naar de zaken',
    nothingFound: (q: string) => `Niets gevonden voor “${q}”.`,
    firstFound: (q: string) => `De eerste ${SEARCH_LIMIT} zaken voor “${q}”; maak de zoekopdracht preciezer om meer te vinden.`,
    found: (n: number, q: string) => `${n === 1 ? '1 zaak' : `${n} zaken`} gevonden voor “${q}”.`,
    resultsCaption: 'Zoekresultaten, beste overeenkomst eerst',
    foundOn: 'Gevonden op',
    bulkLegend: 'Geselecteerde zaken',
    action: 'Actie',
    assignTo: 'Toewijzen aan',
    toTeam: 'Naar team',
    close: 'Sluiten',
    colleague: 'Medewerker',
    whenAssigning: '(bij toewijzen)',
    whenTeam: '(bij naar team)',
    nobodyOption: 'Niemand',
    chooseTeam: 'Kies een team',
    run: 'Uitvoeren',
  },
  en: {
    views: {
      open: 'Open',
      mine: 'Mine',
      team: 'My team',
      unassigned: 'Unassigned',
      waiting: 'Waiting for the citizen',
      'due-today': 'To answer today',
      overdue: 'Overdue',
      closed: 'Closed',
      all: 'All',
    } as Record<CaseView, string>,
    sorts: { due: 'answer date (most urgent first)', oldest: 'age (oldest first)', newest: 'age (newest first)' } as Record<CaseSort, string>,
    turns: { us: 'Waiting for us', answered: 'Answered', waiting: 'Waiting for the citizen', closed: 'Closed' } as Record<CaseListRow['turn'], string>,
    lessThanAnHour: 'less than an hour',
    hours: (n: number) => (n === 1 ? '1 hour' : `${n} hours`),
    days: (n: number) => (n === 1 ? '1 day' : `${n} days`),
    ago: (age: string) => `${age} ago`,
    tooManyReferences: 'Give at most 50 case numbers.',
    searchTitle: (q: string) => `Search: ${q}`,
    count: (capped: boolean, total: number) => (capped ? `More than ${COUNT_CAP} cases` : total === 1 ? '1 case' : `${total} cases`),
    backToWorkspace: 'Back to the workspace',
    title: 'Cases',
    filterSummary: 'Filter and sort',
    filterLabel: 'Filter cases',
    team: 'Team',
    allTeams: 'All teams',
    topic: 'Topic',
    allTopics: 'All topics',
    channel: 'Channel',
    allChannels: 'All channels',
    status: 'Status',
    open: 'Open',
    closed: 'Closed',
    all: 'All',
    only: 'Only',
    mine: 'Assigned to me',
    dueSoon: 'To answer soon (within 2 working days)',
    overdue: 'Overdue',
    sortBy: 'Sort by',
    apply: 'Apply',
    nextPageNote: ' (next page)',
    noneFound: 'No cases found with these filters.',
    bulkLabel: 'Handle the selected cases',
    caption: (sort: string) => `Cases, sorted by ${sort}`,
    select: 'Select',
    selectCase: (reference: string) => `Select case ${reference}`,
    reference: 'Registration number',
    subject: 'Subject of the message',
    sender: 'Sender',
    received: 'Received',
    answerBy: 'Answer by',
    turn: 'State',
    assignee: 'Handled by',
    nobody: 'nobody',
    pagination: 'Pagination',
    toStart: 'To the start',
    nextPage: 'Next page',
    noSubject: '(no subject)',
    viewsLabel: 'Views',
    paneLabel: (view: string) => `Cases: ${view}`,
    paneNone: 'No cases in this view.',
    unknown: 'unknown',
    by: (day: string) => `by ${day}`,
    wholeList: 'The whole list',
    matched: {
      reference: 'registration number',
      person: 'e-mail address, employee number or phone number',
      name: 'name',
      text: 'words in a message',
    } as Record<FoundCase['matched'], string>,
    searchLabel: 'Search cases',
    search: 'Search',
    searchHint: '(name, e-mail address, employee number, phone number, registration number or words from a message)',
    backToCases: 'Back to the cases',
    nothingFound: (q: string) => `Nothing found for “${q}”.`,
    firstFound: (q: string) => `The first ${SEARCH_LIMIT} cases for “${q}”; make the search more precise to find more.`,
    found: (n: number, q: string) => `${n === 1 ? '1 case' : `${n} cases`} found for “${q}”.`,
    resultsCaption: 'Search results, best match first',
    foundOn: 'Found on',
    bulkLegend: 'Selected cases',
    action: 'Action',
    assignTo: 'Assign to',
    toTeam: 'To team',
    close: 'Close',
    colleague: 'Colleague',
    whenAssigning: '(when assigning)',
    whenTeam: '(when moving to a team)',
    nobodyOption: 'Nobody',
    chooseTeam: 'Choose a team',
    run: 'Carry out',
  },
} as const;
type Texts = (typeof TEXTS)[UiLocale];

const option = (value: string, label: string, chosen: string | undefined) =>
  html`<option value="${value}"${value === (chosen ?? '') ? html` selected` : ''}>${label}</option>`;
const checkbox = (name: string, label: string, checked: boolean) =>
  html`<label class="check"><input type="checkbox" name="${name}" value="1"${checked ? html` checked` : ''}> ${label}</label>`;

/** "3 dagen", "5 uur": how long ago a case came in. */
function age(since: Date, now: Date, t: Texts): string {
  const hours = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 3_600_000));
  if (hours < 1) return t.lessThanAnHour;
  if (hours < 24) return t.hours(hours);
  return t.days(Math.floor(hours / 24));
}

/** GET /werkplek/zaken: the cases of a view, filtered and sorted by query parameters, a page at a time by key; kept up to date live. */
export function registerCaseList(
  app: FastifyInstance,
  deps: { db: Db; topics: TopicCache; clock: () => Date; referencePrefix?: string; sla?: () => Promise<SlaView> },
): void {
  /**
   * GET /werkplek/zaken/rijen?<the list's filter>&zaak=…: of the cases asked about, the rows
   * of those in the view now. A live list asks this about the cases it heard changed: it
   * swaps a row it shows, drops one that left the view, and counts the ones new to it,
   * instead of loading its page (and count) again on every change anywhere.
   */
  app.get('/werkplek/zaken/rijen', { config: { access: 'agent' } }, async (request, reply) => {
    const filter = caseFilterSchema.parse(request.query ?? {});
    const asked = liveRowsQuery.safeParse(request.query ?? {});
    const lang = uiLocale(request);
    if (!asked.success) return reply.code(400).send({ error: 'invalid_input', message: TEXTS[lang].tooManyReferences, fields: { zaak: 'ongeldig' } });
    const now = deps.clock();
    const [viewer, topics, sla] = await Promise.all([listViewer(deps.db, request.principal!.id), deps.topics.get(), (deps.sla ?? defaultSlaView)()]);
    const rows = await listRows(deps.db, filter, viewer, asked.data.zaak, now);
    const topicName = new Map(topics.map((t) => [t.key, lang === 'en' ? t.nameEn : t.nameNl]));
    const bulk = request.principal!.role !== 'agent';
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(html`<table><tbody>${rows.map((row) => caseRow(row, { bulk, topicName, now, sla, lang }))}</tbody></table>`.value);
  });

  app.get('/werkplek/zaken', { config: { access: 'agent' } }, async (request, reply) => {
    const filter = caseFilterSchema.parse(request.query ?? {});
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const { channels } = labels(lang);
    if (filter.q) {
      const found = await searchCases(deps.db, filter.q, deps.referencePrefix);
      // A registration number typed exactly: straight to its case.
      if (found.length === 1 && found[0]!.matched === 'reference') return reply.code(303).header('location', `/werkplek/zaken/${found[0]!.reference}`).send();
      const topics = new Map((await deps.topics.get()).map((topic) => [topic.key, lang === 'en' ? topic.nameEn : topic.nameNl]));
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(layout({ lang, title: t.searchTitle(filter.q), body: searchPage(filter.q, found, topics, lang), wide: true, header: languageSwitch(request) }));
    }
    const now = deps.clock();
    const [viewer, sla] = await Promise.all([listViewer(deps.db, request.principal!.id), (deps.sla ?? defaultSlaView)()]);
    const asked = Object.keys((request.query ?? {}) as object);
    // The list opens on the view and sort chosen last; choosing another keeps that one.
    if (asked.length === 0) Object.assign(filter, viewer.preference);
    else if (asked.includes('view') || asked.includes('sort')) await saveListPreference(deps.db, viewer.id, { view: filter.view, sort: filter.sort });
    const [{ rows, total, capped, next }, topics, teams] = await Promise.all([listCases(deps.db, filter, viewer, now), deps.topics.get(), knownTeams(deps.db)]);
    const topicName = new Map(topics.map((topic) => [topic.key, lang === 'en' ? topic.nameEn : topic.nameNl]));
    // Coordinators (and admins) assign, move and close many cases at once.
    const bulk = request.principal!.role === 'agent' ? undefined : { people: await assignableUsers(deps.db), teams };
    const current = currentView(filter);
    const countText = t.count(capped, total);
    const body = html`<p><a href="/werkplek">${t.backToWorkspace}</a></p>
<h1>${t.title}</h1>
${searchForm(undefined, t)}
${viewsNav(filter, current, true, lang)}
<details class="filters"${filter.team || filter.topic || filter.channel || filter.dueSoon ? html` open` : ''}>
<summary>${t.filterSummary}</summary>
<form method="get" action="/werkplek/zaken" aria-label="${t.filterLabel}">
${filter.view ? html`<input type="hidden" name="view" value="${filter.view}">` : ''}
<label for="team">${t.team}</label>
<select id="team" name="team">${option('', t.allTeams, filter.team)}${teams.map((team) => option(team, team, filter.team))}</select>
<label for="topic">${t.topic}</label>
<select id="topic" name="topic">${option('', t.allTopics, filter.topic)}${topics.map((topic) => option(topic.key, lang === 'en' ? topic.nameEn : topic.nameNl, filter.topic))}</select>
<label for="channel">${t.channel}</label>
<select id="channel" name="channel">${option('', t.allChannels, filter.channel)}${CHANNEL_NAMES.map((c) => option(c, channels[c] ?? c, filter.channel))}</select>
${
  filter.view
    ? ''
    : html`<label for="status">${t.status}</label>
<select id="status" name="status">${option('open', t.open, filter.status)}${option('closed', t.closed, filter.status)}${option('all', t.all, filter.status)}</select>
<fieldset><legend>${t.only}</legend>
${checkbox('mine', t.mine, filter.mine)}
${checkbox('dueSoon', t.dueSoon, filter.dueSoon)}
${checkbox('overdue', t.overdue, filter.overdue)}
</fieldset>`
}
<label for="sort">${t.sortBy}</label>
<select id="sort" name="sort">${CASE_SORTS.map((sort) => option(sort, t.sorts[sort], filter.sort))}</select>
<button type="submit">${t.apply}</button>
</form>
</details>
<div id="case-results">
<p id="case-count" role="status">${countText}${filter.na ? t.nextPageNote : ''}</p>
${
  rows.length === 0
    ? html`<p>${t.noneFound}</p>`
    : html`${bulk ? html`<form method="post" action="/werkplek/zaken/bulk" id="bulk" aria-label="${t.bulkLabel}">` : ''}<div class="table-wrap"><table class="cases stack">
<caption class="visually-hidden">${t.caption(t.sorts[filter.sort])}</caption>
<thead><tr>${bulk ? html`<th scope="col"><span class="visually-hidden">${t.select}</span></th>` : ''}<th scope="col">${t.reference}</th><th scope="col">${t.subject}</th><th scope="col">${t.sender}</th><th scope="col">${t.channel}</th><th scope="col">${t.topic}</th><th scope="col">${t.team}</th><th scope="col">${t.received}</th><th scope="col">${t.answerBy}</th><th scope="col">${t.turn}</th><th scope="col">${t.assignee}</th></tr></thead>
<tbody>
${rows.map((row) => caseRow(row, { bulk: bulk !== undefined, topicName, now, sla, lang }))}
</tbody></table></div>${bulk ? bulkBar(bulk, `/werkplek/zaken${queryOf(filter, { na: filter.na })}`, request.csrfToken ?? '', t) : ''}`
}
${
  next || filter.na
    ? html`<nav aria-label="${t.pagination}"><ul class="pages">
${filter.na ? html`<li><a href="/werkplek/zaken${queryOf(filter)}">${t.toStart}</a></li>` : ''}
${next ? html`<li><a href="/werkplek/zaken${queryOf(filter, { na: next })}" rel="next">${t.nextPage}</a></li>` : ''}
</ul></nav>`
    : ''
}
</div>
${liveMarkup({ kind: 'list', url: `/werkplek/zaken${queryOf(filter, { na: filter.na })}` }, lang)}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang, title: t.title, body, wide: true, header: languageSwitch(request) }));
  });
}

const liveRowsQuery = z.object({
  zaak: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(z.string().regex(/^[A-Z]{1,10}-\d{4}-\d{1,6}$/)).max(LIVE_ROWS_MAX),
  ),
});

/** One row of the case list (also sent alone to a live list, GET /werkplek/zaken/rijen). */
function caseRow(row: CaseListRow, options: { bulk: boolean; topicName: ReadonlyMap<string, string>; now: Date; sla: SlaView; lang: UiLocale }) {
  const t = TEXTS[options.lang];
  const { channels, attention } = labels(options.lang);
  const { shortDate, shortDateTime } = dates(options.lang);
  return html`<tr data-reference="${row.reference}">
${
  options.bulk
    ? html`<td data-label="${t.select}"><input type="checkbox" name="zaak" value="${row.reference}" id="select-${row.reference}" class="inline-check"><label class="inline visually-hidden" for="select-${row.reference}">${t.selectCase(row.reference)}</label></td>`
    : ''
}
<td data-label="${t.reference}"><a href="/werkplek/zaken/${row.reference}">${row.reference}</a>${row.attention ? html`<br><strong class="attention">${attention[row.attention] ?? row.attention}</strong>` : ''}</td>
<td data-label="${t.subject}">${row.subject || t.noSubject}</td>
<td data-label="${t.sender}">${row.senderName ?? ''}</td>
<td data-label="${t.channel}">${channels[row.channel] ?? row.channel}</td>
<td data-label="${t.topic}">${options.topicName.get(row.topic) ?? row.topic}</td>
<td data-label="${t.team}">${row.team ?? ''}</td>
<td data-label="${t.received}"><time datetime="${row.receivedAt.toISOString()}">${shortDateTime(row.receivedAt)}</time><br><span class="meta">${t.ago(age(row.receivedAt, options.now, t))}</span></td>
<td data-label="${t.answerBy}"><time datetime="${row.answerBy}">${shortDate(row.answerBy)}</time>${slaCell(row, options)}</td>
<td data-label="${t.turn}">${t.turns[row.turn]}</td>
<td data-label="${t.assignee}">${row.assignee ? displayName(row.assignee) : html`<span class="meta">${t.nobody}</span>`}</td>
</tr>`;
}

/** The row's SLA badge under its answer date (nothing for a case from before the SLA). */
function slaCell(row: CaseListRow, options: { now: Date; sla: SlaView; lang: UiLocale }) {
  const badge = slaBadge(slaState(row, options.now, options.sla.hours, options.sla.warnHours, options.lang));
  return badge ? html`<br>${badge}` : '';
}

/** The view a filter amounts to (a filter from the form without a view names one too). */
export function currentView(filter: CaseFilter): CaseView {
  return filter.view ?? (filter.status === 'closed' ? 'closed' : filter.status === 'all' ? 'all' : filter.mine ? 'mine' : filter.overdue ? 'overdue' : 'open');
}

/** The views as links, keeping the filter's team, topic, channel and sort; `current` marked when it is the page shown. */
export function viewsNav(filter: CaseFilter, current: CaseView, isThePage: boolean, lang: UiLocale = 'nl') {
  const t = TEXTS[lang];
  return html`<nav aria-label="${t.viewsLabel}" class="views"><ul>${CASE_VIEWS.map(
    (view) =>
      html`<li><a href="/werkplek/zaken${queryOf({ ...filter, status: 'open', mine: false, overdue: false }, { view, na: undefined })}"${
        view === current ? (isThePage ? html` aria-current="page"` : html` class="chosen"`) : ''
      }>${t.views[view]}</a></li>`,
  )}</ul></nav>`;
}

/**
 * Beside a case on a wide screen: the views and the agent's chosen list (its first page,
 * compact), the case shown marked. Navigation landmarks without headings, so the case's
 * own h1 stays the page's first heading.
 */
export function listPane(filter: CaseFilter, rows: CaseListRow[], more: boolean, shown: string, lang: UiLocale = 'nl') {
  const view = currentView(filter);
  const t = TEXTS[lang];
  const { shortDate } = dates(lang);
  return html`${viewsNav(filter, view, false, lang)}
<nav aria-label="${t.paneLabel(t.views[view])}" class="pane-list">
${
  rows.length === 0
    ? html`<p class="meta">${t.paneNone}</p>`
    : html`<ol class="pane-cases">${rows.map(
        (row) =>
          html`<li${row.reference === shown ? html` class="shown"` : ''}><a href="/werkplek/zaken/${row.reference}"${row.reference === shown ? html` aria-current="page"` : ''}>${
            row.subject || t.noSubject
          }</a><span class="meta">${row.reference} · ${row.senderName ?? t.unknown} · ${t.by(shortDate(row.answerBy))} · ${t.turns[row.turn]}</span></li>`,
      )}</ol>`
}
${more ? html`<p><a href="/werkplek/zaken${queryOf(filter)}">${t.wholeList}</a></p>` : ''}
</nav>`;
}

/** The search box above the list (and above the results). */
function searchForm(query: string | undefined, t: Texts) {
  return html`<form method="get" action="/werkplek/zaken" role="search" class="search" aria-label="${t.searchLabel}">
<label for="q">${t.search} <span class="hint">${t.searchHint}</span></label>
<input id="q" name="q" type="search" value="${query ?? ''}" maxlength="200">
<button type="submit">${t.search}</button>
</form>`;
}

/** The results of a search, best matches first, each with why it was found. */
function searchPage(query: string, found: FoundCase[], topics: Map<string, string>, lang: UiLocale) {
  const t = TEXTS[lang];
  const { channels, status } = labels(lang);
  const { shortDateTime } = dates(lang);
  return html`<p><a href="/werkplek/zaken">${t.backToCases}</a></p>
<h1>${t.search}</h1>
${searchForm(query, t)}
<p id="search-count" role="status">${
    found.length === 0 ? t.nothingFound(query) : found.length >= SEARCH_LIMIT ? t.firstFound(query) : t.found(found.length, query)
  }</p>
${
  found.length === 0
    ? ''
    : html`<div class="table-wrap"><table class="cases" id="search-results">
<caption class="visually-hidden">${t.resultsCaption}</caption>
<thead><tr><th scope="col">${t.reference}</th><th scope="col">${t.subject}</th><th scope="col">${t.sender}</th><th scope="col">${t.channel}</th><th scope="col">${t.topic}</th><th scope="col">${t.received}</th><th scope="col">${t.foundOn}</th></tr></thead>
<tbody>${found.map(
        (row) => html`<tr data-reference="${row.reference}">
<td><a href="/werkplek/zaken/${row.reference}">${row.reference}</a>${row.status === 'closed' ? html` <span class="meta">(${status.closed})</span>` : ''}</td>
<td>${row.subject || t.noSubject}</td>
<td>${row.senderName ?? ''}</td>
<td>${channels[row.channel] ?? row.channel}</td>
<td>${topics.get(row.topic) ?? row.topic}</td>
<td><time datetime="${row.openedAt.toISOString()}">${shortDateTime(row.openedAt)}</time></td>
<td>${t.matched[row.matched]}</td>
</tr>`,
      )}</tbody></table></div>`
}`;
}

/** Under the list, for coordinators: what to do with the selected cases. Closes the bulk form. */
function bulkBar(bulk: { people: { id: number; name: string }[]; teams: string[] }, back: string, csrfToken: string, t: Texts) {
  return html`<fieldset class="bulk-bar"><legend>${t.bulkLegend}</legend>
<input type="hidden" name="_csrf" value="${csrfToken}"><input type="hidden" name="terug" value="${back}">
<label for="bulk-action">${t.action}</label>
<select id="bulk-action" name="actie"><option value="toewijzen">${t.assignTo}</option><option value="team">${t.toTeam}</option><option value="sluiten">${t.close}</option></select>
<label for="bulk-assignee">${t.colleague} <span class="hint">${t.whenAssigning}</span></label>
<select id="bulk-assignee" name="assignee"><option value="">${t.nobodyOption}</option>${bulk.people.map((person) => html`<option value="${person.id}">${person.name}</option>`)}</select>
<label for="bulk-team">${t.team} <span class="hint">${t.whenTeam}</span></label>
<select id="bulk-team" name="team"><option value="">${t.chooseTeam}</option>${bulk.teams.map((team) => html`<option value="${team}">${team}</option>`)}</select>
<button type="submit">${t.run}</button>
</fieldset></form>`;
}
