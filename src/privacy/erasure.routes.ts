import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { runPrepared, type Db } from '../db/database.js';
import { audit, cases, erasureRequests } from '../db/schema.js';
import { html, type SafeHtml } from '../ui/html.js';
import { privacyPage } from './privacy.page.js';
import { shortDateTime } from '../workspace/workspace.texts.js';
import { appendAccess } from './access-log.js';
import { stripCases } from './erasure.js';
import { casesOfPerson } from './person-export.js';

/** Why a person's data may not be erased yet: a complaint of theirs is still being handled (its file must stay whole). */
async function legalHold(db: Db, references: readonly string[]): Promise<string | undefined> {
  const [held] = await runPrepared<{ reference: string }>(
    db,
    sql`select c.reference from complaints k join cases c on c.id = k.case_id
         where c.reference = any(${sql.param([...references])}::text[]) and k.stage <> 'closed' limit 1`,
  );
  return held ? `Klacht ${held.reference} wordt nog behandeld: de gegevens blijven tot de klacht is afgesloten.` : undefined;
}

const page = (request: FastifyRequest, reply: FastifyReply, status: number, body: SafeHtml) =>
  privacyPage(request, reply, { status, title: 'Gegevens wissen', body });

const askBody = z.object({
  persoon: z.string().trim().min(3, 'Vul een e-mailadres, personeelsnummer of telefoonnummer in.').max(320),
  reden: z.string().trim().min(3, 'Vul de reden van het verzoek in.').max(2_000),
});
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
    const requests = await db.select().from(erasureRequests).orderBy(desc(erasureRequests.id)).limit(200);
    const csrf = html`<input type="hidden" name="_csrf" value="${request.csrfToken ?? ''}">`;
    const body = html`<p><a href="/privacy">Terug naar het toegangslogboek</a></p>
<h1>Gegevens wissen</h1>
<p>Een verzoek om de gegevens van een persoon te wissen: één privacyfunctionaris legt het vast, een tweede keurt het goed. Daarna gaan namen, adressen, nummers, berichten, bijlagen en notities van de zaken weg; wat de rapportages tellen blijft. Niet zolang een klacht van de persoon nog wordt behandeld.</p>
${message?.error ? html`<div role="alert" class="error-summary" id="error">${message.error}</div>` : ''}
${message?.done ? html`<div role="status" class="notice" id="done">${message.done}</div>` : ''}
<form method="post" action="/privacy/wissen" aria-labelledby="ask-title">
<h2 id="ask-title">Verzoek vastleggen</h2>${csrf}
<label for="persoon">E-mailadres, personeelsnummer of telefoonnummer</label><input id="persoon" name="persoon" maxlength="320" required aria-required="true">
<label for="reden">Reden (het verzoek van de persoon, de grond)</label><textarea id="reden" name="reden" class="compact" rows="2" maxlength="2000" required aria-required="true"></textarea>
<button type="submit">Verzoek vastleggen</button></form>
<h2>Verzoeken</h2>
${
  requests.length === 0
    ? html`<p>Nog geen verzoeken.</p>`
    : html`<ul id="erasure-requests">${requests.map(
        (
          r,
        ) => html`<li data-id="${r.id}" data-state="${r.state}"><strong>${r.person}</strong> (${r.references.length} zaken) — gevraagd door ${r.askedByName} op ${shortDateTime(r.askedAt)}: ${r.reason}
${r.state === 'done' ? html`<br>Gewist na goedkeuring door ${r.decidedByName ?? ''} op ${r.decidedAt ? shortDateTime(r.decidedAt) : ''}.` : ''}
${r.state === 'refused' ? html`<br>Geweigerd${r.decidedByName ? ` door ${r.decidedByName}` : ''}: ${r.refusal ?? ''}` : ''}
${
  r.state === 'asked'
    ? r.askedBy === me
      ? html`<br><span class="meta">Wacht op een tweede privacyfunctionaris.</span>`
      : html`<form method="post" action="/privacy/wissen/${r.id}/goedkeuren">${csrf}<button type="submit">Goedkeuren en wissen</button></form>
<form method="post" action="/privacy/wissen/${r.id}/weigeren">${csrf}<label for="refusal-${r.id}">Reden van weigering</label><input id="refusal-${r.id}" name="reden" maxlength="2000" required aria-required="true"><button type="submit" class="secondary">Weigeren</button></form>`
    : ''
}</li>`,
      )}</ul>`
}`;
    return page(request, reply, status, body);
  }

  app.get('/privacy/wissen', { config: { access: 'privacy' } }, (request, reply) => show(request, reply));

  app.post('/privacy/wissen', { config: { access: 'privacy' } }, async (request, reply) => {
    const body = askBody.safeParse(request.body ?? {});
    if (!body.success) return show(request, reply, 400, { error: body.error.issues[0]?.message });
    const found = await casesOfPerson(db, body.data.persoon);
    if (found.length === 0) return show(request, reply, 400, { error: 'Geen zaken gevonden voor deze persoon.' });
    const references = found.map((c) => c.reference);
    const held = await legalHold(db, references);
    const officer = request.principal!;
    const [row] = await db
      .insert(erasureRequests)
      .values({
        person: body.data.persoon,
        references,
        reason: body.data.reden,
        askedBy: officer.id,
        askedByName: officer.name,
        ...(held ? { state: 'refused' as const, refusal: held, decidedAt: deps.clock() } : {}),
      })
      .returning({ id: erasureRequests.id });
    await db.insert(audit).values({
      actor: officer.name,
      action: held ? 'privacy.erasure-refused' : 'privacy.erasure-asked',
      entity: 'erasure',
      entityId: String(row!.id),
      data: { references },
    });
    return held
      ? show(request, reply, 409, { error: held })
      : show(request, reply, 200, { done: 'Het verzoek is vastgelegd. Een tweede privacyfunctionaris keurt het goed.' });
  });

  app.post('/privacy/wissen/:id/goedkeuren', { config: { access: 'privacy' } }, async (request, reply) => {
    const params = idParams.safeParse(request.params);
    if (!params.success) return show(request, reply, 404, { error: 'Dit verzoek bestaat niet.' });
    const officer = request.principal!;
    const [asked] = await db
      .select()
      .from(erasureRequests)
      .where(and(eq(erasureRequests.id, params.data.id), eq(erasureRequests.state, 'asked')));
    if (!asked) return show(request, reply, 409, { error: 'Dit verzoek is al afgehandeld of bestaat niet.' });
    if (asked.askedBy === officer.id)
      return show(request, reply, 409, { error: 'Een tweede privacyfunctionaris keurt het verzoek goed, niet wie het vastlegde.' });
    const held = await legalHold(db, asked.references);
    if (held) return show(request, reply, 409, { error: held });
    // Claimed first: two approvals at once erase once.
    const [claimed] = await db
      .update(erasureRequests)
      .set({ state: 'done', decidedByName: officer.name, decidedAt: deps.clock() })
      .where(and(eq(erasureRequests.id, asked.id), eq(erasureRequests.state, 'asked'), ne(erasureRequests.askedBy, officer.id)))
      .returning({ id: erasureRequests.id });
    if (!claimed) return show(request, reply, 409, { error: 'Dit verzoek is al afgehandeld.' });
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
    return show(request, reply, 200, { done: `De gegevens van ${result.cases} zaken zijn gewist.` });
  });

  app.post('/privacy/wissen/:id/weigeren', { config: { access: 'privacy' } }, async (request, reply) => {
    const params = idParams.safeParse(request.params);
    const reason = z.object({ reden: z.string().trim().min(3).max(2_000) }).safeParse(request.body ?? {});
    if (!params.success) return show(request, reply, 404, { error: 'Dit verzoek bestaat niet.' });
    if (!reason.success) return show(request, reply, 400, { error: 'Vul de reden van de weigering in.' });
    const officer = request.principal!;
    const [refused] = await db
      .update(erasureRequests)
      .set({ state: 'refused', refusal: reason.data.reden, decidedByName: officer.name, decidedAt: deps.clock() })
      .where(and(eq(erasureRequests.id, params.data.id), eq(erasureRequests.state, 'asked')))
      .returning({ id: erasureRequests.id });
    if (!refused) return show(request, reply, 409, { error: 'Dit verzoek is al afgehandeld of bestaat niet.' });
    await db
      .insert(audit)
      .values({ actor: officer.name, action: 'privacy.erasure-refused', entity: 'erasure', entityId: String(refused.id), data: { reason: reason.data.reden } });
    return show(request, reply, 200, { done: 'Het verzoek is geweigerd.' });
  });
}
