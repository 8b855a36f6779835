import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Queues } from '../../queues/jobs.js';
import { routeAnswer, writeAnswer, type ChannelLookup } from '../answer.js';
import { AnswerRefusedError } from '../channel.js';
import { sql } from 'drizzle-orm';
import { runPrepared, type Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { html, type SafeHtml } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import type { Done } from '../workspace/case-view.page.js';
import type { CaseRow } from '../workspace/case-view.query.js';
import { shortDate, shortDateTime } from '../workspace/workspace.texts.js';
import { complimentBody, detailsBody, passCompliment } from './compliment.js';
import { acknowledgeComplaint, tellProgress, type ComplaintLetterDeps } from './complaint.letters.js';
import type { Notifier } from '../workspace/notifications.js';
import { users } from '../db/schema.js';
import { eq } from 'drizzle-orm';
import {
  answerSatisfaction,
  chooseHandler,
  complaintOf,
  registerComplaint,
  ComplaintRefused,
  logFirstContact,
  recordImprovement,
  resolve,
  setInvolved,
  setUrgent,
  type ComplaintRow,
  type ComplaintTimes,
} from './complaint.store.js';

export const STAGE_LABELS: Record<ComplaintRow['stage'], string> = {
  registered: 'Geregistreerd: een coördinator kiest een behandelaar',
  handler: 'Behandelaar gekozen: eerste contact met de klager',
  'first-contact': 'Eerste contact gehad: oplossen',
  resolved: 'Opgelost: wacht op het oordeel van de klager',
  'extra-time': 'Klager niet tevreden: 2 werkdagen extra',
  escalated: 'Geëscaleerd naar de directeur',
  closed: 'Afgesloten',
};

export interface ComplaintRoutesDeps {
  db: Db;
  channels: ChannelLookup;
  queues: Pick<Queues, 'add'>;
  mailDomain: string;
  /** Where the satisfaction link points (PUBLIC_URL). */
  publicUrl: string;
  /** The office hours and the procedure's deadlines as they stand. */
  times: () => Promise<ComplaintTimes>;
  /** The team of the complaint topic (a case an agent registers as a complaint moves there). */
  complaintTeam?: () => Promise<string | null>;
  clock: () => Date;
  log: Logger;
  /** Tells handlers and coordinators (an urgent complaint) and the people a compliment is for. */
  notifier?: Pick<Notifier, 'sla' | 'compliment'>;
  target(request: FastifyRequest, reply: FastifyReply): Promise<CaseRow | undefined>;
  show(request: FastifyRequest, reply: FastifyReply, reference: string, extra: { status: number; error: string }): Promise<FastifyReply>;
  done(reply: FastifyReply, row: CaseRow, what: Done): FastifyReply;
}

const ids = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)).max(50),
);

/** The complaint procedure's steps on a case (src/complaints), and the complainant's satisfaction page. */
export function registerComplaintRoutes(app: FastifyInstance, deps: ComplaintRoutesDeps): void {
  const { db, target, show, done } = deps;
  const me = (request: FastifyRequest) => ({ id: request.principal!.id, name: request.principal!.name });
  const letters: ComplaintLetterDeps = {
    db,
    channels: deps.channels,
    mailDomain: deps.mailDomain,
    deliver: (outboxId) =>
      deps.queues
        .add('deliver', { outboxId })
        .then(() => undefined)
        .catch((err: unknown) => deps.log.warn({ err, outboxId }, 'complaint letter not enqueued; the sweep sends it')),
  };

  /** Runs a step; a refusal shows the case again with why. */
  async function act(request: FastifyRequest, reply: FastifyReply, work: (row: CaseRow) => Promise<Done | FastifyReply>) {
    const row = await target(request, reply);
    if (!row) return reply;
    try {
      const outcome = await work(row);
      return typeof outcome === 'string' ? done(reply, row, outcome) : outcome;
    } catch (err) {
      if (err instanceof ComplaintRefused || err instanceof AnswerRefusedError) return show(request, reply, row.reference, { status: 409, error: err.message });
      throw err;
    }
  }

  app.post('/werkplek/zaken/:reference/klacht/betrokkenen', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = z.object({ betrokkene: ids }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: 'Kies de betrokken medewerkers.' });
      await setInvolved(db, row, body.data.betrokkene, me(request));
      return 'klacht';
    }),
  );

  app.post('/werkplek/zaken/:reference/klacht/behandelaar', { config: { access: 'coordinator' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = z.object({ handler: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: 'Kies een behandelaar.' });
      const { changed } = await chooseHandler(db, row, body.data.handler, me(request));
      // The complainant is told who handles their complaint (seed 004: kept informed of progress).
      const [handler] = changed ? await db.select({ name: users.name }).from(users).where(eq(users.id, body.data.handler)) : [];
      const complaint = handler && (await complaintOf(db, row.id));
      if (handler && complaint) await tellProgress(letters, row.id, { kind: 'handler', handler: handler.name, firstContactDue: complaint.firstContactDue });
      return 'klacht';
    }),
  );

  app.post('/werkplek/zaken/:reference/klacht/contact', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = z.object({ how: z.enum(['telefoon', 'e-mail', 'gesprek']) }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: 'Kies hoe het contact was.' });
      await logFirstContact(db, row, body.data.how, me(request));
      return 'klacht';
    }),
  );

  app.post('/werkplek/zaken/:reference/klacht/urgent', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = z.object({ urgent: z.enum(['1', '0']) }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: 'Kies urgent of niet.' });
      await setUrgent(db, row, body.data.urgent === '1', me(request));
      // Acted on at once (seed 004): the handler and the coordinators hear of it now, not at the next deadline.
      if (body.data.urgent === '1')
        await deps.notifier?.sla(row.id, 'complaint', `Urgente klacht ${row.reference}: direct oppakken.`, `complaint:urgent:${deps.clock().toISOString()}`);
      return 'klacht';
    }),
  );

  app.post('/werkplek/zaken/:reference/klacht/oplossing', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = z.object({ text: z.string().trim().min(1).max(20_000) }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: 'Beschrijf de oplossing.' });
      // Where the answer goes is known before anything is recorded: a refusal changes nothing.
      const probe = await routeAnswer(db, deps.channels, row, body.data.text, request.principal!.name);
      const token = await resolve(db, row, body.data.text, me(request), await deps.times(), deps.clock());
      const link = `${deps.publicUrl.replace(/\/$/, '')}/klacht/tevredenheid/${token}`;
      const text = `${body.data.text}\n\nIs uw klacht naar tevredenheid opgelost? Laat het ons weten via deze link (u kunt één keer antwoorden):\n${link}`;
      const outboxId = await writeAnswer(db, deps.channels, row, { ...probe, body: text }, request.principal!.name, deps.mailDomain);
      await deps.queues
        .add('deliver', { outboxId })
        .catch((err: unknown) => deps.log.warn({ err, outboxId, caseRef: row.reference }, 'resolution not enqueued; the sweep sends it'));
      return 'klacht-opgelost';
    }),
  );

  // A complaint made by mail or phone, registered by an agent with what the form asks (seed 000); on a complaint, its details corrected.
  app.post('/werkplek/zaken/:reference/klacht/registreren', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = detailsBody.safeParse(request.body ?? {});
      if (!body.success)
        return show(request, reply, row.reference, { status: 400, error: body.error.issues[0]?.message ?? 'Controleer de gegevens van de klacht.' });
      const team = (await deps.complaintTeam?.()) ?? null;
      const outcome = await registerComplaint(db, row, body.data, team, me(request), await deps.times());
      if (outcome === 'corrected') return 'klacht';
      await acknowledgeComplaint(letters, row.id);
      return 'klacht-geregistreerd';
    }),
  );

  // A compliment (seed 004) is recorded and passed on to the employee or team it is for.
  app.post('/werkplek/zaken/:reference/compliment', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = complimentBody.safeParse(request.body ?? {});
      if (!body.success)
        return show(request, reply, row.reference, { status: 400, error: body.error.issues[0]?.message ?? 'Kies voor wie het compliment is.' });
      await passCompliment(db, deps.notifier, row, body.data, me(request));
      return 'compliment';
    }),
  );

  app.post('/werkplek/zaken/:reference/klacht/verbetering', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const line = z.string().trim().min(1).max(2_000);
      const body = z.object({ cause: line, improvement: line, owner: line.max(200) }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: 'Vul de oorzaak, de verbetering en wie die oppakt in.' });
      await recordImprovement(db, row, body.data, me(request));
      return 'klacht';
    }),
  );

  const publicPage = (reply: FastifyReply, status: number, title: string, body: SafeHtml) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send(layout({ lang: 'nl', title, body }));
  const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) });
  const gone = (reply: FastifyReply, reason: 'unknown' | 'expired') =>
    publicPage(
      reply,
      reason === 'expired' ? 410 : 404,
      'Link niet (meer) geldig',
      html`<h1>Deze link is niet (meer) geldig</h1><p>${
        reason === 'expired' ? 'De termijn om te antwoorden is voorbij.' : 'U hebt al geantwoord, of de link is niet volledig.'
      } Wilt u nog iets laten weten over uw klacht? Neem contact op met het contactcenter en noem uw registratienummer.</p>`,
    );

  // Public: the complainant follows the link without an account; guessing links is slowed down.
  const guessing = { rateLimit: { max: 30, timeWindow: 60_000 } };
  app.get('/klacht/tevredenheid/:token', { config: { access: 'public', ...guessing } }, async (request, reply) => {
    const params = tokenParams.safeParse(request.params);
    if (!params.success) return gone(reply, 'unknown');
    return publicPage(
      reply,
      200,
      'Is uw klacht opgelost?',
      html`<h1>Is uw klacht naar tevredenheid opgelost?</h1>
<form method="post" action="/klacht/tevredenheid/${params.data.token}">
<fieldset><legend>Uw oordeel</legend>
<label class="check"><input type="radio" name="tevreden" value="ja" required> Ja, mijn klacht is naar tevredenheid opgelost</label>
<label class="check"><input type="radio" name="tevreden" value="nee"> Nee, ik ben niet tevreden</label>
</fieldset>
<label for="toelichting">Toelichting <span class="hint">(niet verplicht)</span></label>
<textarea id="toelichting" name="toelichting" maxlength="2000"></textarea>
<button type="submit">Versturen</button>
</form>`,
    );
  });

  app.post('/klacht/tevredenheid/:token', { config: { access: 'public', ...guessing } }, async (request, reply) => {
    const params = tokenParams.safeParse(request.params);
    if (!params.success) return gone(reply, 'unknown');
    const body = z.object({ tevreden: z.enum(['ja', 'nee']), toelichting: z.string().max(2_000).default('') }).safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send({ error: 'invalid_input', message: 'Kies ja of nee.', fields: { tevreden: 'Kies ja of nee.' } });
    const outcome = await answerSatisfaction(
      db,
      params.data.token,
      body.data.tevreden === 'ja',
      body.data.toelichting.trim(),
      await deps.times(),
      deps.clock(),
    );
    if (!outcome.ok) return gone(reply, outcome.reason);
    return publicPage(
      reply,
      200,
      'Dank u wel',
      html`<h1>Dank u wel</h1><p>${
        outcome.satisfied
          ? 'Fijn dat uw klacht naar tevredenheid is opgelost. De klacht is afgesloten.'
          : 'Jammer dat uw klacht niet naar tevredenheid is opgelost. De behandelaar neemt binnen 2 werkdagen opnieuw contact met u op; lukt het dan niet, dan gaat uw klacht naar de directeur.'
      }</p><p>Registratienummer: ${outcome.reference}</p>`,
    );
  });
}

/** The improvement form (verbeterformulier, seed 004), once the complaint is over. */
function improvementForm(base: string, csrf: SafeHtml, saved: ComplaintRow['improvement']): SafeHtml {
  return html`<form method="post" action="${base}/klacht/verbetering" aria-labelledby="improvement-title">
<h3 id="improvement-title">Verbeterformulier</h3>${csrf}
<label for="improvement-cause">Oorzaak</label><textarea id="improvement-cause" name="cause" class="compact" rows="2" maxlength="2000" required aria-required="true">${saved?.cause ?? ''}</textarea>
<label for="improvement-what">Verbetering</label><textarea id="improvement-what" name="improvement" class="compact" rows="2" maxlength="2000" required aria-required="true">${saved?.improvement ?? ''}</textarea>
<label for="improvement-owner">Wie pakt het op</label><input id="improvement-owner" name="owner" maxlength="200" required aria-required="true" value="${saved?.owner ?? ''}">
<button type="submit">Verbeterformulier opslaan</button></form>`;
}

/** The three questions of seed 000, as a form on the case page (to register a complaint, or correct what it says). */
function detailsForm(base: string, csrf: SafeHtml, saved: ComplaintRow | undefined): SafeHtml {
  return html`<form method="post" action="${base}/klacht/registreren" aria-labelledby="complaint-details-title">
<h3 id="complaint-details-title">${saved ? 'Gegevens van de klacht' : 'Als klacht registreren'}</h3>${csrf}
${saved ? '' : html`<p class="hint">Een klacht per mail of telefoon: leg vast wat het contactformulier vraagt. De klager krijgt een schriftelijke bevestiging.</p>`}
<label for="complaint-earlier">Eerder registratienummer <span class="hint">(niet verplicht)</span></label><input id="complaint-earlier" name="eerder" maxlength="40" value="${saved?.earlierReference ?? ''}">
<label for="complaint-last-contact">Datum van het laatste contact <span class="hint">(niet verplicht)</span></label><input id="complaint-last-contact" name="laatste_contact" type="date" value="${saved?.lastContactOn ?? ''}">
<label for="complaint-employee">Naam van de medewerker die de klager sprak <span class="hint">(niet verplicht)</span></label><input id="complaint-employee" name="medewerker" maxlength="200" value="${saved?.employeeName ?? ''}">
<button type="submit"${saved ? html` class="secondary"` : ''}>${saved ? 'Gegevens opslaan' : 'Klacht registreren'}</button></form>`;
}

/** A compliment is passed on, not handled as a complaint (seed 004). */
function complimentForm(base: string, csrf: SafeHtml, people: { id: number; name: string }[], teams: string[]): SafeHtml {
  return html`<form method="post" action="${base}/compliment" aria-labelledby="compliment-title">
<h3 id="compliment-title">Compliment doorgeven</h3>${csrf}
<label for="compliment-for">Voor medewerker</label>
<select id="compliment-for" name="voor"><option value="">— geen medewerker, een team —</option>${people.map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select>
<label for="compliment-team">Of voor team</label>
<select id="compliment-team" name="team"><option value="">—</option>${teams.map((team) => html`<option value="${team}">${team}</option>`)}</select>
<label for="compliment-note">Toelichting <span class="hint">(niet verplicht)</span></label><textarea id="compliment-note" name="toelichting" class="compact" rows="2" maxlength="2000"></textarea>
<button type="submit" class="secondary">Compliment doorgeven</button></form>`;
}

/** On a case that is no complaint: register it as one, or pass on a compliment. */
export function complaintIntakeSection(input: { base: string; csrfToken: string; people: { id: number; name: string }[]; teams: string[] }): SafeHtml {
  const csrf = html`<input type="hidden" name="_csrf" value="${input.csrfToken}">`;
  return html`<details id="complaint-intake" class="section"><summary>Klacht of compliment</summary>
${detailsForm(input.base, csrf, undefined)}
${complimentForm(input.base, csrf, input.people, input.teams)}
</details>`;
}

/** The complaint section of a case page: its stage and deadlines, and the steps that fit. */
export function complaintSection(input: {
  complaint: ComplaintRow;
  base: string;
  csrfToken: string;
  people: { id: number; name: string }[];
  teams: string[];
  coordinator: boolean;
}): SafeHtml {
  const { complaint: k, base } = input;
  const csrf = html`<input type="hidden" name="_csrf" value="${input.csrfToken}">`;
  const name = (id: number | null) => input.people.find((p) => p.id === id)?.name ?? '—';
  const open = k.stage !== 'closed' && k.stage !== 'escalated';
  return html`<section id="complaint" aria-labelledby="complaint-title" class="notice">
<h2 id="complaint-title">Klachtprocedure${k.urgent ? html` <strong class="attention">— urgent</strong>` : ''}</h2>
<dl class="facts">
<dt>Stand</dt><dd id="complaint-stage" data-stage="${k.stage}">${STAGE_LABELS[k.stage]}</dd>
<dt>Behandelaar</dt><dd>${name(k.handlerId)}</dd>
${k.registeredBy ? html`<dt>Geregistreerd door</dt><dd>${k.registeredBy}</dd>` : ''}
<dt>Eerder registratienummer</dt><dd>${k.earlierReference ?? '—'}</dd>
<dt>Laatste contact</dt><dd>${k.lastContactOn ? shortDate(k.lastContactOn) : '—'}</dd>
<dt>Medewerker die de klager sprak</dt><dd>${k.employeeName ?? '—'}</dd>
<dt>Bevestiging aan de klager</dt><dd>${k.acknowledgedAt ? `geschreven ${shortDateTime(k.acknowledgedAt)}` : 'nog niet'}</dd>
<dt>Betrokken medewerkers</dt><dd>${k.involvedIds.length ? k.involvedIds.map(name).join(', ') : 'nog niet vastgelegd'}</dd>
<dt>Eerste contact uiterlijk</dt><dd>${shortDateTime(k.firstContactDue)}${k.firstContactAt ? ` (gehad ${shortDateTime(k.firstContactAt)}, ${k.firstContactHow ?? ''})` : ''}</dd>
<dt>Oplossen uiterlijk</dt><dd>${shortDateTime(k.resolveDue)}${k.resolvedAt ? ` (opgelost ${shortDateTime(k.resolvedAt)})` : ''}</dd>
${k.satisfied !== null ? html`<dt>Oordeel klager</dt><dd>${k.satisfied ? 'tevreden' : 'niet tevreden'}${k.satisfactionComment ? `: ${k.satisfactionComment}` : ''}</dd>` : ''}
${k.extraDue ? html`<dt>Extra termijn tot</dt><dd>${shortDateTime(k.extraDue)}</dd>` : ''}
${k.improvement ? html`<dt>Verbetering</dt><dd id="complaint-improvement">${k.improvement.improvement} (oorzaak: ${k.improvement.cause}; door: ${k.improvement.owner})</dd>` : ''}
</dl>
${open ? '' : improvementForm(base, csrf, k.improvement)}
${open ? detailsForm(base, csrf, k) : ''}
${k.stage === 'registered' && !k.handlerId ? html`<details class="section"><summary>Geen klacht maar een compliment?</summary>${complimentForm(base, csrf, input.people, input.teams)}</details>` : ''}
${
  open
    ? html`<form method="post" action="${base}/klacht/betrokkenen">${csrf}
<fieldset><legend>Over wie gaat de klacht?</legend>${input.people.map(
        (p) =>
          html`<label class="check"><input type="checkbox" name="betrokkene" value="${p.id}"${k.involvedIds.includes(p.id) ? html` checked` : ''}> ${p.name}</label>`,
      )}</fieldset>
<button type="submit" class="secondary">Betrokkenen opslaan</button></form>
${
  input.coordinator
    ? html`<form method="post" action="${base}/klacht/behandelaar">${csrf}
<label for="complaint-handler">Behandelaar <span class="hint">(nooit iemand over wie de klacht gaat)</span></label>
<select id="complaint-handler" name="handler">${input.people.map((p) => html`<option value="${p.id}"${p.id === k.handlerId ? html` selected` : ''}>${p.name}</option>`)}</select>
<button type="submit">Behandelaar kiezen</button></form>`
    : ''
}
<form method="post" action="${base}/klacht/contact">${csrf}
<label for="complaint-contact">Eerste contact met de klager vastleggen</label>
<select id="complaint-contact" name="how"><option value="telefoon">Telefonisch</option><option value="e-mail">Per e-mail</option><option value="gesprek">In een gesprek</option></select>
<button type="submit">Contact vastleggen</button></form>
<form method="post" action="${base}/klacht/urgent">${csrf}<input type="hidden" name="urgent" value="${k.urgent ? '0' : '1'}">
<button type="submit" class="secondary">${k.urgent ? 'Niet meer urgent' : 'Urgent: direct oppakken'}</button></form>
<form method="post" action="${base}/klacht/oplossing">${csrf}
<label for="complaint-resolution">Oplossing <span class="hint">(gaat naar de klager, met de vraag of de klacht naar tevredenheid is opgelost)</span></label>
<textarea id="complaint-resolution" name="text" required aria-required="true" class="compact" rows="4" maxlength="20000"></textarea>
<button type="submit">Oplossing versturen</button></form>`
    : ''
}
</section>`;
}

/** A complaint as the coordinators' list shows it. */
interface ListedComplaint {
  reference: string;
  subject: string;
  stage: ComplaintRow['stage'];
  urgent: boolean;
  handler: string | null;
  next_due: Date | string | null;
}

/** What is due next in a stage: first contact, the solution, the complainant's answer, or the extra days. */
const NEXT_DUE = sql`case k.stage
  when 'registered' then k.first_contact_due when 'handler' then k.first_contact_due
  when 'first-contact' then k.resolve_due when 'resolved' then k.satisfaction_due
  when 'extra-time' then k.extra_due end`;

/**
 * GET /werkplek/klachten (coordinators): the complaints still in the procedure by stage, urgent
 * ones first, then by what is due next; the escalated and closed ones of the last 90 days after.
 */
export function registerComplaintList(app: FastifyInstance, deps: { db: Db; clock: () => Date }): void {
  app.get('/werkplek/klachten', { config: { access: 'coordinator' } }, async (_request, reply) => {
    const rows = await runPrepared<ListedComplaint>(
      deps.db,
      sql`select c.reference, c.subject, k.stage, k.urgent, u.name as handler, ${NEXT_DUE} as next_due
            from complaints k join cases c on c.id = k.case_id left join users u on u.id = k.handler_id
           where k.stage not in ('closed', 'escalated') or k.updated_at > now() - interval '90 days'
           order by array_position(array['registered', 'handler', 'first-contact', 'extra-time', 'resolved', 'escalated', 'closed']::text[], k.stage),
                    k.urgent desc, ${NEXT_DUE} nulls last, c.id
           limit 500`,
    );
    const now = deps.clock();
    const body = html`<p><a href="/werkplek">Terug naar de werkplek</a></p>
<h1>Klachten</h1>
<p>Per stand van de procedure; urgente klachten eerst, dan wat het eerst af moet. Een termijn die verstreken is staat in rood en heet “te laat”.</p>
${
  rows.length === 0
    ? html`<p>Geen klachten.</p>`
    : html`<div class="table-wrap"><table id="complaints" class="cases stack"><caption class="visually-hidden">Klachten per stand en termijn</caption>
<thead><tr><th scope="col">Zaak</th><th scope="col">Onderwerp van het bericht</th><th scope="col">Stand</th><th scope="col">Behandelaar</th><th scope="col">Volgende termijn</th></tr></thead>
<tbody>${rows.map((row) => {
        const due = row.next_due ? new Date(row.next_due) : null;
        const late = due !== null && due.getTime() < now.getTime();
        return html`<tr data-reference="${row.reference}" data-stage="${row.stage}">
<td data-label="Zaak"><a href="/werkplek/zaken/${row.reference}">${row.reference}</a>${row.urgent ? html` <strong class="attention">urgent</strong>` : ''}</td>
<td data-label="Onderwerp van het bericht">${row.subject || '(geen onderwerp)'}</td>
<td data-label="Stand">${STAGE_LABELS[row.stage]}</td>
<td data-label="Behandelaar">${row.handler ?? html`<span class="meta">nog niet gekozen</span>`}</td>
<td data-label="Volgende termijn">${due ? html`<time datetime="${due.toISOString()}"${late ? html` class="attention"` : ''}>${shortDateTime(due)}</time>${late ? ' (te laat)' : ''}` : '—'}</td>
</tr>`;
      })}</tbody></table></div>`
}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang: 'nl', title: 'Klachten', body, wide: true }));
  });
}
