import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { audit } from '../db/schema.js';
import { html, type SafeHtml } from '../ui/html.js';
import { uiLocale, type UiLocale } from '../workspace/language.js';
import { privacyPage } from './privacy.page.js';
import { appendAccess } from './access-log.js';
import { casesOfPerson, exportPerson, notesOn } from './person-export.js';

const TEXTS = {
  nl: {
    title: 'Inzage voor een persoon',
    back: 'Terug naar het toegangslogboek',
    intro:
      'Alles wat Loket over één persoon bewaart (zaken, berichten, bijlagen, antwoorden, gesprekken, brieven, chats, interne notities en wie de gegevens bekeek), als ZIP met een leesbaar overzicht en JSON.',
    person: 'E-mailadres, personeelsnummer of telefoonnummer',
    search: 'Zoeken',
    found: (n: number) => `${n} zaken gevonden`,
    noSubject: '(geen onderwerp)',
    notes: 'Interne notities (worden meegegeven, tenzij u er een achterhoudt met een reden)',
    withhold: 'Achterhouden:',
    withholdReason: 'Reden om achter te houden',
    make: 'ZIP maken',
    fillPerson: 'Vul een e-mailadres, personeelsnummer of telefoonnummer in.',
    personTooLong: 'Het e-mailadres, personeelsnummer of telefoonnummer is te lang (hoogstens 320 tekens).',
    fillWithholdReason: (noteId: number) => `Geef een reden om notitie ${noteId} achter te houden.`,
  },
  en: {
    title: "A person's right of access",
    back: 'Back to the access log',
    intro:
      'Everything Loket holds about one person (cases, messages, attachments, answers, calls, letters, chats, internal notes and who viewed the data), as a ZIP with a readable overview and JSON. The overview is in Dutch, for the person it is about.',
    person: 'E-mail address, employee number or phone number',
    search: 'Search',
    found: (n: number) => `${n} ${n === 1 ? 'case' : 'cases'} found`,
    noSubject: '(no subject)',
    notes: 'Internal notes (included, unless you withhold one with a reason)',
    withhold: 'Withhold:',
    withholdReason: 'Reason to withhold',
    make: 'Make the ZIP',
    fillPerson: 'Enter an e-mail address, employee number or phone number.',
    personTooLong: 'The e-mail address, employee number or phone number is too long (at most 320 characters).',
    fillWithholdReason: (noteId: number) => `Give a reason to withhold note ${noteId}.`,
  },
} as const;

const personIn = (t: (typeof TEXTS)[UiLocale]) => z.string().trim().min(3, t.fillPerson).max(320, t.personTooLong);
const PERSON = { nl: personIn(TEXTS.nl), en: personIn(TEXTS.en) };

/** The export's form: which notes to withhold, each with its reason. Field names: `achterhouden`, `reden-<note id>`. */
function withheldFrom(body: Record<string, unknown>): { ok: true; withheld: Map<number, string> } | { ok: false; noteId: number } {
  const chosen = ([] as unknown[])
    .concat(body['achterhouden'] ?? [])
    .map(Number)
    .filter((id) => Number.isSafeInteger(id) && id > 0);
  const withheld = new Map<number, string>();
  for (const id of chosen) {
    const reason = typeof body[`reden-${id}`] === 'string' ? (body[`reden-${id}`] as string).trim().slice(0, 1_000) : '';
    if (!reason) return { ok: false, noteId: id };
    withheld.set(id, reason);
  }
  return { ok: true, withheld };
}

const page = (request: FastifyRequest, reply: FastifyReply, status: number, body: SafeHtml) =>
  privacyPage(request, reply, { status, title: TEXTS[uiLocale(request)].title, body });

/**
 * GET /privacy/inzage?persoon=…: the person's cases and the notes on them, to withhold one with
 * a reason; POST: the ZIP (readable document, JSON, files), audited with what was withheld and why.
 */
export function registerPersonExport(app: FastifyInstance, deps: { db: Db; clock: () => Date }): void {
  async function preview(request: FastifyRequest, reply: FastifyReply, who: string | undefined, error?: string) {
    const t = TEXTS[uiLocale(request)];
    const csrf = html`<input type="hidden" name="_csrf" value="${request.csrfToken ?? ''}">`;
    const found = who ? await casesOfPerson(deps.db, who) : [];
    const notes = await notesOn(
      deps.db,
      found.map((c) => Number(c.id)),
    );
    const body = html`<p><a href="/privacy">${t.back}</a></p>
<h1>${t.title}</h1>
<p>${t.intro}</p>
${error ? html`<div role="alert" class="error-summary" id="error">${error}</div>` : ''}
<form method="get" action="/privacy/inzage">
<label for="persoon">${t.person}</label><input id="persoon" name="persoon" maxlength="320" value="${who ?? ''}" required aria-required="true">
<button type="submit">${t.search}</button>
</form>
${
  who
    ? html`<h2>${t.found(found.length)}</h2>
<ul id="export-cases">${found.map((c) => html`<li>${c.reference} — ${c.subject || t.noSubject}</li>`)}</ul>
<form method="post" action="/privacy/inzage">${csrf}<input type="hidden" name="persoon" value="${who}">
${
  notes.length
    ? html`<fieldset><legend>${t.notes}</legend>
${notes.map(
  (
    note,
  ) => html`<div class="note-choice"><label class="check"><input type="checkbox" name="achterhouden" value="${note.id}"> ${t.withhold} ${note.author}: ${note.text}</label>
<label for="reden-${note.id}">${t.withholdReason}</label><input id="reden-${note.id}" name="reden-${note.id}" maxlength="1000"></div>`,
)}</fieldset>`
    : ''
}
<button type="submit">${t.make}</button></form>`
    : ''
}`;
    return page(request, reply, error ? 400 : 200, body);
  }

  app.get('/privacy/inzage', { config: { access: 'privacy' } }, async (request, reply) => {
    const raw = (request.query as { persoon?: unknown }).persoon;
    if (raw === undefined) return preview(request, reply, undefined);
    const who = PERSON[uiLocale(request)].safeParse(raw);
    return who.success ? preview(request, reply, who.data) : preview(request, reply, undefined, who.error.issues[0]?.message);
  });

  app.post('/privacy/inzage', { config: { access: 'privacy' } }, async (request, reply) => {
    const lang = uiLocale(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const who = PERSON[lang].safeParse(body['persoon']);
    if (!who.success) return preview(request, reply, undefined, who.error.issues[0]?.message);
    const choice = withheldFrom(body);
    if (!choice.ok) return preview(request, reply, who.data, TEXTS[lang].fillWithholdReason(choice.noteId));
    const now = deps.clock();
    const result = await exportPerson(deps.db, who.data, choice.withheld, now);
    const officer = request.principal!;
    await deps.db.insert(audit).values({
      actor: officer.name,
      action: 'privacy.export',
      entity: 'person',
      entityId: `export:${now.toISOString()}`,
      data: { cases: result.references, withheld: [...choice.withheld].map(([noteId, reason]) => ({ noteId, reason })), actorId: officer.id },
    });
    await appendAccess(
      deps.db,
      result.references.map((reference) => ({
        account: { id: officer.id, name: officer.name, role: officer.role },
        action: 'person.export',
        reference,
        detail: { withheld: choice.withheld.size },
      })),
    );
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="inzage-${now.toISOString().slice(0, 10)}.zip"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(result.zip));
  });
}
