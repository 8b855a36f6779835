/**
 * The answer composer over HTTP as a browser without scripts posts it: send and close, send
 * and wait for the citizen (cleared by their next message), the channel chosen by the agent
 * after a logged call, files only where the answer goes by mail, and the audit trail on the
 * case. Real: HTTP with sessions and CSRF, PostgreSQL, Redis, the workers and an SMTP server of
 * its own (smtp-server) that receives the mail. In Chromium: workspace-composer-browser.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { waitFor } from './support/wait.js';

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let loket: TestLoket;
let anna: Session;

beforeAll(async () => {
  smtp = await startSmtpSink();
  loket = await startTestLoket({ SMTP_URL: smtp.url, LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '100', PUBLIC_URL: 'https://loket.example.org' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
}, 120_000);

afterAll(async () => {
  await loket?.stop();
  await smtp?.close();
});

async function formCase(email: string, message: string): Promise<string> {
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Joost Bakker', email, subject: 'Reiskosten', message }),
  });
  const { reference } = (await response.json()) as { reference: string };
  await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length > 0, 'the case');
  return reference;
}

const post = (path: string, fields: Record<string, string>, session = anna) =>
  fetch(`${loket.url}${path}`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ _csrf: session.csrfToken, ...fields }),
    redirect: 'manual',
  });
const caseRow = async (reference: string) =>
  (
    await loket.db!.query<{ status: string; waiting_since: string | null; closed_at: string | null }>(
      `select status, waiting_since, closed_at from cases where reference = $1`,
      [reference],
    )
  )[0]!;
const casePage = async (reference: string, query = '') =>
  (await fetch(`${loket.url}/werkplek/zaken/${reference}${query}`, { headers: { cookie: anna.cookie } })).text();

describe('the answer box', () => {
  it('sends and closes: the case is closed and the audit row names who closed it with which answer', async () => {
    const reference = await formCase('karin@example.org', 'Vraag over verlof.');
    const sent = await post(`/werkplek/zaken/${reference}/antwoord`, { text: 'U hebt nog 10 dagen.', actie: 'sluiten' });
    expect(sent.headers.get('location')).toBe(`/werkplek/zaken/${reference}?gedaan=antwoord-gesloten`);
    expect(await caseRow(reference)).toMatchObject({ status: 'closed', closed_at: expect.anything() });
    const [answer] = await loket.db!.query<{ id: string }>(
      `select o.id from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.kind = 'answer'`,
      [reference],
    );
    const audited = await loket.db!.query<{ actor: string; action: string; data: { outboxId: number } }>(
      `select actor, action, data from audit where entity = 'case' and entity_id = $1 and action in ('case.answer', 'case.close') order by id`,
      [reference],
    );
    expect(audited).toEqual([
      expect.objectContaining({ actor: 'Anna Agent', action: 'case.answer' }),
      expect.objectContaining({ actor: 'Anna Agent', action: 'case.close', data: expect.objectContaining({ outboxId: Number(answer!.id) }) }),
    ]);
    const page = await casePage(reference, '?gedaan=antwoord-gesloten');
    expect(page).toContain('Uw antwoord staat klaar om te worden verstuurd en de zaak is gesloten.');
    expect(page).toMatch(/<dd id="case-status">Gesloten<\/dd>/);
  });

  it('sends and waits for the citizen: the case waits until their next message sets it back to our turn', async () => {
    const waiting = await formCase('lies@example.org', 'Vraag over salaris.');
    expect((await post(`/werkplek/zaken/${waiting}/antwoord`, { text: 'Welke maand bedoelt u?', actie: 'wachten' })).headers.get('location')).toBe(
      `/werkplek/zaken/${waiting}?gedaan=antwoord-wachten`,
    );
    expect(await caseRow(waiting)).toMatchObject({ status: 'open', waiting_since: expect.anything() });
    const listed = await (await fetch(`${loket.url}/werkplek/zaken`, { headers: { cookie: anna.cookie } })).text();
    const rowOf = (html: string) => /<tr data-reference="[^"]+">[\s\S]*?<\/tr>/.exec(html.slice(html.indexOf(`data-reference="${waiting}"`) - 20))![0];
    expect(rowOf(listed)).toContain('Wacht op de burger');

    await fetch(`${loket.url}/api/v1/webform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Joost Bakker', email: 'lies@example.org', subject: `Re ${waiting}`, message: 'De maand oktober.' }),
    });
    await waitFor(async () => (await caseRow(waiting)).waiting_since === null, 'the citizen’s reply to end the wait');
    expect((await caseRow(waiting)).status).toBe('open');
    const relisted = await (await fetch(`${loket.url}/werkplek/zaken`, { headers: { cookie: anna.cookie } })).text();
    expect(rowOf(relisted)).not.toContain('Wacht op de burger');
  });

  it('shows the audit trail on the case among messages, notes and answers, in order, each with who and when in plain Dutch', async () => {
    const reference = await formCase('piet@example.org', 'Vraag over mijn pensioen.');
    await createUser(loket.database.db, { email: 'bert@example.org', name: 'Bert Collega', role: 'agent', password: PASSWORD });
    const [bert] = await loket.db!.query<{ id: string }>(`select id from users where email = 'bert@example.org'`);
    const acts: [string, Record<string, string>][] = [
      ['onderwerp', { topic: 'salaris' }],
      ['toewijzen', { assignee: bert!.id }],
      ['notitie', { text: 'Eerst de salarisadministratie vragen.' }],
      ['antwoord', { text: 'Wij zoeken het uit.', actie: 'wachten' }],
      ['contactpersoon', { name: 'Piet Pensioen', email: 'piet.p@example.org' }],
      ['sluiten', {}],
      ['heropenen', {}],
    ];
    for (const [path, fields] of acts) {
      expect((await post(`/werkplek/zaken/${reference}/${path}`, fields)).status, path).toBe(303);
      // Sent before the next act: the answer still stands where it was written, before the wait its sending began.
      if (path === 'antwoord')
        await waitFor(
          async () =>
            (
              await loket.db!.query(
                `select 1 from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.kind = 'answer' and o.status = 'sent'`,
                [reference],
              )
            ).length > 0,
          'the answer to be sent',
        );
    }

    const page = await casePage(reference, '?alles=1');
    const thread = /<div id="thread">([\s\S]*?)<\/div>\s*<h2 id="composer-title">/.exec(page)![1]!;
    const items = [...thread.matchAll(/data-kind="(\w+)"(?: data-action="([^"]+)")?(?: data-outbox-kind="([^"]+)")?/g)].map(([, kind, action, outboxKind]) =>
      kind === 'audit' ? action : kind === 'outbound' ? `outbound:${outboxKind}` : kind,
    );
    expect(items.filter((item) => item !== 'outbound:acknowledgement')).toEqual([
      'inbound',
      'case.reclassify',
      'case.assign',
      'note',
      'outbound:answer',
      'case.waiting',
      'case.contact',
      'case.close',
      'case.reopen',
    ]);
    const times = [...thread.matchAll(/<time datetime="([^"]+)">/g)].map(([, at]) => Date.parse(at!));
    expect(times, 'in time order').toEqual([...times].sort((a, b) => a - b));
    const said = thread.replace(/<time[^>]*>[^<]*<\/time> — /g, '');
    for (const sentence of [
      // Topics by the name agents know them (the subject 'Reiskosten' put the case under Declaraties).
      'Anna Agent wijzigde het onderwerp van Declaraties naar Salaris (team salaris).',
      'Anna Agent wees de zaak toe aan Bert Collega.',
      'Anna Agent verstuurde een antwoord; de zaak wacht op een reactie van de burger.',
      'Anna Agent wijzigde de contactpersoon in Piet Pensioen — piet.p@example.org.',
      'Anna Agent sloot de zaak.',
      'Anna Agent heropende de zaak.',
    ])
      expect(said).toContain(sentence);
    // Each audited act with its moment, as the other items have theirs.
    expect(thread).toMatch(
      /<p class="entry audit meta" data-kind="audit" data-action="case.reopen"><time datetime="[^"]+">\d+ \w+\.? \d{4},? \d\d:\d\d<\/time> — Anna Agent heropende de zaak\.<\/p>/,
    );
  });

  it('takes files only where the answer goes by mail: for a form case the page says so, and a posted file is refused with the text kept', async () => {
    const reference = await formCase('sanne@example.org', 'Stuur mij het formulier.');
    const page = await casePage(reference);
    expect(page).toContain('Bijlagen kunnen alleen mee met een antwoord per e-mail; dit antwoord gaat via Webformulier.');
    expect(page).not.toContain('name="bijlagen"');

    const form = new FormData();
    form.set('_csrf', anna.csrfToken);
    form.set('text', 'Hierbij het formulier.');
    form.set('actie', 'versturen');
    form.set('bijlagen', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'formulier.pdf');
    const refused = await fetch(`${loket.url}/werkplek/zaken/${reference}/antwoord`, {
      method: 'POST',
      headers: { cookie: anna.cookie, accept: 'text/html' },
      body: form,
      redirect: 'manual',
    });
    expect(refused.status).toBe(400);
    const again = await refused.text();
    expect(again).toContain(
      'Bijlagen kunnen alleen mee met een antwoord per e-mail; dit antwoord gaat via Webformulier. Uw tekst staat er nog; kies de bijlagen opnieuw.',
    );
    expect(again).toContain('>Hierbij het formulier.</textarea>');
    expect(await loket.db!.query(`select 1 from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.kind = 'answer'`, [reference])).toEqual(
      [],
    );
    const [draft] = await loket.db!.query<{ text: string }>(`select d.text from answer_drafts d join cases c on c.id = d.case_id where c.reference = $1`, [
      reference,
    ]);
    expect(draft?.text, 'kept as the draft too').toBe('Hierbij het formulier.');
  });

  it('after a logged call offers mail or a call-back, and sends the mail when chosen', async () => {
    const reference = await formCase('marco@example.org', 'Ik bel zo nog even.');
    // The contact's number is known (an agent added it), so the logged call joins the case.
    await loket.db!.query(`update cases set sender = sender || '{"phone": "0612340000"}'::jsonb where reference = $1`, [reference]);
    const call = await fetch(`${loket.url}/api/v1/calls`, {
      method: 'POST',
      headers: { cookie: anna.cookie, 'x-csrf-token': anna.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '0612340000', summary: `Belde over ${reference}.`, outcome: 'terugbellen' }),
    });
    expect(call.status).toBe(202);
    expect(((await call.json()) as { reference: string }).reference).toBe(reference);
    const html = await waitFor(async () => {
      const text = await (await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: anna.cookie } })).text();
      return text.includes('name="via"') && text;
    }, 'the choice of channel after the call');
    expect(html).toContain('Terugbellen (een taak op de terugbellijst)');
    expect(html).toContain('Per e-mail aan marco@example.org');

    expect((await post(`/werkplek/zaken/${reference}/antwoord`, { text: 'Zoals besproken: het is geregeld.', via: 'email' })).status).toBe(303);
    const mailed = await waitFor(async () => smtp.mails.find((m) => m.raw.includes('Zoals besproken: het is geregeld.')), 'the answer by mail');
    expect(mailed.to).toEqual(['marco@example.org']);
  });

  it('takes a 20,000-character answer in any script from a plain form post, nothing lost to the body limit', async () => {
    const reference = await formCase('noor@example.org', 'Een lange vraag.');
    // Each é is 2 bytes, 6 when percent-encoded: 120 KB for the text alone.
    const text = 'é'.repeat(19_990) + ' einde';
    const saved = await post(`/werkplek/zaken/${reference}/concept`, { text });
    expect(saved.status).toBe(200);
    const [draft] = await loket.db!.query<{ text: string }>(`select text from answer_drafts d join cases c on c.id = d.case_id where c.reference = $1`, [
      reference,
    ]);
    expect(draft!.text).toBe(text);
  });

  it('shows a long timeline from its latest items, the earlier ones one link away', async () => {
    const reference = await formCase('olga@example.org', 'Een zaak met een lange geschiedenis.');
    await loket.db!.query(
      `insert into case_notes (case_id, author, text) select c.id, 'Anna Agent', 'Notitie ' || g from cases c, generate_series(1, 60) g where c.reference = $1`,
      [reference],
    );
    const page = async (query = '') => (await fetch(`${loket.url}/werkplek/zaken/${reference}${query}`, { headers: { cookie: anna.cookie } })).text();
    const items = (html: string) => (/<div id="thread">([\s\S]*?)<\/div>\s*<h2 id="composer-title">/.exec(html)?.[1]?.match(/data-kind="/g) ?? []).length;
    // Later messages of the citizen between the notes: the part is the latest 50 of all kinds together.
    await loket.db!.query(
      `insert into messages (channel, external_id, received_at, sender, subject, text, thread, meta, case_id, routed_at)
       select 'webform', 'later-' || g, now() + g * interval '1 second', '{"name": "Olga"}'::jsonb, '', 'Aanvulling ' || g, '{"references": []}'::jsonb, '{}'::jsonb, c.id, now()
         from cases c, generate_series(1, 5) g where c.reference = $1`,
      [reference],
    );
    const latest = await page();
    const whole = await page('?alles=1');
    expect(items(whole)).toBeGreaterThan(65);
    expect(whole).toContain('Een zaak met een lange geschiedenis.');
    expect(items(latest)).toBe(50);
    expect(latest).toContain(`${items(whole) - 50} eerdere items tonen`);
    expect(latest).toContain('Notitie 60');
    expect(latest).toContain('Aanvulling 5');
    expect(latest).not.toContain('Een zaak met een lange geschiedenis.');
  });
});
