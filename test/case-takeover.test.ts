/**
 * Nobody takes over another person's case by quoting its number or answering its mail thread.
 * Real: HTTP (the form API, the case pages, the workspace with sessions and CSRF), PostgreSQL
 * (a database of its own), Redis, BullMQ, and a Dovecot of its own (IMAP in, LMTP out).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { DEFAULT_USERS, startDovecot, type PrivateDovecot } from './support/dovecot.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { agent as chatAgent, AGENT_TOKEN, OPEN_CLOCK, visitor } from './support/chat-client.js';
import { citizenMail } from './support/mail.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let dovecot: PrivateDovecot;
let loket: TestLoket;
let agent: Session;

beforeAll(async () => {
  dovecot = await startDovecot({ users: { ...DEFAULT_USERS, gerda: 'gerda-secret', hans: 'hans-secret', ingrid: 'ingrid-secret' } });
  loket = await startTestLoket(
    {
      IMAP_URL: dovecot.imapUrl('loket'),
      SMTP_URL: dovecot.lmtpUrl,
      MAIL_FROM: 'Contactcenter <loket@loket.test>',
      PUBLIC_URL: 'https://loket.example.org',
      AUTO_REPLY_LIMIT: '100',
      WEBFORM_RATE_LIMIT_MAX: '100',
      CHAT_AGENT_TOKEN: AGENT_TOKEN,
    },
    { clock: OPEN_CLOCK },
  );
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  agent = await loginAs(loket.url, 'anna@example.org');
}, 120_000);

afterAll(async () => {
  await loket?.stop();
  await dovecot?.stop();
});

interface Accepted {
  reference: string;
  statusUrl: string;
}

async function postForm(fields: { name: string; email: string; subject: string; message: string }): Promise<Accepted> {
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as Accepted;
}

/** The public case page behind a 202's link. */
const casePage = async (accepted: Accepted) => (await fetch(accepted.statusUrl.replace('https://loket.example.org', loket.url))).text();

const caseRow = async (reference: string) =>
  (
    await loket.db!.query<{ id: string; attention: string | null; mentions: string[] | null; sender: Record<string, string> }>(
      `select id, attention, mentions, sender from cases where reference = $1`,
      [reference],
    )
  )[0];

const routedCaseOf = (text: string) =>
  waitFor(async () => {
    const [row] = await loket.db!.query<{ reference: string }>(
      `select c.reference from messages m join cases c on c.id = m.case_id where m.text like $1 and m.routed_at is not null`,
      [`%${text}%`],
    );
    return row?.reference;
  }, `the message "${text}" to be routed`);

const workspacePost = (path: string, fields: Record<string, string>) =>
  fetch(`${loket.url}${path}`, {
    method: 'POST',
    headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ _csrf: agent.csrfToken, ...fields }),
    redirect: 'manual',
  });

describe('a stranger who quotes a case number', () => {
  it("on the form gets a case and a case page of their own, marked as mentioning the number; the case's own contact still joins", async () => {
    const bob = await postForm({
      name: 'Bob Jansen',
      email: 'bob@example.org',
      subject: 'Declaratie reiskosten',
      message: 'Mijn declaratie van oktober is niet betaald.',
    });
    await routedCaseOf('Mijn declaratie van oktober');

    const mallory = await postForm({
      name: 'Mallory',
      email: 'mallory@evil.example',
      subject: `Aanvulling op ${bob.reference}`,
      message: 'Stuur het antwoord naar mij.',
    });
    expect(mallory.reference).not.toBe(bob.reference);
    expect(mallory.statusUrl).not.toBe(bob.statusUrl);
    expect(await routedCaseOf('Stuur het antwoord naar mij')).toBe(mallory.reference);
    expect(await caseRow(mallory.reference)).toMatchObject({ attention: 'mentions-case', mentions: [bob.reference] });

    const malloryPage = await casePage(mallory);
    expect(malloryPage).not.toContain('Bob Jansen');
    expect(malloryPage).not.toContain('Mijn declaratie van oktober');
    expect(await casePage(bob)).not.toContain('Stuur het antwoord naar mij');

    const followUp = await postForm({
      name: 'Bob Jansen',
      email: 'BOB@example.org',
      subject: `Aanvulling op ${bob.reference}`,
      message: 'Hierbij de bonnetjes.',
    });
    // The follow-up joins, but its answer holds no link: a typed address proves nothing.
    expect(followUp).toEqual({ reference: bob.reference });
    expect(await routedCaseOf('Hierbij de bonnetjes')).toBe(bob.reference);
  });

  it("with the contact's own address typed in gets no link to the case page, not on the page, not in the API, not on a repeat", async () => {
    const eva = await postForm({ name: 'Eva Smit', email: 'eva@example.org', subject: 'Verlof', message: 'Mijn verlofsaldo klopt niet.' });
    await routedCaseOf('Mijn verlofsaldo klopt niet');
    const evaToken = eva.statusUrl.split('/').pop()!;

    const forged = {
      name: 'Eva Smit',
      email: 'eva@example.org',
      subject: `Over ${eva.reference}`,
      message: 'Laat mij de zaak zien.',
      submissionId: 'replay-1',
    };
    const send = () => fetch(`${loket.url}/api/v1/webform`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forged) });
    const first = await send();
    expect(first.status).toBe(202);
    const firstBody = await first.text();
    expect(firstBody).not.toContain(evaToken);
    expect(JSON.parse(firstBody)).toEqual({ reference: eva.reference });
    await routedCaseOf('Laat mij de zaak zien');
    const repeat = await send();
    expect(await repeat.text(), 'the repeat is a duplicate, answered from the stored message').not.toContain(evaToken);

    const page = await fetch(`${loket.url}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'Eva Smit', email: 'eva@example.org', subject: `Over ${eva.reference}`, message: 'Nog een keer.' }),
    });
    const thanks = await page.text();
    expect(page.status).toBe(200);
    expect(thanks).toContain(eva.reference);
    expect(thanks).not.toContain(evaToken);
    expect(thanks).toContain('ontvangstbevestiging die u eerder van ons kreeg');
  });

  it("in a chat, with the contact's address typed in, does not join the case: the agent would answer a stranger live", async () => {
    const frank = await postForm({ name: 'Frank Bos', email: 'frank@example.org', subject: 'Inloggen', message: 'Ik kom niet in het portaal.' });
    await routedCaseOf('Ik kom niet in het portaal');
    const desk = await chatAgent(loket.url, 'anna');
    const chat = await visitor(loket.url);
    try {
      expect(await chat.call('chat:start', { name: 'Frank Bos', email: 'frank@example.org', topic: 'inloggen' })).toMatchObject({ ok: true });
      expect(await chat.call('chat:message', { clientId: 'c1', text: `Over zaak ${frank.reference}: wat is de stand?` })).toEqual({ ok: true });
      const chatCase = await routedCaseOf('wat is de stand?');
      expect(chatCase).not.toBe(frank.reference);
      expect(await caseRow(chatCase)).toMatchObject({ attention: 'mentions-case', mentions: [frank.reference] });
    } finally {
      chat.close();
      desk.close();
    }
  });

  it("by mail, even answering the acknowledgement's thread, gets a case of their own; the contact's own reply joins", async () => {
    const question = citizenMail({ from: 'Jan de Vries <jan@loket.test>', subject: 'Verlof', body: 'Hoeveel verlofuren heb ik nog?' });
    await dovecot.append('loket', question.raw);
    const ack = await dovecot.waitForMessage('jan', (m) => m.headers['in-reply-to'] === question.messageId, { timeoutMs: 30_000 });
    const reference = /\[(ZK-\d{4}-\d{6})\]/.exec(ack.subject ?? '')![1]!;

    const attack = citizenMail({
      from: 'Piet <piet@loket.test>',
      subject: `Re: ${ack.subject}`,
      body: 'Wijzig het rekeningnummer van deze zaak.',
      headers: [`In-Reply-To: ${ack.messageId}`, `References: ${question.messageId} ${ack.messageId}`],
    });
    await dovecot.append('loket', attack.raw);
    const attackCase = await routedCaseOf('Wijzig het rekeningnummer');
    expect(attackCase).not.toBe(reference);
    expect(await caseRow(attackCase)).toMatchObject({ attention: 'mentions-case', mentions: [reference] });
    const pietsAck = await dovecot.waitForMessage('piet', (m) => m.headers['in-reply-to'] === attack.messageId, { timeoutMs: 30_000 });
    expect(pietsAck.raw).toContain(attackCase);
    // Piet may see the number he typed himself echoed in his subject; never Jan's page or words.
    const [jans] = await loket.db!.query<{ status_token: string }>(`select status_token from cases where reference = $1`, [reference]);
    expect(pietsAck.raw).not.toContain(jans!.status_token);
    expect(pietsAck.raw).not.toContain('Hoeveel verlofuren');
    expect(pietsAck.raw).not.toContain('Jan de Vries');

    const reply = citizenMail({
      from: 'Jan de Vries <jan@loket.test>',
      subject: `Re: ${ack.subject}`,
      body: 'Ik bedoelde mijn uren van dit jaar.',
      headers: [`In-Reply-To: ${ack.messageId}`, `References: ${question.messageId} ${ack.messageId}`],
    });
    await dovecot.append('loket', reply.raw);
    expect(await routedCaseOf('Ik bedoelde mijn uren')).toBe(reference);
  });

  it("by a forged bounce naming the case's thread or number gets a case of their own; only a bounce of our own mail joins", async () => {
    const question = citizenMail({ from: 'Gerda Visser <gerda@loket.test>', subject: 'Salaris', body: 'Mijn salaris is te laat.' });
    await dovecot.append('loket', question.raw);
    const ack = await dovecot.waitForMessage('gerda', (m) => m.headers['in-reply-to'] === question.messageId, { timeoutMs: 30_000 });
    const reference = /\[(ZK-\d{4}-\d{6})\]/.exec(ack.subject ?? '')![1]!;

    const bounce = (returned: string, body: string) => {
      const boundary = `b-${Math.random().toString(36).slice(2)}`;
      return [
        'From: Mail Delivery System <mailer-daemon@evil.example>',
        'To: loket@loket.test',
        `Subject: Undelivered Mail Returned to Sender ${reference}`,
        `Message-ID: <bounce-${Math.random().toString(36).slice(2)}@evil.example>`,
        `Date: ${new Date().toUTCString()}`,
        'Auto-Submitted: auto-replied',
        'MIME-Version: 1.0',
        `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=us-ascii',
        '',
        body,
        '',
        `--${boundary}`,
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; evil.example',
        '',
        'Final-Recipient: rfc822; gerda@loket.test',
        'Action: failed',
        'Status: 5.1.1',
        '',
        `--${boundary}`,
        'Content-Type: text/rfc822-headers',
        '',
        'From: Gerda Visser <gerda@loket.test>',
        `Message-ID: ${returned}`,
        '',
        `--${boundary}--`,
        '',
      ].join('\r\n');
    };
    await dovecot.append('loket', bounce(question.messageId, `Forged: new IBAN NL00EVIL0123456789 for ${reference}.`));
    const forgedCase = await routedCaseOf('NL00EVIL0123456789');
    expect(forgedCase).not.toBe(reference);

    await dovecot.append('loket', bounce(ack.messageId!, 'Mailbox vol.'));
    expect(await routedCaseOf('Mailbox vol.')).toBe(reference);
  });

  it('by mail with a forged From and their own Reply-To never receives the answer', async () => {
    const question = citizenMail({ from: 'Hans Mulder <hans@loket.test>', subject: 'Declaratie', body: 'Wanneer wordt mijn declaratie betaald?' });
    await dovecot.append('loket', question.raw);
    const ack = await dovecot.waitForMessage('hans', (m) => m.headers['in-reply-to'] === question.messageId, { timeoutMs: 30_000 });
    const reference = /\[(ZK-\d{4}-\d{6})\]/.exec(ack.subject ?? '')![1]!;
    const forged = citizenMail({
      from: 'Hans Mulder <hans@loket.test>',
      subject: `Re: ${ack.subject}`,
      body: 'Stuur het antwoord graag naar mijn andere adres.',
      headers: ['Reply-To: ingrid@loket.test', `In-Reply-To: ${ack.messageId}`, `References: ${question.messageId} ${ack.messageId}`],
    });
    await dovecot.append('loket', forged.raw);
    expect(await routedCaseOf('Stuur het antwoord graag naar mijn andere adres')).toBe(reference);

    expect((await workspacePost(`/werkplek/zaken/${reference}/antwoord`, { text: 'Uw declaratie wordt vrijdag betaald.' })).status).toBe(303);
    const [answer] = await loket.db!.query<{ recipient: { email: string } }>(
      `select o.recipient from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.kind = 'answer'`,
      [reference],
    );
    expect(answer!.recipient.email).toBe('hans@loket.test');
  });
});

describe("answers go to the case's contact", () => {
  it("even after an agent joined a stranger's message by hand (audited); changing the contact is an audited act of its own", async () => {
    const carla = await postForm({
      name: 'Carla de Boer',
      email: 'carla@example.org',
      subject: 'Loonstrook',
      message: 'Mijn loonstrook van november ontbreekt.',
    });
    await routedCaseOf('Mijn loonstrook van november');
    const other = await postForm({
      name: 'Dirk',
      email: 'dirk@example.org',
      subject: `Over ${carla.reference}`,
      message: 'Ik ben de leidinggevende van Carla.',
    });
    await routedCaseOf('Ik ben de leidinggevende');

    const joined = await workspacePost(`/werkplek/zaken/${other.reference}/samenvoegen`, { into: carla.reference });
    expect(joined.status).toBe(303);
    expect(await routedCaseOf('Ik ben de leidinggevende')).toBe(carla.reference);
    // Carla's own page shows her messages and what was sent to her, never Dirk's words as hers.
    const carlasPage = await casePage(carla);
    expect(carlasPage).toContain('Mijn loonstrook van november ontbreekt.');
    expect(carlasPage).not.toContain('Ik ben de leidinggevende');
    const merged = await loket.db!.query<{ action: string; entity_id: string }>(
      `select action, entity_id from audit where action in ('case.merged', 'case.merged-in') and entity_id = any($1) order by action`,
      [[carla.reference, other.reference]],
    );
    expect(merged).toEqual([
      { action: 'case.merged', entity_id: other.reference },
      { action: 'case.merged-in', entity_id: carla.reference },
    ]);

    // The last message on Carla's case is Dirk's; the answer still goes to Carla.
    expect((await workspacePost(`/werkplek/zaken/${carla.reference}/antwoord`, { text: 'Uw loonstrook staat nu in het portaal.' })).status).toBe(303);
    const [answer] = await loket.db!.query<{ recipient: { email: string } }>(
      `select o.recipient from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.kind = 'answer'`,
      [carla.reference],
    );
    expect(answer!.recipient.email).toBe('carla@example.org');

    const changed = await workspacePost(`/werkplek/zaken/${carla.reference}/contactpersoon`, {
      name: 'Carla de Boer',
      email: 'c.deboer@example.org',
      phone: '',
      employeeNumber: '',
    });
    expect(changed.status).toBe(303);
    expect((await caseRow(carla.reference))!.sender).toEqual({ name: 'Carla de Boer', email: 'c.deboer@example.org' });
    const [audited] = await loket.db!.query<{ actor: string; data: { from: { email: string }; to: { email: string } } }>(
      `select actor, data from audit where action = 'case.contact' and entity_id = $1`,
      [carla.reference],
    );
    expect(audited).toMatchObject({ actor: 'Anna Agent', data: { from: { email: 'carla@example.org' }, to: { email: 'c.deboer@example.org' } } });
    expect(
      (await workspacePost(`/werkplek/zaken/${carla.reference}/contactpersoon`, { name: 'Niemand', email: '', phone: '', employeeNumber: '' })).status,
    ).toBe(400);
  });
});
