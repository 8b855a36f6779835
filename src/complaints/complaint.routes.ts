import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Queues } from '../../queues/jobs.js';
import { routeAnswer, writeAnswer, type ChannelLookup } from '../answer.js';
import { answerRefusal, AnswerRefusedError } from '../channel.js';
import { sql } from 'drizzle-orm';
import { runPrepared, type Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { html, type SafeHtml } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import type { Done } from '../workspace/case-view.page.js';
import type { CaseRow } from '../workspace/case-view.query.js';
import { dates } from '../workspace/workspace.texts.js';
import { languageSwitch, uiLocale, type UiLocale } from '../workspace/language.js';
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
  type ComplaintRefusal,
  logFirstContact,
  recordImprovement,
  resolve,
  setInvolved,
  setUrgent,
  type ComplaintRow,
  type ComplaintTimes,
} from './complaint.store.js';

/** How the first contact was (as recorded, in Dutch), in English. */
const HOW_EN: Record<string, string> = { telefoon: 'by phone', 'e-mail': 'by e-mail', gesprek: 'in person' };

/** Every sentence the agents and coordinators see of the complaint procedure, in Dutch and English. */
const TEXTS = {
  nl: {
    stages: {
      registered: 'Geregistreerd: een coördinator kiest een behandelaar',
      handler: 'Behandelaar gekozen: eerste contact met de klager',
      'first-contact': 'Eerste contact gehad: oplossen',
      resolved: 'Opgelost: wacht op het oordeel van de klager',
      'extra-time': 'Klager niet tevreden: 2 werkdagen extra',
      escalated: 'Geëscaleerd naar de directeur',
      closed: 'Afgesloten',
    } satisfies Record<ComplaintRow['stage'], string>,
    // Refusals of the steps' forms.
    chooseInvolved: 'Kies de betrokken medewerkers.',
    chooseHandler: 'Kies een behandelaar.',
    chooseContact: 'Kies hoe het contact was.',
    chooseUrgent: 'Kies urgent of niet.',
    describeSolution: 'Beschrijf de oplossing.',
    checkDetails: 'Controleer de gegevens van de klacht.',
    chooseCompliment: 'Kies voor wie het compliment is.',
    fillImprovement: 'Vul de oorzaak, de verbetering en wie die oppakt in.',
    // The improvement form.
    improvementTitle: 'Verbeterformulier',
    cause: 'Oorzaak',
    improvement: 'Verbetering',
    owner: 'Wie pakt het op',
    improvementSave: 'Verbeterformulier opslaan',
    // The details form.
    detailsTitle: 'Gegevens van de klacht',
    registerTitle: 'Als klacht registreren',
    registerHint: 'Een klacht per mail of telefoon: leg vast wat het contactformulier vraagt. De klager krijgt een schriftelijke bevestiging.',
    earlierReference: 'Eerder registratienummer',
    optional: '(niet verplicht)',
    lastContactOn: 'Datum van het laatste contact',
    employeeName: 'Naam van de medewerker die de klager sprak',
    detailsSave: 'Gegevens opslaan',
    register: 'Klacht registreren',
    // The compliment form.
    complimentTitle: 'Compliment doorgeven',
    complimentFor: 'Voor medewerker',
    noEmployee: '— geen medewerker, een team —',
    orTeam: 'Of voor team',
    complimentNote: 'Toelichting',
    complimentPass: 'Compliment doorgeven',
    intakeSummary: 'Klacht of compliment',
    // The complaint section.
    procedure: 'Klachtprocedure',
    stage: 'Stand',
    handler: 'Behandelaar',
    registeredBy: 'Geregistreerd door',
    lastContact: 'Laatste contact',
    employeeSpoken: 'Medewerker die de klager sprak',
    acknowledgement: 'Bevestiging aan de klager',
    written: (at: string) => `geschreven ${at}`,
    notYet: 'nog niet',
    involved: 'Betrokken medewerkers',
    involvedNotYet: 'nog niet vastgelegd',
    firstContactBy: 'Eerste contact uiterlijk',
    firstContactHad: (at: string, how: string | null) => ` (gehad ${at}, ${how ?? ''})`,
    resolveBy: 'Oplossen uiterlijk',
    resolvedAt: (at: string) => ` (opgelost ${at})`,
    verdict: 'Oordeel klager',
    satisfied: 'tevreden',
    notSatisfied: 'niet tevreden',
    extraUntil: 'Extra termijn tot',
    improvementMade: (what: string, cause: string, owner: string) => `${what} (oorzaak: ${cause}; door: ${owner})`,
    complimentInstead: 'Geen klacht maar een compliment?',
    whoAbout: 'Over wie gaat de klacht?',
    involvedSave: 'Betrokkenen opslaan',
    handlerHint: '(nooit iemand over wie de klacht gaat)',
    handlerChoose: 'Behandelaar kiezen',
    contactRecord: 'Eerste contact met de klager vastleggen',
    byPhone: 'Telefonisch',
    byEmail: 'Per e-mail',
    inPerson: 'In een gesprek',
    contactSave: 'Contact vastleggen',
    notUrgent: 'Niet meer urgent',
    urgent: 'Urgent: direct oppakken',
    solution: 'Oplossing',
    solutionHint: '(gaat naar de klager, met de vraag of de klacht naar tevredenheid is opgelost)',
    solutionSend: 'Oplossing versturen',
    // The coordinators' list.
    back: 'Terug naar de werkplek',
    listTitle: 'Klachten',
    listIntro: 'Per stand van de procedure; urgente klachten eerst, dan wat het eerst af moet. Een termijn die verstreken is staat in rood en heet “te laat”.',
    noComplaints: 'Geen klachten.',
    listCaption: 'Klachten per stand en termijn',
    caseColumn: 'Zaak',
    subject: 'Onderwerp van het bericht',
    nextDue: 'Volgende termijn',
    urgentMark: 'urgent',
    noSubject: '(geen onderwerp)',
    noHandler: 'nog niet gekozen',
    late: ' (te laat)',
  },
  en: {
    stages: {
      registered: 'Registered: a coordinator chooses a handler',
      handler: 'Handler chosen: first contact with the complainant',
      'first-contact': 'First contact made: resolve',
      resolved: 'Resolved: waiting for the complainant’s verdict',
      'extra-time': 'Complainant not satisfied: 2 extra working days',
      escalated: 'Escalated to the director',
      closed: 'Closed',
    } satisfies Record<ComplaintRow['stage'], string>,
    chooseInvolved: 'Choose the employees involved.',
    chooseHandler: 'Choose a handler.',
    chooseContact: 'Choose how the contact took place.',
    chooseUrgent: 'Choose urgent or not.',
    describeSolution: 'Describe the solution.',
    checkDetails: 'Check the details of the complaint.',
    chooseCompliment: 'Choose whom the compliment is for.',
    fillImprovement: 'Enter the cause, the improvement and who takes it up.',
    improvementTitle: 'Improvement form',
    cause: 'Cause',
    improvement: 'Improvement',
    owner: 'Who takes it up',
    improvementSave: 'Save the improvement form',
    detailsTitle: 'Details of the complaint',
    registerTitle: 'Register as a complaint',
    registerHint: 'A complaint by mail or phone: record what the contact form asks. The complainant gets a written confirmation.',
    earlierReference: 'Earlier registration number',
    optional: '(optional)',
    lastContactOn: 'Date of the last contact',
    employeeName: 'Name of the employee the complainant spoke to',
    detailsSave: 'Save the details',
    register: 'Register the complaint',
    complimentTitle: 'Pass on a compliment',
    complimentFor: 'For employee',
    noEmployee: '— no employee, a team —',
    orTeam: 'Or for team',
    complimentNote: 'Note',
    complimentPass: 'Pass on the compliment',
    intakeSummary: 'Complaint or compliment',
    procedure: 'Complaint procedure',
    stage: 'Stage',
    handler: 'Handler',
    registeredBy: 'Registered by',
    lastContact: 'Last contact',
    employeeSpoken: 'Employee the complainant spoke to',
    acknowledgement: 'Confirmation to the complainant',
    written: (at: string) => `written ${at}`,
    notYet: 'not yet',
    involved: 'Employees involved',
    involvedNotYet: 'not recorded yet',
    firstContactBy: 'First contact by',
    firstContactHad: (at: string, how: string | null) => ` (made ${at}, ${HOW_EN[how ?? ''] ?? how ?? ''})`,
    resolveBy: 'Resolve by',
    resolvedAt: (at: string) => ` (resolved ${at})`,
    verdict: 'Verdict of the complainant',
    satisfied: 'satisfied',
    notSatisfied: 'not satisfied',
    extraUntil: 'Extra time until',
    improvementMade: (what: string, cause: string, owner: string) => `${what} (cause: ${cause}; by: ${owner})`,
    complimentInstead: 'Not a complaint but a compliment?',
    whoAbout: 'Who is the complaint about?',
    involvedSave: 'Save the employees involved',
    handlerHint: '(never someone the complaint is about)',
    handlerChoose: 'Choose the handler',
    contactRecord: 'Record the first contact with the complainant',
    byPhone: 'By phone',
    byEmail: 'By e-mail',
    inPerson: 'In person',
    contactSave: 'Record the contact',
    notUrgent: 'No longer urgent',
    urgent: 'Urgent: take it up at once',
    solution: 'Solution',
    solutionHint: '(goes to the complainant, asking whether the complaint was resolved to their satisfaction)',
    solutionSend: 'Send the solution',
    back: 'Back to the workspace',
    listTitle: 'Complaints',
    listIntro: 'By stage of the procedure; urgent complaints first, then what is due first. A deadline that has passed is shown in red and marked “overdue”.',
    noComplaints: 'No complaints.',
    listCaption: 'Complaints by stage and deadline',
    caseColumn: 'Case',
    subject: 'Subject of the message',
    nextDue: 'Next deadline',
    urgentMark: 'urgent',
    noSubject: '(no subject)',
    noHandler: 'not chosen yet',
    late: ' (overdue)',
  },
} as const;
type Texts = (typeof TEXTS)['nl' | 'en'];

/** The procedure's stages in words (Dutch). */
export const STAGE_LABELS: Record<ComplaintRow['stage'], string> = TEXTS.nl.stages;

/** A ComplaintRefused in English, by its code (the Dutch words are the error's own message). */
const REFUSALS_EN: Record<ComplaintRefusal, string> = {
  CASE_GONE: 'This case no longer exists.',
  WRONG_STAGE: 'This step does not fit the stage of the complaint.',
  HANDLER_INVOLVED: 'The handler is one of the employees the complaint is about. Choose another handler first.',
  NOT_A_COMPLAINT: 'This case is not a complaint.',
  INVOLVED_CANNOT_HANDLE: 'This employee is involved in the complaint and cannot handle it. Choose another handler.',
  COMPLIMENT_NOT_RECORDED: 'The compliment was not recorded.',
};

/** Why a step was refused, in the agent's language. */
const refusal = (err: ComplaintRefused | AnswerRefusedError, lang: UiLocale) =>
  err instanceof AnswerRefusedError ? answerRefusal(err, lang) : lang === 'en' ? REFUSALS_EN[err.code] : err.message;

/** What is wrong with the details form: its own Dutch words, or the same in English by the field. */
function detailsIssue(issue: z.core.$ZodIssue | undefined, lang: UiLocale): string {
  if (lang === 'nl') return issue?.message ?? TEXTS.nl.checkDetails;
  switch (issue?.path[0]) {
    case 'eerder':
      return 'Earlier registration number: at most 40 letters, digits, dots and hyphens.';
    case 'laatste_contact':
      return 'Date of the last contact: enter a date like 2026-11-30.';
    case 'medewerker':
      return 'Name of the employee: one line of at most 200 characters.';
    default:
      return TEXTS.en.checkDetails;
  }
}

/** What is wrong with the compliment form: its own Dutch words, or the same in English by the field. */
function complimentIssue(issue: z.core.$ZodIssue | undefined, lang: UiLocale): string {
  if (lang === 'nl') return issue?.message ?? TEXTS.nl.chooseCompliment;
  return issue?.path[0] === 'toelichting' ? 'The note is too long (at most 2,000 characters).' : 'Choose the employee or the team the compliment is for.';
}

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
      if (err instanceof ComplaintRefused || err instanceof AnswerRefusedError)
        return show(request, reply, row.reference, { status: 409, error: refusal(err, uiLocale(request)) });
      throw err;
    }
  }

  app.post('/werkplek/zaken/:reference/klacht/betrokkenen', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = z.object({ betrokkene: ids }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: TEXTS[uiLocale(request)].chooseInvolved });
      await setInvolved(db, row, body.data.betrokkene, me(request));
      return 'klacht';
    }),
  );

  app.post('/werkplek/zaken/:reference/klacht/behandelaar', { config: { access: 'coordinator' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = z.object({ handler: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: TEXTS[uiLocale(request)].chooseHandler });
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
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: TEXTS[uiLocale(request)].chooseContact });
      await logFirstContact(db, row, body.data.how, me(request));
      return 'klacht';
    }),
  );

  app.post('/werkplek/zaken/:reference/klacht/urgent', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = z.object({ urgent: z.enum(['1', '0']) }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: TEXTS[uiLocale(request)].chooseUrgent });
      await setUrgent(db, row, body.data.urgent === '1', me(request));
      // Acted on at once (seed 004): the handler and the coordinators hear of it now, not at the next deadline.
      if (body.data.urgent === '1')
        await deps.notifier?.sla(
          row.id,
          'complaint',
          { nl: `Urgente klacht ${row.reference}: direct oppakken.`, en: `Urgent complaint ${row.reference}: take it up at once.` },
          `complaint:urgent:${deps.clock().toISOString()}`,
        );
      return 'klacht';
    }),
  );

  app.post('/werkplek/zaken/:reference/klacht/oplossing', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const body = z.object({ text: z.string().trim().min(1).max(20_000) }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: TEXTS[uiLocale(request)].describeSolution });
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
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: detailsIssue(body.error.issues[0], uiLocale(request)) });
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
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: complimentIssue(body.error.issues[0], uiLocale(request)) });
      await passCompliment(db, deps.notifier, row, body.data, me(request));
      return 'compliment';
    }),
  );

  app.post('/werkplek/zaken/:reference/klacht/verbetering', { config: { access: 'agent' } }, (request, reply) =>
    act(request, reply, async (row) => {
      const line = z.string().trim().min(1).max(2_000);
      const body = z.object({ cause: line, improvement: line, owner: line.max(200) }).safeParse(request.body ?? {});
      if (!body.success) return show(request, reply, row.reference, { status: 400, error: TEXTS[uiLocale(request)].fillImprovement });
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
function improvementForm(base: string, csrf: SafeHtml, saved: ComplaintRow['improvement'], t: Texts): SafeHtml {
  return html`<form method="post" action="${base}/klacht/verbetering" aria-labelledby="improvement-title">
<h3 id="improvement-title">${t.improvementTitle}</h3>${csrf}
<label for="improvement-cause">${t.cause}</label><textarea id="improvement-cause" name="cause" class="compact" rows="2" maxlength="2000" required aria-required="true">${saved?.cause ?? ''}</textarea>
<label for="improvement-what">${t.improvement}</label><textarea id="improvement-what" name="improvement" class="compact" rows="2" maxlength="2000" required aria-required="true">${saved?.improvement ?? ''}</textarea>
<label for="improvement-owner">${t.owner}</label><input id="improvement-owner" name="owner" maxlength="200" required aria-required="true" value="${saved?.owner ?? ''}">
<button type="submit">${t.improvementSave}</button></form>`;
}

/** The three questions of seed 000, as a form on the case page (to register a complaint, or correct what it says). */
function detailsForm(base: string, csrf: SafeHtml, saved: ComplaintRow | undefined, t: Texts): SafeHtml {
  return html`<form method="post" action="${base}/klacht/registreren" aria-labelledby="complaint-details-title">
<h3 id="complaint-details-title">${saved ? t.detailsTitle : t.registerTitle}</h3>${csrf}
${saved ? '' : html`<p class="hint">${t.registerHint}</p>`}
<label for="complaint-earlier">${t.earlierReference} <span class="hint">${t.optional}</span></label><input id="complaint-earlier" name="eerder" maxlength="40" value="${saved?.earlierReference ?? ''}">
<label for="complaint-last-contact">${t.lastContactOn} <span class="hint">${t.optional}</span></label><input id="complaint-last-contact" name="laatste_contact" type="date" value="${saved?.lastContactOn ?? ''}">
<label for="complaint-employee">${t.employeeName} <span class="hint">${t.optional}</span></label><input id="complaint-employee" name="medewerker" maxlength="200" value="${saved?.employeeName ?? ''}">
<button type="submit"${saved ? html` class="secondary"` : ''}>${saved ? t.detailsSave : t.register}</button></form>`;
}

/** A compliment is passed on, not handled as a complaint (seed 004). */
function complimentForm(base: string, csrf: SafeHtml, people: { id: number; name: string }[], teams: string[], t: Texts): SafeHtml {
  return html`<form method="post" action="${base}/compliment" aria-labelledby="compliment-title">
<h3 id="compliment-title">${t.complimentTitle}</h3>${csrf}
<label for="compliment-for">${t.complimentFor}</label>
<select id="compliment-for" name="voor"><option value="">${t.noEmployee}</option>${people.map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select>
<label for="compliment-team">${t.orTeam}</label>
<select id="compliment-team" name="team"><option value="">—</option>${teams.map((team) => html`<option value="${team}">${team}</option>`)}</select>
<label for="compliment-note">${t.complimentNote} <span class="hint">${t.optional}</span></label><textarea id="compliment-note" name="toelichting" class="compact" rows="2" maxlength="2000"></textarea>
<button type="submit" class="secondary">${t.complimentPass}</button></form>`;
}

/** On a case that is no complaint: register it as one, or pass on a compliment (in the agent's language). */
export function complaintIntakeSection(input: {
  lang: UiLocale;
  base: string;
  csrfToken: string;
  people: { id: number; name: string }[];
  teams: string[];
}): SafeHtml {
  const t = TEXTS[input.lang];
  const csrf = html`<input type="hidden" name="_csrf" value="${input.csrfToken}">`;
  return html`<details id="complaint-intake" class="section"><summary>${t.intakeSummary}</summary>
${detailsForm(input.base, csrf, undefined, t)}
${complimentForm(input.base, csrf, input.people, input.teams, t)}
</details>`;
}

/** The complaint section of a case page: its stage and deadlines, and the steps that fit (in the agent's language). */
export function complaintSection(input: {
  lang: UiLocale;
  complaint: ComplaintRow;
  base: string;
  csrfToken: string;
  people: { id: number; name: string }[];
  teams: string[];
  coordinator: boolean;
}): SafeHtml {
  const { complaint: k, base } = input;
  const t = TEXTS[input.lang];
  const { shortDate, shortDateTime } = dates(input.lang);
  const csrf = html`<input type="hidden" name="_csrf" value="${input.csrfToken}">`;
  const name = (id: number | null) => input.people.find((p) => p.id === id)?.name ?? '—';
  const open = k.stage !== 'closed' && k.stage !== 'escalated';
  return html`<section id="complaint" aria-labelledby="complaint-title" class="notice">
<h2 id="complaint-title">${t.procedure}${k.urgent ? html` <strong class="attention">— urgent</strong>` : ''}</h2>
<dl class="facts">
<dt>${t.stage}</dt><dd id="complaint-stage" data-stage="${k.stage}">${t.stages[k.stage]}</dd>
<dt>${t.handler}</dt><dd>${name(k.handlerId)}</dd>
${k.registeredBy ? html`<dt>${t.registeredBy}</dt><dd>${k.registeredBy}</dd>` : ''}
<dt>${t.earlierReference}</dt><dd>${k.earlierReference ?? '—'}</dd>
<dt>${t.lastContact}</dt><dd>${k.lastContactOn ? shortDate(k.lastContactOn) : '—'}</dd>
<dt>${t.employeeSpoken}</dt><dd>${k.employeeName ?? '—'}</dd>
<dt>${t.acknowledgement}</dt><dd>${k.acknowledgedAt ? t.written(shortDateTime(k.acknowledgedAt)) : t.notYet}</dd>
<dt>${t.involved}</dt><dd>${k.involvedIds.length ? k.involvedIds.map(name).join(', ') : t.involvedNotYet}</dd>
<dt>${t.firstContactBy}</dt><dd>${shortDateTime(k.firstContactDue)}${k.firstContactAt ? t.firstContactHad(shortDateTime(k.firstContactAt), k.firstContactHow) : ''}</dd>
<dt>${t.resolveBy}</dt><dd>${shortDateTime(k.resolveDue)}${k.resolvedAt ? t.resolvedAt(shortDateTime(k.resolvedAt)) : ''}</dd>
${k.satisfied !== null ? html`<dt>${t.verdict}</dt><dd>${k.satisfied ? t.satisfied : t.notSatisfied}${k.satisfactionComment ? `: ${k.satisfactionComment}` : ''}</dd>` : ''}
${k.extraDue ? html`<dt>${t.extraUntil}</dt><dd>${shortDateTime(k.extraDue)}</dd>` : ''}
${k.improvement ? html`<dt>${t.improvement}</dt><dd id="complaint-improvement">${t.improvementMade(k.improvement.improvement, k.improvement.cause, k.improvement.owner)}</dd>` : ''}
</dl>
${open ? '' : improvementForm(base, csrf, k.improvement, t)}
${open ? detailsForm(base, csrf, k, t) : ''}
${k.stage === 'registered' && !k.handlerId ? html`<details class="section"><summary>${t.complimentInstead}</summary>${complimentForm(base, csrf, input.people, input.teams, t)}</details>` : ''}
${
  open
    ? html`<form method="post" action="${base}/klacht/betrokkenen">${csrf}
<fieldset><legend>${t.whoAbout}</legend>${input.people.map(
        (p) =>
          html`<label class="check"><input type="checkbox" name="betrokkene" value="${p.id}"${k.involvedIds.includes(p.id) ? html` checked` : ''}> ${p.name}</label>`,
      )}</fieldset>
<button type="submit" class="secondary">${t.involvedSave}</button></form>
${
  input.coordinator
    ? html`<form method="post" action="${base}/klacht/behandelaar">${csrf}
<label for="complaint-handler">${t.handler} <span class="hint">${t.handlerHint}</span></label>
<select id="complaint-handler" name="handler">${input.people.map((p) => html`<option value="${p.id}"${p.id === k.handlerId ? html` selected` : ''}>${p.name}</option>`)}</select>
<button type="submit">${t.handlerChoose}</button></form>`
    : ''
}
<form method="post" action="${base}/klacht/contact">${csrf}
<label for="complaint-contact">${t.contactRecord}</label>
<select id="complaint-contact" name="how"><option value="telefoon">${t.byPhone}</option><option value="e-mail">${t.byEmail}</option><option value="gesprek">${t.inPerson}</option></select>
<button type="submit">${t.contactSave}</button></form>
<form method="post" action="${base}/klacht/urgent">${csrf}<input type="hidden" name="urgent" value="${k.urgent ? '0' : '1'}">
<button type="submit" class="secondary">${k.urgent ? t.notUrgent : t.urgent}</button></form>
<form method="post" action="${base}/klacht/oplossing">${csrf}
<label for="complaint-resolution">${t.solution} <span class="hint">${t.solutionHint}</span></label>
<textarea id="complaint-resolution" name="text" required aria-required="true" class="compact" rows="4" maxlength="20000"></textarea>
<button type="submit">${t.solutionSend}</button></form>`
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
  app.get('/werkplek/klachten', { config: { access: 'coordinator' } }, async (request, reply) => {
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
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const { shortDateTime } = dates(lang);
    const body = html`<p><a href="/werkplek">${t.back}</a></p>
<h1>${t.listTitle}</h1>
<p>${t.listIntro}</p>
${
  rows.length === 0
    ? html`<p>${t.noComplaints}</p>`
    : html`<div class="table-wrap"><table id="complaints" class="cases stack"><caption class="visually-hidden">${t.listCaption}</caption>
<thead><tr><th scope="col">${t.caseColumn}</th><th scope="col">${t.subject}</th><th scope="col">${t.stage}</th><th scope="col">${t.handler}</th><th scope="col">${t.nextDue}</th></tr></thead>
<tbody>${rows.map((row) => {
        const due = row.next_due ? new Date(row.next_due) : null;
        const late = due !== null && due.getTime() < now.getTime();
        return html`<tr data-reference="${row.reference}" data-stage="${row.stage}">
<td data-label="${t.caseColumn}"><a href="/werkplek/zaken/${row.reference}">${row.reference}</a>${row.urgent ? html` <strong class="attention">${t.urgentMark}</strong>` : ''}</td>
<td data-label="${t.subject}">${row.subject || t.noSubject}</td>
<td data-label="${t.stage}">${t.stages[row.stage]}</td>
<td data-label="${t.handler}">${row.handler ?? html`<span class="meta">${t.noHandler}</span>`}</td>
<td data-label="${t.nextDue}">${due ? html`<time datetime="${due.toISOString()}"${late ? html` class="attention"` : ''}>${shortDateTime(due)}</time>${late ? t.late : ''}` : '—'}</td>
</tr>`;
      })}</tbody></table></div>`
}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang, title: t.listTitle, body, wide: true, header: languageSwitch(request) }));
  });
}
