/**
 * The agent workspace: case list, case view, case actions and the answer composer.
 * Real: PostgreSQL (a database of its own), Redis, the BullMQ route and deliver workers,
 * HTTP with sessions and CSRF, socket.io (chat) and an SMTP server (the smtp-server package).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import type { InboundMessageInput } from '../src/message.js';
import { agent as agentSocket, AGENT_TOKEN, OPEN_CLOCK, visitor as visitorSocket, type RecordingSocket } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { outboxMessageId } from '../src/outbox.js';
import { mailDomainOf } from '../src/main.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { waitFor } from './support/wait.js';
import { loginAs, PASSWORD } from './support/session.js';

let loket: TestLoket;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let anna: { cookie: string; csrfToken: string };
let annaId: number;
let bramId: number;
const sockets: RecordingSocket[] = [];

const login = (email: string) => loginAs(loket.url, email);

const page = (path: string, cookie = anna.cookie) => fetch(`${loket.url}${path}`, { headers: { cookie, accept: 'text/html' } });

const post = (path: string, fields: Record<string, string>, options: { csrf?: boolean; cookie?: string } = {}) =>
  fetch(`${loket.url}${path}`, {
    method: 'POST',
    headers: { cookie: options.cookie ?? anna.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ ...(options.csrf === false ? {} : { _csrf: anna.csrfToken }), ...fields }),
    redirect: 'manual',
  });

const query = <Row extends Record<string, unknown> = Record<string, unknown>>(text: string, params: unknown[] = []) => loket.db!.query<Row>(text, params);

/** References listed on a case list page. */
const listed = async (path: string) => [...(await (await page(path)).text()).matchAll(/data-reference="([^"]+)"/g)].map((m) => m[1]);

/** Takes a message in and waits until it is routed; returns its case. */
async function caseFor(input: InboundMessageInput, reserve = false): Promise<{ reference: string; caseId: number; messageId: number }> {
  const { messageId } = await loket.intake.accept(input, [], { reserveReference: reserve });
  return waitFor(async () => {
    const [row] = await query<{ reference: string; id: string }>(
      `select c.reference, c.id from messages m join cases c on c.id = m.case_id where m.id = $1 and m.routed_at is not null`,
      [messageId],
    );
    return row && { reference: row.reference, caseId: Number(row.id), messageId };
  }, `message ${messageId} to be routed`);
}

const mail = (overrides: Partial<InboundMessageInput> = {}): InboundMessageInput => {
  const id = `<${randomUUID()}@example.org>`;
  return {
    channel: 'email',
    externalId: id,
    receivedAt: new Date(),
    sender: { name: 'Fatima El Amrani', email: 'fatima@example.org' },
    subject: 'Verlofaanvraag',
    text: 'Mijn verlofaanvraag staat nog open.',
    thread: { messageId: id, references: [] },
    ...overrides,
  };
};

/** Posts an answer and waits until its outbox row is sent; returns the row. */
async function answer(reference: string, text: string) {
  const response = await post(`/werkplek/zaken/${reference}/antwoord`, { text });
  expect(response.status, await response.clone().text()).toBe(303);
  expect(response.headers.get('location')).toBe(`/werkplek/zaken/${reference}?gedaan=antwoord`);
  return waitFor(async () => {
    const [row] = await query<{ id: string; channel: string; kind: string; status: string; meta: Record<string, unknown>; message_id: string | null }>(
      `select o.id, o.channel, o.kind, o.status, o.meta, o.message_id from outbox o join cases c on c.id = o.case_id
        where c.reference = $1 and o.body like $2 and o.status in ('sent', 'failed')`,
      [reference, `${text}%`],
    );
    return row;
  }, `the answer on ${reference} to be sent`);
}

beforeAll(async () => {
  smtp = await startSmtpSink();
  loket = await startTestLoket(
    { SMTP_URL: smtp.url, CHAT_AGENT_TOKEN: AGENT_TOKEN, LOGIN_RATE_LIMIT: '1000', PUBLIC_URL: 'https://loket.example.org' },
    { clock: OPEN_CLOCK },
  );
  annaId = await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  bramId = await createUser(loket.database.db, { email: 'bram@example.org', name: 'Bram Behandelaar', role: 'agent', password: PASSWORD });
  anna = await login('anna@example.org');
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await loket?.stop();
  await smtp?.close();
});

describe('the case list', () => {
  it('filters on overdue and due soon by the Amsterdam date, and on team, topic, channel, status and assignee', async () => {
    // The clock says Tuesday 24 November 2026: due soon runs to Thursday 26 November.
    const overdue = await caseFor(mail({ subject: 'Te laat' }));
    const dueSoon = await caseFor(mail({ subject: 'Bijna' }));
    const later = await caseFor(mail({ subject: 'Later' }));
    const closedLate = await caseFor(mail({ subject: 'Dicht' }));
    const form = await caseFor(
      {
        channel: 'webform',
        externalId: randomUUID(),
        receivedAt: new Date(),
        sender: { name: 'Wim', email: 'wim@example.org' },
        subject: 'Formulier',
        text: 'Vraag over mijn salarisstrook.',
      },
      true,
    );
    await query(`update cases set answer_by = '2026-11-20' where id = $1`, [overdue.caseId]);
    await query(`update cases set answer_by = '2026-11-26', topic = 'salaris', team = 'salaris' where id = $1`, [dueSoon.caseId]);
    await query(`update cases set answer_by = '2026-12-15', assignee_id = $2 where id = $1`, [later.caseId, annaId]);
    await query(`update cases set answer_by = '2026-11-19', status = 'closed' where id = $1`, [closedLate.caseId]);
    await query(`update cases set answer_by = '2026-11-27', topic = 'verlof', team = 'verlof' where id = $1`, [form.caseId]);

    const overdueList = await listed('/werkplek/zaken?overdue=1');
    expect(overdueList).toContain(overdue.reference);
    expect(overdueList).not.toContain(dueSoon.reference);
    expect(overdueList).not.toContain(closedLate.reference);

    const soon = await listed('/werkplek/zaken?dueSoon=1');
    expect(soon).toContain(dueSoon.reference);
    expect(soon).not.toContain(overdue.reference);
    expect(soon).not.toContain(later.reference);
    expect(soon).not.toContain(form.reference); // Friday is three working days away

    const all = await listed('/werkplek/zaken');
    expect(all.indexOf(overdue.reference)).toBeLessThan(all.indexOf(dueSoon.reference)); // by answer date
    expect(all.indexOf(dueSoon.reference)).toBeLessThan(all.indexOf(later.reference));
    expect(all).not.toContain(closedLate.reference);

    expect(await listed('/werkplek/zaken?status=closed')).toEqual([closedLate.reference]);
    expect(await listed('/werkplek/zaken?team=salaris')).toEqual([dueSoon.reference]);
    expect(await listed('/werkplek/zaken?topic=verlof')).toContain(form.reference);
    expect(await listed('/werkplek/zaken?topic=verlof')).not.toContain(dueSoon.reference);
    expect(await listed('/werkplek/zaken?channel=webform')).toEqual([form.reference]);
    expect(await listed('/werkplek/zaken?mine=1')).toEqual([later.reference]);

    const html = await (await page('/werkplek/zaken?mine=1')).text();
    expect(html).toContain('Anna Agent');
    expect(html).toContain('Fatima El Amrani');
    expect(html).toContain('15 dec 2026');
  });

  it('is reached from the workspace home, and not by anonymous callers', async () => {
    expect(await (await page('/werkplek')).text()).toContain('href="/werkplek/zaken"');
    expect((await fetch(`${loket.url}/werkplek/zaken`)).status).toBe(401);
    expect((await fetch(`${loket.url}/werkplek/zaken/ZK-2026-000001`)).status).toBe(401);
  });
});

describe('the case view', () => {
  it('shows a mail case’s whole thread: the question, its attachment, the acknowledgement, and flags a bounce', async () => {
    const input = mail({ subject: 'Declaratie reiskosten', text: 'Zie de bijlage voor mijn declaratie.' });
    const { messageId } = await loket.intake.accept(input, [{ filename: 'bon.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 bon') }]);
    const { reference } = await waitFor(async () => {
      const [row] = await query<{ reference: string }>(`select c.reference from messages m join cases c on c.id = m.case_id where m.id = $1`, [messageId]);
      return row;
    }, 'the mail to be routed');
    await waitFor(
      async () => (await query(`select 1 from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.status = 'sent'`, [reference])).length > 0,
      'the acknowledgement',
    );
    const html = await (await page(`/werkplek/zaken/${reference}`)).text();
    expect(html).toContain('Zie de bijlage voor mijn declaratie.');
    expect(html).toContain('Ontvangstbevestiging (automatisch)');
    expect(html).toMatch(/data-status="sent"/);
    const link = /href="(\/werkplek\/bijlagen\/[0-9a-f]{64})" download="bon.pdf"/.exec(html)?.[1];
    expect(link).toBeDefined();
    const file = await page(link!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="bon.pdf"/);
    expect(await file.text()).toBe('%PDF-1.4 bon');

    // A bounce joins the case whose mail of ours it returns: the acknowledgement's Message-ID.
    const [ack] = await query<{ id: string }>(
      `select o.id from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.kind = 'acknowledgement'`,
      [reference],
    );
    await loket.intake.accept(
      mail({
        sender: { email: 'mailer-daemon@example.org' },
        subject: 'Undelivered Mail',
        text: 'Delivery failed',
        meta: { bounceOf: outboxMessageId(Number(ack!.id), mailDomainOf(loket.config.MAIL_FROM)) },
      }),
    );
    await waitFor(async () => (await (await page(`/werkplek/zaken/${reference}`)).text()).includes('Onbestelbaar'), 'the bounce on the case');
  });

  it('reclassifies (team follows), assigns, takes a note, closes and reopens, each with an audit row by the agent', async () => {
    const { reference } = await caseFor(mail({ subject: 'Actie' }));
    const base = `/werkplek/zaken/${reference}`;
    expect((await post(`${base}/onderwerp`, { topic: 'declaraties' })).status).toBe(303);
    expect((await post(`${base}/toewijzen`, { assignee: String(bramId) })).status).toBe(303);
    expect((await post(`${base}/toewijzen`, { assignee: 'me' })).status).toBe(303);
    expect((await post(`${base}/notitie`, { text: 'Eerst salarisadministratie bellen.' })).status).toBe(303);
    expect((await post(`${base}/sluiten`, {})).status).toBe(303);
    type CaseState = { topic: string; team: string; assignee_id: string; status: string };
    let [row] = await query<CaseState>(`select topic, team, assignee_id, status from cases where reference = $1`, [reference]);
    expect(row).toMatchObject({ topic: 'declaraties', team: 'declaraties', assignee_id: String(annaId), status: 'closed' });
    expect((await post(`${base}/heropenen`, {})).status).toBe(303);
    [row] = await query<CaseState>(`select topic, team, assignee_id, status from cases where reference = $1`, [reference]);
    expect(row?.status).toBe('open');

    const audits = await query<{ actor: string; action: string; data: Record<string, unknown> }>(
      `select actor, action, data from audit where entity = 'case' and entity_id = $1 order by id`,
      [reference],
    );
    expect(audits.map((a) => a.action)).toEqual(['case.reclassify', 'case.assign', 'case.assign', 'case.note', 'case.close', 'case.reopen']);
    expect(audits.every((a) => a.actor === 'Anna Agent')).toBe(true);
    expect(audits[0]?.data).toMatchObject({ to: 'declaraties', team: 'declaraties' });

    const html = await (await page(`${base}?gedaan=heropend`)).text();
    expect(html).toContain('De zaak is heropend.');
    expect(html).toContain('Eerst salarisadministratie bellen.');
    expect(html).toMatch(/id="case-assignee">Anna Agent</);
    expect(html).toMatch(/id="case-team">declaraties</);
  });

  it('refuses to assign a case to an admin account, or to a disabled one', async () => {
    const { reference } = await caseFor(mail({ subject: 'Niet voor beheer' }));
    const adminId = await createUser(loket.database.db, { email: `beheer-${randomUUID()}@example.org`, name: 'Beheer', role: 'admin', password: PASSWORD });
    const refused = await post(`/werkplek/zaken/${reference}/toewijzen`, { assignee: String(adminId) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Aan deze medewerker kan geen zaak worden toegewezen.');
    await query(`update users set disabled_at = now() where id = $1`, [bramId]);
    try {
      expect((await post(`/werkplek/zaken/${reference}/toewijzen`, { assignee: String(bramId) })).status).toBe(400);
    } finally {
      await query(`update users set disabled_at = null where id = $1`, [bramId]);
    }
    const [row] = await query<{ assignee_id: string | null }>(`select assignee_id from cases where reference = $1`, [reference]);
    expect(row?.assignee_id).toBeNull();
  });

  it('refuses a state change without the CSRF token, and anonymous callers', async () => {
    const { reference } = await caseFor(mail({ subject: 'CSRF' }));
    expect((await post(`/werkplek/zaken/${reference}/sluiten`, {}, { csrf: false })).status).toBe(403);
    expect((await post(`/werkplek/zaken/${reference}/antwoord`, { text: 'x' }, { csrf: false })).status).toBe(403);
    expect((await fetch(`${loket.url}/werkplek/zaken/${reference}/sluiten`, { method: 'POST' })).status).toBe(401);
    const [row] = await query<{ status: string }>(`select status from cases where reference = $1`, [reference]);
    expect(row?.status).toBe('open');
    const empty = await post(`/werkplek/zaken/${reference}/antwoord`, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Vul een tekst in.');
  });
});

describe('the answer composer', () => {
  it('fills a template with the reference, the answer date, the name and the agent; without a script it goes after what was typed', async () => {
    const { reference } = await caseFor(mail({ subject: 'Sjabloon' }));
    const { body } = (await (await page(`/werkplek/zaken/${reference}/sjablonen/spoed`)).json()) as { body: string };
    expect(body).toMatch(new RegExp(`^Beste Fatima El Amrani,\\s+Uw bericht is geregistreerd onder nummer ${reference}`));
    expect(body).toMatch(/uiterlijk op \w+dag \d+ \w+ \d{4}/);
    expect((await page(`/werkplek/zaken/${reference}/sjablonen/bestaat-niet`)).status).toBe(404);

    const inserted = await post(`/werkplek/zaken/${reference}/antwoord`, { text: 'Eerst dit.', actie: 'sjabloon', sjabloon: 'spoed' });
    expect(inserted.status).toBe(303);
    const html = await (await page(`/werkplek/zaken/${reference}`)).text();
    expect(html).toMatch(
      new RegExp(`<textarea id="answer"[^>]*>Eerst dit.\\s+Beste Fatima El Amrani,\\s+Uw bericht is geregistreerd onder nummer ${reference}`),
    );
  });

  it('answers a mail in its thread: In-Reply-To the question, the reference in the subject, twice', async () => {
    const input = mail({ subject: 'Vraag over verlof' });
    const { reference, messageId } = await caseFor(input);
    const first = await answer(reference, 'U hebt nog 12 verlofdagen.');
    expect(first).toMatchObject({ channel: 'email', kind: 'answer', status: 'sent', message_id: String(messageId) });
    const mailed = await waitFor(async () => smtp.mails.find((m) => m.raw.includes('U hebt nog 12 verlofdagen.')), 'the answer mail');
    expect(mailed.to).toEqual(['fatima@example.org']);
    expect(mailed.header('In-Reply-To')).toBe(input.thread!.messageId);
    expect(mailed.header('References')).toContain(input.thread!.messageId!);
    expect(mailed.header('Subject')).toContain(`[${reference}]`);
    expect(mailed.header('Auto-Submitted')).toBeUndefined();

    const second = await answer(reference, 'Aanvulling: ook 2 compensatiedagen.');
    expect(second).toMatchObject({ channel: 'email', status: 'sent', message_id: null });
    const again = await waitFor(async () => smtp.mails.find((m) => m.raw.includes('Aanvulling: ook 2 compensatiedagen.')), 'the second answer mail');
    expect(again.header('In-Reply-To')).toBe(input.thread!.messageId);

    const html = await (await page(`/werkplek/zaken/${reference}?gedaan=antwoord`)).text();
    expect(html).toContain('Uw antwoord staat klaar om te worden verstuurd.');
    expect(html).toContain('U hebt nog 12 verlofdagen.');
    const [audit] = await query<{ actor: string }>(`select actor from audit where action = 'case.answer' and entity_id = $1`, [reference]);
    expect(audit?.actor).toBe('Anna Agent');
  });

  it('answers a web form on its case page', async () => {
    const { reference } = await caseFor(
      {
        channel: 'webform',
        externalId: randomUUID(),
        receivedAt: new Date(),
        sender: { name: 'Wim', email: 'wim@example.org' },
        subject: 'Formulier',
        text: 'Waar vind ik mijn jaaropgave?',
      },
      true,
    );
    expect(await answer(reference, 'Uw jaaropgave staat in het portaal.')).toMatchObject({ channel: 'webform', status: 'sent' });
    const [row] = await query<{ status_token: string }>(`select status_token from cases where reference = $1`, [reference]);
    const casePage = await (await fetch(`${loket.url}/zaak/${row!.status_token}`)).text();
    expect(casePage).toContain('Uw jaaropgave staat in het portaal.');
  });

  it('answers an open chat in the conversation, and a closed one by mail (or refuses without an address)', async () => {
    const agent = await agentSocket(loket.url, 'anna');
    sockets.push(agent);
    const startChat = async (start: Record<string, unknown>) => {
      const visitor = await visitorSocket(loket.url);
      sockets.push(visitor);
      const { conversationId } = await visitor.call<{ conversationId: string }>('chat:start', { topic: 'inloggen', ...start });
      await visitor.call('chat:message', { clientId: 'c1', text: 'Ik kan niet inloggen.' });
      await agent.next('agents:queue', (q: { waiting: { conversationId: string }[] }) => q.waiting.some((w) => w.conversationId === conversationId));
      expect(await agent.call('agent:accept', { conversationId })).toMatchObject({ ok: true });
      const [row] = await waitFor(async () => {
        const rows = await query<{ reference: string }>(`select c.reference from conversations v join cases c on c.id = v.case_id where v.id = $1`, [
          conversationId,
        ]);
        return rows.length ? rows : undefined;
      }, 'the chat case');
      return { visitor, conversationId, reference: row!.reference };
    };

    const open = await startChat({ name: 'Jan', email: 'jan@example.org' });
    const sent = await answer(open.reference, 'Probeer het wachtwoord opnieuw in te stellen.');
    expect(sent).toMatchObject({ channel: 'chat', kind: 'chat-answer', status: 'sent', meta: { conversationId: open.conversationId, agent: 'Anna Agent' } });
    const line = await open.visitor.next<{ from: string; text: string }>('chat:message', (l) => l.text === 'Probeer het wachtwoord opnieuw in te stellen.');
    expect(line.from).toBe('agent');

    expect(await agent.call('agent:close', { conversationId: open.conversationId })).toEqual({ ok: true });
    const closed = await answer(open.reference, 'Is het gelukt?');
    expect(closed).toMatchObject({ channel: 'email', kind: 'answer', status: 'sent' });
    const mailed = await waitFor(
      async () => smtp.mails.find((m) => m.to.includes('jan@example.org') && m.raw.includes('Is het gelukt?')),
      'the answer mail after the chat',
    );
    expect(mailed.raw).toContain('Ik kan niet inloggen.');

    const anonymous = await startChat({ name: 'Els' });
    expect(await agent.call('agent:close', { conversationId: anonymous.conversationId })).toEqual({ ok: true });
    const refused = await post(`/werkplek/zaken/${anonymous.reference}/antwoord`, { text: 'Hallo?' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('geen e-mailadres');
  });

  it('turns a phone answer into a call-back task and a post answer into a letter to print', async () => {
    const phone = await caseFor(
      {
        channel: 'phone',
        externalId: randomUUID(),
        receivedAt: new Date(),
        sender: { name: 'Piet Jansen', phone: '0623456789' },
        subject: 'Telefoon',
        text: 'Belt over vakantiegeld.',
        meta: { suppressAutoReply: true },
      },
      true,
    );
    expect(await answer(phone.reference, 'Terugbellen over het vakantiegeld.')).toMatchObject({ channel: 'phone', status: 'sent' });
    const callbacks = await (await page('/werkplek/terugbellen')).text();
    expect(callbacks).toContain(phone.reference);

    const letter = await caseFor(
      {
        channel: 'post',
        externalId: randomUUID(),
        receivedAt: new Date(),
        sender: { name: 'Truus de Wit', postalAddress: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Utrecht' } },
        subject: 'Brief',
        text: 'Mijn declaratie is niet betaald.',
        meta: { suppressAutoReply: true },
      },
      true,
    );
    expect(await answer(letter.reference, 'Uw declaratie wordt volgende week betaald.')).toMatchObject({ channel: 'post', status: 'sent' });
    const printing = await (await page('/werkplek/afdrukken')).text();
    expect(printing).toContain(letter.reference);
  });
});
