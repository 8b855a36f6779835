import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { CHANNEL_NAMES } from '../message.js';
import type { TopicCache } from '../topic.store.js';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';
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
import { ATTENTION_LABELS, CHANNEL_LABELS, shortDate, shortDateTime, STATUS_LABELS } from './workspace.texts.js';

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
const SORT_LABELS: Record<CaseSort, string> = {
  due: 'antwoorddatum (urgentste eerst)',
  oldest: 'leeftijd (oudste eerst)',
  newest: 'leeftijd (nieuwste eerst)',
};
const TURN_LABELS: Record<CaseListRow['turn'], string> = { us: 'Wacht op ons', answered: 'Beantwoord', waiting: 'Wacht op de burger', closed: 'Gesloten' };

const option = (value: string, label: string, chosen: string | undefined) =>
  html`<option value="${value}"${value === (chosen ?? '') ? html` selected` : ''}>${label}</option>`;
const checkbox = (name: string, label: string, checked: boolean) =>
  html`<label class="check"><input type="checkbox" name="${name}" value="1"${checked ? html` checked` : ''}> ${label}</label>`;

/** "3 dagen", "5 uur": how long ago a case came in. */
function age(since: Date, now: Date): string {
  const hours = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 3_600_000));
  if (hours < 1) return 'minder dan een uur';
  if (hours < 24) return hours === 1 ? '1 uur' : `${hours} uur`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 dag' : `${days} dagen`;
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
    if (!asked.success) return reply.code(400).send({ error: 'invalid_input', message: 'Geef hoogstens 50 zaaknummers.', fields: { zaak: 'ongeldig' } });
    const now = deps.clock();
    const [viewer, topics, sla] = await Promise.all([listViewer(deps.db, request.principal!.id), deps.topics.get(), (deps.sla ?? defaultSlaView)()]);
    const rows = await listRows(deps.db, filter, viewer, asked.data.zaak, now);
    const topicName = new Map(topics.map((t) => [t.key, t.nameNl]));
    const bulk = request.principal!.role !== 'agent';
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(html`<table><tbody>${rows.map((row) => caseRow(row, { bulk, topicName, now, sla }))}</tbody></table>`.value);
  });

  app.get('/werkplek/zaken', { config: { access: 'agent' } }, async (request, reply) => {
    const filter = caseFilterSchema.parse(request.query ?? {});
    if (filter.q) {
      const found = await searchCases(deps.db, filter.q, deps.referencePrefix);
      // A registration number typed exactly: straight to its case.
      if (found.length === 1 && found[0]!.matched === 'reference') return reply.code(303).header('location', `/werkplek/zaken/${found[0]!.reference}`).send();
      const topics = new Map((await deps.topics.get()).map((t) => [t.key, t.nameNl]));
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(layout({ lang: 'nl', title: `Zoeken: ${filter.q}`, body: searchPage(filter.q, found, topics), wide: true }));
    }
    const now = deps.clock();
    const [viewer, sla] = await Promise.all([listViewer(deps.db, request.principal!.id), (deps.sla ?? defaultSlaView)()]);
    const asked = Object.keys((request.query ?? {}) as object);
    // The list opens on the view and sort chosen last; choosing another keeps that one.
    if (asked.length === 0) Object.assign(filter, viewer.preference);
    else if (asked.includes('view') || asked.includes('sort')) await saveListPreference(deps.db, viewer.id, { view: filter.view, sort: filter.sort });
    const [{ rows, total, capped, next }, topics, teams] = await Promise.all([listCases(deps.db, filter, viewer, now), deps.topics.get(), knownTeams(deps.db)]);
    const topicName = new Map(topics.map((t) => [t.key, t.nameNl]));
    // Coordinators (and admins) assign, move and close many cases at once.
    const bulk = request.principal!.role === 'agent' ? undefined : { people: await assignableUsers(deps.db), teams };
    const current = currentView(filter);
    const countText = capped ? `Meer dan ${COUNT_CAP} zaken` : total === 1 ? '1 zaak' : `${total} zaken`;
    const body = html`<p><a href="/werkplek">Terug naar de werkplek</a></p>
<h1>Zaken</h1>
${searchForm(undefined)}
${viewsNav(filter, current, true)}
<details class="filters"${filter.team || filter.topic || filter.channel || filter.dueSoon ? html` open` : ''}>
<summary>Filteren en sorteren</summary>
<form method="get" action="/werkplek/zaken" aria-label="Zaken filteren">
${filter.view ? html`<input type="hidden" name="view" value="${filter.view}">` : ''}
<label for="team">Team</label>
<select id="team" name="team">${option('', 'Alle teams', filter.team)}${teams.map((team) => option(team, team, filter.team))}</select>
<label for="topic">Onderwerp</label>
<select id="topic" name="topic">${option('', 'Alle onderwerpen', filter.topic)}${topics.map((t) => option(t.key, t.nameNl, filter.topic))}</select>
<label for="channel">Kanaal</label>
<select id="channel" name="channel">${option('', 'Alle kanalen', filter.channel)}${CHANNEL_NAMES.map((c) => option(c, CHANNEL_LABELS[c] ?? c, filter.channel))}</select>
${
  filter.view
    ? ''
    : html`<label for="status">Status</label>
<select id="status" name="status">${option('open', 'Open', filter.status)}${option('closed', 'Gesloten', filter.status)}${option('all', 'Alle', filter.status)}</select>
<fieldset><legend>Alleen</legend>
${checkbox('mine', 'Aan mij toegewezen', filter.mine)}
${checkbox('dueSoon', 'Binnenkort te beantwoorden (binnen 2 werkdagen)', filter.dueSoon)}
${checkbox('overdue', 'Te laat', filter.overdue)}
</fieldset>`
}
<label for="sort">Sorteren op</label>
<select id="sort" name="sort">${CASE_SORTS.map((sort) => option(sort, SORT_LABELS[sort], filter.sort))}</select>
<button type="submit">Toepassen</button>
</form>
</details>
<div id="case-results">
<p id="case-count" role="status">${countText}${filter.na ? ' (vervolgpagina)' : ''}</p>
${
  rows.length === 0
    ? html`<p>Geen zaken gevonden met deze filters.</p>`
    : html`${bulk ? html`<form method="post" action="/werkplek/zaken/bulk" id="bulk" aria-label="Geselecteerde zaken behandelen">` : ''}<div class="table-wrap"><table class="cases stack">
<caption class="visually-hidden">Zaken, gesorteerd op ${SORT_LABELS[filter.sort]}</caption>
<thead><tr>${bulk ? html`<th scope="col"><span class="visually-hidden">Selecteren</span></th>` : ''}<th scope="col">Registratienummer</th><th scope="col">Onderwerp van het bericht</th><th scope="col">Afzender</th><th scope="col">Kanaal</th><th scope="col">Onderwerp</th><th scope="col">Team</th><th scope="col">Ontvangen</th><th scope="col">Antwoord uiterlijk</th><th scope="col">Stand</th><th scope="col">Behandelaar</th></tr></thead>
<tbody>
${rows.map((row) => caseRow(row, { bulk: bulk !== undefined, topicName, now, sla }))}
</tbody></table></div>${bulk ? bulkBar(bulk, `/werkplek/zaken${queryOf(filter, { na: filter.na })}`, request.csrfToken ?? '') : ''}`
}
${
  next || filter.na
    ? html`<nav aria-label="Paginering"><ul class="pages">
${filter.na ? html`<li><a href="/werkplek/zaken${queryOf(filter)}">Naar het begin</a></li>` : ''}
${next ? html`<li><a href="/werkplek/zaken${queryOf(filter, { na: next })}" rel="next">Volgende pagina</a></li>` : ''}
</ul></nav>`
    : ''
}
</div>
${liveMarkup({ kind: 'list', url: `/werkplek/zaken${queryOf(filter, { na: filter.na })}` })}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang: 'nl', title: 'Zaken', body, wide: true }));
  });
}

const liveRowsQuery = z.object({
  zaak: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(z.string().regex(/^[A-Z]{1,10}-\d{4}-\d{1,6}$/)).max(LIVE_ROWS_MAX),
  ),
});

/** One row of the case list (also sent alone to a live list, GET /werkplek/zaken/rijen). */
function caseRow(row: CaseListRow, options: { bulk: boolean; topicName: ReadonlyMap<string, string>; now: Date; sla: SlaView }) {
  return html`<tr data-reference="${row.reference}">
${
  options.bulk
    ? html`<td data-label="Selecteren"><input type="checkbox" name="zaak" value="${row.reference}" id="select-${row.reference}" class="inline-check"><label class="inline visually-hidden" for="select-${row.reference}">Zaak ${row.reference} selecteren</label></td>`
    : ''
}
<td data-label="Registratienummer"><a href="/werkplek/zaken/${row.reference}">${row.reference}</a>${row.attention ? html`<br><strong class="attention">${ATTENTION_LABELS[row.attention] ?? row.attention}</strong>` : ''}</td>
<td data-label="Onderwerp van het bericht">${row.subject || '(geen onderwerp)'}</td>
<td data-label="Afzender">${row.senderName ?? ''}</td>
<td data-label="Kanaal">${CHANNEL_LABELS[row.channel] ?? row.channel}</td>
<td data-label="Onderwerp">${options.topicName.get(row.topic) ?? row.topic}</td>
<td data-label="Team">${row.team ?? ''}</td>
<td data-label="Ontvangen"><time datetime="${row.receivedAt.toISOString()}">${shortDateTime(row.receivedAt)}</time><br><span class="meta">${age(row.receivedAt, options.now)} geleden</span></td>
<td data-label="Antwoord uiterlijk"><time datetime="${row.answerBy}">${shortDate(row.answerBy)}</time>${slaCell(row, options)}</td>
<td data-label="Stand">${TURN_LABELS[row.turn]}</td>
<td data-label="Behandelaar">${row.assignee ? displayName(row.assignee) : html`<span class="meta">niemand</span>`}</td>
</tr>`;
}

/** The row's SLA badge under its answer date (nothing for a case from before the SLA). */
function slaCell(row: CaseListRow, options: { now: Date; sla: SlaView }) {
  const badge = slaBadge(slaState(row, options.now, options.sla.hours, options.sla.warnHours));
  return badge ? html`<br>${badge}` : '';
}

/** The view a filter amounts to (a filter from the form without a view names one too). */
export function currentView(filter: CaseFilter): CaseView {
  return filter.view ?? (filter.status === 'closed' ? 'closed' : filter.status === 'all' ? 'all' : filter.mine ? 'mine' : filter.overdue ? 'overdue' : 'open');
}

/** The views as links, keeping the filter's team, topic, channel and sort; `current` marked when it is the page shown. */
export function viewsNav(filter: CaseFilter, current: CaseView, isThePage: boolean) {
  return html`<nav aria-label="Weergaven" class="views"><ul>${CASE_VIEWS.map(
    (view) =>
      html`<li><a href="/werkplek/zaken${queryOf({ ...filter, status: 'open', mine: false, overdue: false }, { view, na: undefined })}"${
        view === current ? (isThePage ? html` aria-current="page"` : html` class="chosen"`) : ''
      }>${VIEW_LABELS[view]}</a></li>`,
  )}</ul></nav>`;
}

/**
 * Beside a case on a wide screen: the views and the agent's chosen list (its first page,
 * compact), the case shown marked. Navigation landmarks without headings, so the case's
 * own h1 stays the page's first heading.
 */
export function listPane(filter: CaseFilter, rows: CaseListRow[], more: boolean, shown: string) {
  const view = currentView(filter);
  return html`${viewsNav(filter, view, false)}
<nav aria-label="Zaken: ${VIEW_LABELS[view]}" class="pane-list">
${
  rows.length === 0
    ? html`<p class="meta">Geen zaken in deze weergave.</p>`
    : html`<ol class="pane-cases">${rows.map(
        (row) =>
          html`<li${row.reference === shown ? html` class="shown"` : ''}><a href="/werkplek/zaken/${row.reference}"${row.reference === shown ? html` aria-current="page"` : ''}>${
            row.subject || '(geen onderwerp)'
          }</a><span class="meta">${row.reference} · ${row.senderName ?? 'onbekend'} · uiterlijk ${shortDate(row.answerBy)} · ${TURN_LABELS[row.turn]}</span></li>`,
      )}</ol>`
}
${more ? html`<p><a href="/werkplek/zaken${queryOf(filter)}">De hele lijst</a></p>` : ''}
</nav>`;
}

const MATCHED: Record<FoundCase['matched'], string> = {
  reference: 'registratienummer',
  person: 'e-mailadres, personeelsnummer of telefoonnummer',
  name: 'naam',
  text: 'woorden in een bericht',
};

/** The search box above the list (and above the results). */
function searchForm(query: string | undefined) {
  return html`<form method="get" action="/werkplek/zaken" role="search" class="search" aria-label="Zaken zoeken">
<label for="q">Zoeken <span class="hint">(naam, e-mailadres, personeelsnummer, telefoonnummer, registratienummer of woorden uit een bericht)</span></label>
<input id="q" name="q" type="search" value="${query ?? ''}" maxlength="200">
<button type="submit">Zoeken</button>
</form>`;
}

/** The results of a search, best matches first, each with why it was found. */
function searchPage(query: string, found: FoundCase[], topics: Map<string, string>) {
  return html`<p><a href="/werkplek/zaken">Terug naar de zaken</a></p>
<h1>Zoeken</h1>
${searchForm(query)}
<p id="search-count" role="status">${
    found.length === 0
      ? `Niets gevonden voor “${query}”.`
      : found.length >= SEARCH_LIMIT
        ? `De eerste ${SEARCH_LIMIT} zaken voor “${query}”; maak de zoekopdracht preciezer om meer te vinden.`
        : `${found.length === 1 ? '1 zaak' : `${found.length} zaken`} gevonden voor “${query}”.`
  }</p>
${
  found.length === 0
    ? ''
    : html`<div class="table-wrap"><table class="cases" id="search-results">
<caption class="visually-hidden">Zoekresultaten, beste overeenkomst eerst</caption>
<thead><tr><th scope="col">Registratienummer</th><th scope="col">Onderwerp van het bericht</th><th scope="col">Afzender</th><th scope="col">Kanaal</th><th scope="col">Onderwerp</th><th scope="col">Ontvangen</th><th scope="col">Gevonden op</th></tr></thead>
<tbody>${found.map(
        (row) => html`<tr data-reference="${row.reference}">
<td><a href="/werkplek/zaken/${row.reference}">${row.reference}</a>${row.status === 'closed' ? html` <span class="meta">(${STATUS_LABELS.closed})</span>` : ''}</td>
<td>${row.subject || '(geen onderwerp)'}</td>
<td>${row.senderName ?? ''}</td>
<td>${CHANNEL_LABELS[row.channel] ?? row.channel}</td>
<td>${topics.get(row.topic) ?? row.topic}</td>
<td><time datetime="${row.openedAt.toISOString()}">${shortDateTime(row.openedAt)}</time></td>
<td>${MATCHED[row.matched]}</td>
</tr>`,
      )}</tbody></table></div>`
}`;
}

/** Under the list, for coordinators: what to do with the selected cases. Closes the bulk form. */
function bulkBar(bulk: { people: { id: number; name: string }[]; teams: string[] }, back: string, csrfToken: string) {
  return html`<fieldset class="bulk-bar"><legend>Geselecteerde zaken</legend>
<input type="hidden" name="_csrf" value="${csrfToken}"><input type="hidden" name="terug" value="${back}">
<label for="bulk-action">Actie</label>
<select id="bulk-action" name="actie"><option value="toewijzen">Toewijzen aan</option><option value="team">Naar team</option><option value="sluiten">Sluiten</option></select>
<label for="bulk-assignee">Medewerker <span class="hint">(bij toewijzen)</span></label>
<select id="bulk-assignee" name="assignee"><option value="">Niemand</option>${bulk.people.map((person) => html`<option value="${person.id}">${person.name}</option>`)}</select>
<label for="bulk-team">Team <span class="hint">(bij naar team)</span></label>
<select id="bulk-team" name="team"><option value="">Kies een team</option>${bulk.teams.map((team) => html`<option value="${team}">${team}</option>`)}</select>
<button type="submit">Uitvoeren</button>
</fieldset></form>`;
}
