import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { runPrepared, type Db } from '../db/database.js';
import { audit, cases, erasureRequests } from '../db/schema.js';
import { html, type SafeHtml } from '../ui/html.js';
import { privacyPage } from './privacy.page.js';
import { dates } from '../workspace/workspace.texts.js';
import { uiLocale, type UiLocale } from '../workspace/language.js';
import { appendAccess } from './access-log.js';
import { stripCases } from './erasure.js';
import { casesOfPerson } from './person-export.js';

const TEXTS = {
  nl: {
    title: 'Gegevens wissen',
    back: 'Terug naar het toegangslogboek',
    intro:
      'Een verzoek om de gegevens van een persoon te wissen: één privacyfunctionaris legt het vast, een tweede keurt het goed. Daarna gaan namen, adressen, nummers, berichten, bijlagen en notities van de zaken weg; wat de rapportages tellen blijft. Niet zolang een klacht van de persoon nog wordt behandeld.',
    ask: 'Verzoek vastleggen',
    person: 'E-mailadres, personeelsnummer of telefoonnummer',
    reason: 'Reden (het verzoek van de persoon, de grond)',
    requests: 'Verzoeken',
    none: 'Nog geen verzoeken.',
    asked: (cases: number, by: string, at: string) => ` (${cases} zaken) — gevraagd door ${by} op ${at}: `,
    erased: (by: string, at: string) => `Gewist na goedkeuring door ${by} op ${at}.`,
    refusedBy: (by: string | null) => `Geweigerd${by ? ` door ${by}` : ''}: `,
    waiting: 'Wacht op een tweede privacyfunctionaris.',
    approve: 'Goedkeuren en wissen',
    refusalReason: 'Reden van weigering',
    refuse: 'Weigeren',
    fillPerson: 'Vul een e-mailadres, personeelsnummer of telefoonnummer in.',
    personTooLong: 'Het e-mailadres, personeelsnummer of telefoonnummer is te lang (hoogstens 320 tekens).',
    fillReason: 'Vul de reden van het verzoek in.',
    reasonTooLong: 'De reden is te lang (hoogstens 2.000 tekens).',
    noCases: 'Geen zaken gevonden voor deze persoon.',
    recorded: 'Het verzoek is vastgelegd. Een tweede privacyfunctionaris keurt het goed.',
    missing: 'Dit verzoek bestaat niet.',
    handledOrMissing: 'Dit verzoek is al afgehandeld of bestaat niet.',
    fourEyes: 'Een tweede privacyfunctionaris keurt het verzoek goed, niet wie het vastlegde.',
    handled: 'Dit verzoek is al afgehandeld.',
    done: (cases: number) => `De gegevens van ${cases} zaken zijn gewist.`,
    fillRefusal: 'Vul de reden van de weigering in.',
    refused: 'Het verzoek is geweigerd.',
    held: (reference: string) => `Klacht ${reference} wordt nog behandeld: de gegevens blijven tot de klacht is afgesloten.`,
  },
  en: {
    title: 'Erase data',
    back: 'Back to the access log',
    intro:
      "A request to erase a person's data: one privacy officer records it, a second approves it. Then the names, addresses, numbers, messages, attachments and notes of the cases go; what the reports count stays. Not while a complaint of the person is still being handled.",
    ask: 'Record a request',
    person: 'E-mail address, employee number or phone number',
    reason: "Reason (the person's request, the legal ground)",
    requests: 'Requests',
    none: 'No requests yet.',
    asked: (cases: number, by: string, at: string) => ` (${cases} ${cases === 1 ? 'case' : 'cases'}) — asked by ${by} on ${at}: `,
    erased: (by: string, at: string) => `Erased after approval by ${by} on ${at}.`,
    refusedBy: (by: string | null) => `Refused${by ? ` by ${by}` : ''}: `,
    waiting: 'Waiting for a second privacy officer.',
    approve: 'Approve and erase',
    refusalReason: 'Reason for refusing',
    refuse: 'Refuse',
    fillPerson: 'Enter an e-mail address, employee number or phone number.',
    personTooLong: 'The e-mail address, employee number or phone number is too long (at most 320 characters).',
    fillReason: 'Enter the reason for the request.',
    reasonTooLong: 'The reason is too long (at most 2,000 characters).',
    noCases: 'No cases found for this person.',
    recorded: 'The request has been recorded. A second privacy officer approves it.',
    missing: 'This request does not exist.',
    handledOrMissing: 'This request has been dealt with already or does not exist.',
    fourEyes: 'A second privacy officer approves the request, not the one who recorded it.',
    handled: 'This request has been dealt with already.',
    done: (cases: number) => `The data of ${cases} ${cases === 1 ? 'case has' : 'cases have'} been erased.`,
    fillRefusal: 'Enter the reason for refusing.',
    refused: 'The request has been refused.',
    held: (reference: string) => `Complaint ${reference} is still being handled: the data stays until the complaint is closed.`,
  },
} as const;

/** A complaint of the person's still being handled (its case's reference), if any: their data may not be erased yet (its file must stay whole). */
async function heldComplaint(db: Db, references: readonly string[]): Promise<string | undefined> {
  const [held] = await runPrepared<{ reference: string }>(
    db,
    sql`select c.reference from complaints k join cases c on c.id = k.case_id
         where c.reference = any(${sql.param([...references])}::text[]) and k.stage <> 'closed' limit 1`,
  );
  return held?.reference;
}

const page = (request: FastifyRequest, reply: FastifyReply, status: number, body: SafeHtml) =>
  privacyPage(request, reply, { status, title: TEXTS[uiLocale(request)].title, body });

const askBodyIn = (t: (typeof TEXTS)[UiLocale]) =>
  z.object({
    persoon: z.string().trim().min(3, t.fillPerson).max(320, t.personTooLong),
    reden: z.string().trim().min(3, t.fillReason).max(2_000, t.reasonTooLong),
  });
const ASK_BODY = { nl: askBodyIn(TEXTS.nl), en: askBodyIn(TEXTS.en) };
const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/**
 * Erasure on request with four eyes (AVG art. 17, issue 20): one privacy officer asks (the
 * person and the reason), another approves, and the cases are stripped as retention strips them.
 * Refused while a complaint of the person is still being handled. Every step audited.
 */
export function registerErasure(app: FastifyInstance, deps: { db: Db; emlDir: string; clock: () => Date }): void {
  const { db } = deps;

  async function show(request: FastifyRequest, reply: FastifyReply, status = 200, message?: { error?: string; done?: string }) {
    const me = request.principal!.id;
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const { shortDateTime } = dates(lang);
    const requests = await db.select().from(erasureRequests).orderBy(desc(erasureRequests.id)).limit(200);
    const csrf = html`<input type="hidden" name="_csrf" value="${request.csrfToken ?? ''}">`;
    const body = html`<p><a href="/privacy">${t.back}</a></p>
<h1>${t.title}</h1>
<p>${t.intro}</p>
${message?.error ? html`<div role="alert" class="error-summary" id="error">${message.error}</div>` : ''}
${message?.done ? html`<div role="status" class="notice" id="done">${message.done}</div>` : ''}
<form method="post" action="/privacy/wissen" aria-labelledby="ask-title">
<h2 id="ask-title">${t.ask}</h2>${csrf}
<label for="persoon">${t.person}</label><input id="persoon" name="persoon" maxlength="320" required aria-required="true">
<label for="reden">${t.reason}</label><textarea id="reden" name="reden" class="compact" rows="2" maxlength="2000" required aria-required="true"></textarea>
<button type="submit">${t.ask}</button></form>
<h2>${t.requests}</h2>
${
  requests.length === 0
    ? html`<p>${t.none}</p>`
    : html`<ul id="erasure-requests">${requests.map(
        (
          r,
        ) => html`<li data-id="${r.id}" data-state="${r.state}"><strong>${r.person}</strong>${t.asked(r.references.length, r.askedByName, shortDateTime(r.askedAt))}${r.reason}
${r.state === 'done' ? html`<br>${t.erased(r.decidedByName ?? '', r.decidedAt ? shortDateTime(r.decidedAt) : '')}` : ''}
${r.state === 'refused' ? html`<br>${t.refusedBy(r.decidedByName)}${r.refusal ?? ''}` : ''}
${
  r.state === 'asked'
    ? r.askedBy === me
      ? html`<br><span class="meta">${t.waiting}</span>`
      : html`<form method="post" action="/privacy/wissen/${r.id}/goedkeuren">${csrf}<button type="submit">${t.approve}</button></form>
<form method="post" action="/privacy/wissen/${r.id}/weigeren">${csrf}<label for="refusal-${r.id}">${t.refusalReason}</label><input id="refusal-${r.id}" name="reden" maxlength="2000" required aria-required="true"><button type="submit" class="secondary">${t.refuse}</button></form>`
    : ''
}</li>`,
      )}</ul>`
}`;
    return page(request, reply, status, body);
  }

  app.get('/privacy/wissen', { config: { access: 'privacy' } }, (request, reply) => show(request, reply));

  app.post('/privacy/wissen', { config: { access: 'privacy' } }, async (request, reply) => {
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const body = ASK_BODY[lang].safeParse(request.body ?? {});
    if (!body.success) return show(request, reply, 400, { error: body.error.issues[0]?.message });
    const found = await casesOfPerson(db, body.data.persoon);
    if (found.length === 0) return show(request, reply, 400, { error: t.noCases });
    const references = found.map((c) => c.reference);
    const held = await heldComplaint(db, references);
    const officer = request.principal!;
    const [row] = await db
      .insert(erasureRequests)
      .values({
        person: body.data.persoon,
        references,
        reason: body.data.reden,
        askedBy: officer.id,
        askedByName: officer.name,
        // The kept refusal is in Dutch, the installation's language, whoever asked; the alert below is in the officer's.
        ...(held ? { state: 'refused' as const, refusal: TEXTS.nl.held(held), decidedAt: deps.clock() } : {}),
      })
      .returning({ id: erasureRequests.id });
    await db.insert(audit).values({
      actor: officer.name,
      action: held ? 'privacy.erasure-refused' : 'privacy.erasure-asked',
      entity: 'erasure',
      entityId: String(row!.id),
      data: { references },
    });
    return held ? show(request, reply, 409, { error: t.held(held) }) : show(request, reply, 200, { done: t.recorded });
  });

  app.post('/privacy/wissen/:id/goedkeuren', { config: { access: 'privacy' } }, async (request, reply) => {
    const t = TEXTS[uiLocale(request)];
    const params = idParams.safeParse(request.params);
    if (!params.success) return show(request, reply, 404, { error: t.missing });
    const officer = request.principal!;
    const [asked] = await db
      .select()
      .from(erasureRequests)
      .where(and(eq(erasureRequests.id, params.data.id), eq(erasureRequests.state, 'asked')));
    if (!asked) return show(request, reply, 409, { error: t.handledOrMissing });
    if (asked.askedBy === officer.id) return show(request, reply, 409, { error: t.fourEyes });
    const held = await heldComplaint(db, asked.references);
    if (held) return show(request, reply, 409, { error: t.held(held) });
    // Claimed first: two approvals at once erase once.
    const [claimed] = await db
      .update(erasureRequests)
      .set({ state: 'done', decidedByName: officer.name, decidedAt: deps.clock() })
      .where(and(eq(erasureRequests.id, asked.id), eq(erasureRequests.state, 'asked'), ne(erasureRequests.askedBy, officer.id)))
      .returning({ id: erasureRequests.id });
    if (!claimed) return show(request, reply, 409, { error: t.handled });
    const targets = await db.select({ id: cases.id }).from(cases).where(inArray(cases.reference, asked.references));
    const result = await stripCases(
      db,
      targets.map((t) => t.id),
      { emlDir: deps.emlDir },
    );
    await db.insert(audit).values({
      actor: officer.name,
      action: 'privacy.erasure-done',
      entity: 'erasure',
      entityId: String(asked.id),
      data: { references: asked.references, ...result },
    });
    await appendAccess(
      db,
      asked.references.map((reference) => ({
        account: { id: officer.id, name: officer.name, role: officer.role },
        action: 'person.erase',
        reference,
        detail: { request: asked.id },
      })),
    );
    return show(request, reply, 200, { done: t.done(result.cases) });
  });

  app.post('/privacy/wissen/:id/weigeren', { config: { access: 'privacy' } }, async (request, reply) => {
    const t = TEXTS[uiLocale(request)];
    const params = idParams.safeParse(request.params);
    const reason = z.object({ reden: z.string().trim().min(3).max(2_000) }).safeParse(request.body ?? {});
    if (!params.success) return show(request, reply, 404, { error: t.missing });
    if (!reason.success) return show(request, reply, 400, { error: t.fillRefusal });
    const officer = request.principal!;
    const [refused] = await db
      .update(erasureRequests)
      .set({ state: 'refused', refusal: reason.data.reden, decidedByName: officer.name, decidedAt: deps.clock() })
      .where(and(eq(erasureRequests.id, params.data.id), eq(erasureRequests.state, 'asked')))
      .returning({ id: erasureRequests.id });
    if (!refused) return show(request, reply, 409, { error: t.handledOrMissing });
    await db
      .insert(audit)
      .values({ actor: officer.name, action: 'privacy.erasure-refused', entity: 'erasure', entityId: String(refused.id), data: { reason: reason.data.reden } });
    return show(request, reply, 200, { done: t.refused });
  });
}
