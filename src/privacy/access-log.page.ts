import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { runPrepared, type Db } from '../db/database.js';
import { html, type SafeHtml } from '../ui/html.js';
import { uiLocale } from '../workspace/language.js';
import { privacyPage } from './privacy.page.js';
import { dates } from '../workspace/workspace.texts.js';
import { verifyChain } from './access-log.js';

/** An account reading this many more cases in a day than the median of its colleagues stands out. */
export const UNUSUAL_FACTOR = 3;
/** Fewer cases than this in a day never stand out, however quiet the colleagues were. */
export const UNUSUAL_MINIMUM = 30;

const TEXTS = {
  nl: {
    title: 'Toegang tot persoonsgegevens',
    intro: 'Wie welke zaak bekeek, downloadde, zocht of wijzigde. Het logboek kan alleen worden aangevuld; elke regel bevat de hash van de regel ervoor.',
    filter: 'Zoeken in het logboek',
    reference: 'Zaaknummer',
    account: 'Account',
    anyAccount: 'Alle accounts',
    person: 'Persoon (e-mailadres, personeelsnummer of telefoonnummer)',
    from: 'Vanaf',
    to: 'Tot en met',
    show: 'Tonen',
    unusual: 'Opvallend leesgedrag (laatste 7 dagen)',
    unusualNone: 'Geen account las op een dag opvallend meer zaken dan zijn collega’s.',
    unusualRow: (name: string, day: string, cases: number, median: number) => `${name} opende op ${day} ${cases} zaken (mediaan van de collega’s: ${median}).`,
    rows: (n: number) => (n === 500 ? 'De nieuwste 500 regels; maak de zoekvraag nauwer voor oudere.' : `${n} regels.`),
    none: 'Geen regels gevonden.',
    at: 'Tijd',
    who: 'Account',
    role: 'Rol',
    action: 'Handeling',
    case: 'Zaak',
    detail: 'Details',
    check: 'Keten controleren',
    intact: (n: number) => `De keten is heel: ${n} regels gecontroleerd, geen regel ontbreekt of is gewijzigd.`,
    broken: (id: number, n: number) => `De keten is verbroken bij regel ${id} (na ${n} goede regels): een regel ervoor ontbreekt of een regel is gewijzigd.`,
    logout: 'Uitloggen',
    export: 'Inzage voor een persoon: alles wat Loket over iemand bewaart, als ZIP',
    erase: 'Gegevens wissen op verzoek (met goedkeuring van een tweede privacyfunctionaris)',
    bad: 'Controleer de zoekvraag: een datum als 2026-12-01, een zaaknummer of een account uit de lijst.',
  },
  en: {
    title: 'Access to personal data',
    intro: 'Who viewed, downloaded, searched or changed which case. The log can only be appended to; every row holds the hash of the row before it.',
    filter: 'Search the log',
    reference: 'Case number',
    account: 'Account',
    anyAccount: 'All accounts',
    person: 'Person (e-mail address, employee number or phone number)',
    from: 'From',
    to: 'Up to and including',
    show: 'Show',
    unusual: 'Unusual reading (last 7 days)',
    unusualNone: 'No account read notably more cases in a day than its colleagues.',
    unusualRow: (name: string, day: string, cases: number, median: number) => `${name} opened ${cases} cases on ${day} (colleagues' median: ${median}).`,
    rows: (n: number) => (n === 500 ? 'The newest 500 rows; narrow the search for older ones.' : `${n} rows.`),
    none: 'No rows found.',
    at: 'Time',
    who: 'Account',
    role: 'Role',
    action: 'Action',
    case: 'Case',
    detail: 'Details',
    check: 'Check the chain',
    intact: (n: number) => `The chain is whole: ${n} rows checked, none missing or changed.`,
    broken: (id: number, n: number) => `The chain breaks at row ${id} (after ${n} good rows): a row before it is missing or a row was changed.`,
    logout: 'Sign out',
    export: "A person's right of access: everything Loket holds about someone, as a ZIP",
    erase: 'Erase data on request (approved by a second privacy officer)',
    bad: 'Check the search: a date like 2026-12-01, a case number or an account from the list.',
  },
} as const;

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const filterSchema = z.object({
  zaak: z.preprocess(blank, z.string().trim().max(40).optional()),
  account: z.preprocess(blank, z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional()),
  persoon: z.preprocess(blank, z.string().trim().max(320).optional()),
  van: z.preprocess(blank, z.iso.date().optional()),
  tot: z.preprocess(blank, z.iso.date().optional()),
});
type Filter = z.infer<typeof filterSchema>;

interface LogRow {
  id: string | number;
  at: Date | string;
  account_name: string;
  role: string;
  action: string;
  reference: string | null;
  detail: string;
}

/** The log's rows that match, newest first: by case, by account, by person (their cases), by day (Amsterdam). */
async function rowsFor(db: Db, filter: Filter): Promise<LogRow[]> {
  const person = filter.persoon;
  // A phone number is compared by its digits, and only when it has enough of them to be one.
  const phone = person && person.replace(/[^0-9+]/g, '').length >= 6 ? person.replace(/[^0-9+]/g, '') : null;
  return runPrepared<LogRow>(
    db,
    sql`select id, at, account_name, role, action, reference, detail from access_log
         where true
           ${filter.zaak ? sql`and reference = ${filter.zaak}` : sql``}
           ${filter.account ? sql`and account_id = ${filter.account}` : sql``}
           ${
             person
               ? sql`and reference in (select reference from cases
                      where lower(sender->>'email') = lower(${person}) or sender->>'employeeNumber' = ${person}
                         or regexp_replace(sender->>'phone', '[^0-9+]', '', 'g') = ${phone})`
               : sql``
           }
           ${filter.van ? sql`and at >= (${filter.van}::date)::timestamp at time zone 'Europe/Amsterdam'` : sql``}
           ${filter.tot ? sql`and at < (${filter.tot}::date + 1)::timestamp at time zone 'Europe/Amsterdam'` : sql``}
         order by id desc limit 500`,
  );
}

/**
 * Accounts that opened notably more cases on a day than their colleagues (distinct cases
 * viewed, per Amsterdam day, last 7 days): more than UNUSUAL_FACTOR times that day's median
 * and at least UNUSUAL_MINIMUM.
 */
export async function unusualReading(db: Db, now: Date): Promise<{ name: string; day: string; cases: number; median: number }[]> {
  const rows = await runPrepared<{ name: string; day: string; cases: string | number; median: string | number }>(
    db,
    sql`
    with daily as (
      select account_id, max(account_name) as name, to_char(at at time zone 'Europe/Amsterdam', 'YYYY-MM-DD') as day, count(distinct reference) as cases
        from access_log
       where action = 'case.view' and at > ${now.toISOString()}::timestamptz - interval '7 days' and account_id is not null
       group by account_id, day),
    medians as (select day, percentile_cont(0.5) within group (order by cases) as median from daily group by day)
    select d.name, d.day, d.cases, m.median from daily d join medians m using (day)
     where d.cases >= ${UNUSUAL_MINIMUM} and d.cases > ${UNUSUAL_FACTOR} * m.median
     order by d.day desc, d.cases desc`,
  );
  return rows.map((row) => ({ name: row.name, day: row.day, cases: Number(row.cases), median: Number(row.median) }));
}

const page = (request: FastifyRequest, reply: FastifyReply, status: number, body: SafeHtml) =>
  privacyPage(request, reply, { status, title: TEXTS[uiLocale(request)].title, body });

/** GET /privacy: the privacy officer's view of the access log; POST /privacy/keten: the chain checked. */
export function registerAccessLogPages(app: FastifyInstance, deps: { db: Db; clock: () => Date }): void {
  async function show(request: FastifyRequest, reply: FastifyReply, check?: SafeHtml) {
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const { shortDateTime } = dates(lang);
    const parsed = filterSchema.safeParse(request.query ?? {});
    const filter = parsed.success ? parsed.data : {};
    const [rows, unusual, accounts] = await Promise.all([
      rowsFor(deps.db, filter),
      unusualReading(deps.db, deps.clock()),
      runPrepared<{ id: string | number; name: string }>(deps.db, sql`select id, name from users order by name`),
    ]);
    const csrf = html`<input type="hidden" name="_csrf" value="${request.csrfToken ?? ''}">`;
    const body = html`<h1>${t.title}</h1>
<p>${t.intro}</p>
<p><a href="/privacy/inzage">${t.export}</a></p>
<p><a href="/privacy/wissen">${t.erase}</a></p>
${parsed.success ? '' : html`<div role="alert" class="error-summary" id="error">${t.bad}</div>`}
${check ?? ''}
<section aria-labelledby="unusual-title" class="notice">
<h2 id="unusual-title">${t.unusual}</h2>
${unusual.length === 0 ? html`<p id="unusual">${t.unusualNone}</p>` : html`<ul id="unusual">${unusual.map((u) => html`<li>${t.unusualRow(u.name, u.day, u.cases, u.median)}</li>`)}</ul>`}
</section>
<form method="get" action="/privacy" aria-labelledby="filter-title">
<h2 id="filter-title">${t.filter}</h2>
<label for="zaak">${t.reference}</label><input id="zaak" name="zaak" maxlength="40" value="${filter.zaak ?? ''}">
<label for="account">${t.account}</label>
<select id="account" name="account"><option value="">${t.anyAccount}</option>${accounts.map(
      (a) => html`<option value="${a.id}"${Number(a.id) === filter.account ? html` selected` : ''}>${a.name}</option>`,
    )}</select>
<label for="persoon">${t.person}</label><input id="persoon" name="persoon" maxlength="320" value="${filter.persoon ?? ''}">
<label for="van">${t.from}</label><input id="van" name="van" type="date" value="${filter.van ?? ''}">
<label for="tot">${t.to}</label><input id="tot" name="tot" type="date" value="${filter.tot ?? ''}">
<button type="submit">${t.show}</button>
</form>
<form method="post" action="/privacy/keten">${csrf}<button type="submit" class="secondary">${t.check}</button></form>
${
  rows.length === 0
    ? html`<p id="log-count">${t.none}</p>`
    : html`<p id="log-count">${t.rows(rows.length)}</p>
<div class="table-wrap"><table id="access-log" class="cases stack"><caption class="visually-hidden">${t.title}</caption>
<thead><tr><th scope="col">${t.at}</th><th scope="col">${t.who}</th><th scope="col">${t.role}</th><th scope="col">${t.action}</th><th scope="col">${t.case}</th><th scope="col">${t.detail}</th></tr></thead>
<tbody>${rows.map(
        (row) => html`<tr data-id="${row.id}">
<td data-label="${t.at}"><time datetime="${new Date(row.at).toISOString()}">${shortDateTime(new Date(row.at))}</time></td>
<td data-label="${t.who}">${row.account_name}</td><td data-label="${t.role}">${row.role}</td><td data-label="${t.action}">${row.action}</td>
<td data-label="${t.case}">${row.reference ?? '—'}</td><td data-label="${t.detail}"><code>${row.detail}</code></td></tr>`,
      )}</tbody></table></div>`
}
<form method="post" action="/logout">${csrf}<button type="submit" class="secondary">${t.logout}</button></form>`;
    return page(request, reply, parsed.success ? 200 : 400, body);
  }

  app.get('/privacy', { config: { access: 'privacy' } }, (request, reply) => show(request, reply));

  app.post('/privacy/keten', { config: { access: 'privacy' } }, async (request, reply) => {
    const t = TEXTS[uiLocale(request)];
    const result = await verifyChain(deps.db);
    const message = result.intact
      ? html`<div role="status" class="notice" id="chain" data-intact="true">${t.intact(result.rows)}</div>`
      : html`<div role="alert" class="error-summary" id="chain" data-intact="false">${t.broken(result.brokenAt, result.rows)}</div>`;
    return show(request, reply, message);
  });
}
