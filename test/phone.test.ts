/**
 * The phone channel end to end. Real: PostgreSQL (a database of its own), Redis (queues and
 * the telephony replay check), BullMQ route and deliver workers, HTTP with sessions and CSRF.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTelephonyRoutes } from '../channels/phone/telephony.routes.js';
import { signTelephony } from '../channels/phone/telephony.signature.js';
import { createUser } from '../src/auth/accounts.js';
import { createApiToken } from '../src/auth/sessions.js';
import { createLogger } from '../src/logger.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { REDIS_URL } from './support/prefixes.js';
import { waitFor } from './support/wait.js';
import { loginAs, PASSWORD } from './support/session.js';

const SECRET = 'telefonie-geheim-0123456789';
let loket: TestLoket;
let agent: { cookie: string; csrfToken: string };

const login = (email: string) => loginAs(loket.url, email);

const page = (path: string) => fetch(`${loket.url}${path}`, { headers: { cookie: agent.cookie, accept: 'text/html' } });

const postForm = (fields: Record<string, string>) =>
  fetch(`${loket.url}/werkplek/gesprek`, {
    method: 'POST',
    headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });

const postCall = (body: unknown, headers: Record<string, string> = { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken }) =>
  fetch(`${loket.url}/api/v1/calls`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Posts a telephony event signed like the platform does; options break it on purpose. */
function sendEvent(event: Record<string, unknown>, options: { ageSeconds?: number; secret?: string; raw?: string } = {}) {
  const raw = options.raw ?? JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1_000) - (options.ageSeconds ?? 0));
  const signature = signTelephony(options.secret ?? SECRET, timestamp, Buffer.from(raw));
  return sendSigned(raw, timestamp, signature);
}

const sendSigned = (raw: string, timestamp: string, signature: string, url = loket.url) =>
  fetch(`${url}/api/v1/telephony/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-loket-timestamp': timestamp, 'x-loket-signature': signature },
    body: raw,
  });

const referenceIn = (html: string) => /id="reference">([A-Z]+-\d{4}-\d{6})</.exec(html)?.[1];

/** The message once routed: its case, meta and the outbox rows of its case. */
async function routed(messageId: number) {
  return waitFor(async () => {
    const [row] = await loket.db!.query<{
      reference: string;
      channel: string;
      meta: Record<string, unknown>;
      text: string;
      sender: Record<string, string>;
      case_id: string;
    }>(
      `select c.reference, m.channel, m.meta, m.text, m.sender, m.case_id from messages m join cases c on c.id = m.case_id
       where m.id = $1 and m.routed_at is not null`,
      [messageId],
    );
    if (!row) return undefined;
    const outbox = await loket.db!.query<{ kind: string }>(`select kind from outbox where case_id = $1`, [row.case_id]);
    return { ...row, outbox };
  }, `message ${messageId} to be routed`);
}

const phoneMessages = async () => Number((await loket.db!.query<{ n: string }>(`select count(*) as n from messages where channel = 'phone'`))[0]!.n);

beforeAll(async () => {
  loket = await startTestLoket({ TELEPHONY_SECRET: SECRET, LOGIN_RATE_LIMIT: '1000' });
  await createUser(loket.database.db, { email: 'agent@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  agent = await login('agent@example.org');
});

afterAll(async () => {
  await loket?.stop();
});

describe('logging a call', () => {
  it('through the form gives a registration number, opens a case on the phone channel and sends no acknowledgement; a double submit is one message', async () => {
    const form = await page('/werkplek/gesprek');
    expect(form.status).toBe(200);
    const html = await form.text();
    // A fresh token per page (salted), made for this session: the form posts with it.
    const pageToken = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    expect(pageToken).toBeDefined();
    expect(pageToken).not.toBe(agent.csrfToken);
    expect(html).toContain('<option value="salaris">Salaris</option>');
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(html)?.[1];
    expect(submissionId).toBeDefined();

    const fields = {
      _csrf: pageToken!,
      submissionId: submissionId!,
      callerName: 'Piet Jansen',
      phone: '06-2345 6789',
      employeeNumber: '123456',
      topic: 'salaris',
      summary: 'Vraag over de uitbetaling van het vakantiegeld.',
      outcome: 'beantwoord',
    };
    const before = await phoneMessages();
    const first = await postForm(fields);
    expect(first.status).toBe(200);
    const reference = referenceIn(await first.text());
    expect(reference).toMatch(/^ZK-\d{4}-\d{6}$/);
    const again = await postForm(fields);
    expect(referenceIn(await again.text())).toBe(reference);
    expect(await phoneMessages()).toBe(before + 1);

    const [row] = await loket.db!.query<{ id: string }>(`select id from messages where reference = $1`, [reference]);
    const message = await routed(Number(row!.id));
    expect(message.reference).toBe(reference);
    expect(message.channel).toBe('phone');
    expect(message.sender).toMatchObject({ name: 'Piet Jansen', phone: '0623456789', employeeNumber: '123456' });
    expect(message.meta).toMatchObject({ suppressAutoReply: true, outcome: 'beantwoord', callback: false, agent: { name: 'Anna Agent' } });
    expect(message.outbox).toEqual([]);
  });

  it('through the form without the CSRF token is refused', async () => {
    const response = await postForm({ summary: 'Zonder token', outcome: 'beantwoord' });
    expect(response.status).toBe(403);
  });

  it('through the API answers 202 with the reference, for a session and for an API token', async () => {
    const response = await postCall({ phone: '+31 6 3456 7890', summary: 'Wachtwoord vergeten.', outcome: 'doorverwezen', callback: true });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { reference: string; messageId: number; duplicate: boolean };
    expect(body).toMatchObject({ reference: expect.stringMatching(/^ZK-\d{4}-\d{6}$/), duplicate: false });
    const message = await routed(body.messageId);
    expect(message.meta).toMatchObject({ outcome: 'doorverwezen', callback: true, suppressAutoReply: true });
    // No acknowledgement (the caller heard the number); asked to call back, it is a call-back task.
    expect(message.outbox).toEqual([{ kind: 'callback-request' }]);

    const token = await createApiToken(loket.database.db, 'belscript', 'agent');
    const scripted = await postCall(
      { summary: 'Via een script vastgelegd.', outcome: 'beantwoord', submissionId: 'script-0001-abcdef' },
      { authorization: `Bearer ${token}` },
    );
    expect(scripted.status).toBe(202);
    const twice = await postCall(
      { summary: 'Via een script vastgelegd.', outcome: 'beantwoord', submissionId: 'script-0001-abcdef' },
      { authorization: `Bearer ${token}` },
    );
    expect(((await twice.json()) as { duplicate: boolean }).duplicate).toBe(true);
  });

  it('with bad fields answers 400 naming each field, in the API and on the form', async () => {
    const response = await postCall({ phone: 'bel mij', summary: '', outcome: 'misschien', extra: 1 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fields: Record<string, string> };
    expect(Object.keys(body.fields).sort()).toEqual(['extra', 'outcome', 'phone', 'summary']);
    expect(body.fields['summary']).toContain('samenvatting');

    const unknownTopic = await postCall({ summary: 'Iets', outcome: 'beantwoord', topic: 'bestaat-niet' });
    expect(((await unknownTopic.json()) as { fields: object }).fields).toEqual({ topic: 'Kies een onderwerp uit de lijst.' });
    const noNumber = await postCall({ summary: 'Graag terugbellen', outcome: 'terugbellen' });
    expect(((await noNumber.json()) as { fields: Record<string, string> }).fields['phone']).toContain('terugbellen');

    const form = await postForm({ _csrf: agent.csrfToken, callerName: 'Els', summary: '', outcome: 'beantwoord' });
    expect(form.status).toBe(400);
    const html = await form.text();
    expect(html).toMatch(/id="summary" name="summary" required aria-required="true" aria-invalid="true" aria-describedby="summary-error"/);
    expect(html).toContain('id="summary-error"');
    expect(html).toContain('value="Els"');
  });

  it('anonymously is refused', async () => {
    expect((await postCall({ summary: 'x', outcome: 'beantwoord' }, {})).status).toBe(401);
    expect((await fetch(`${loket.url}/werkplek/gesprek`)).status).toBe(401);
    expect((await fetch(`${loket.url}/werkplek/terugbellen`)).status).toBe(401);
  });
});

describe('telephony events', () => {
  it('a signed newCall records the call with the number normalized', async () => {
    const callId = `c-${randomUUID()}`;
    const response = await sendEvent({ type: 'newCall', callId, from: '+31 6 1234 5678', at: new Date().toISOString() });
    expect(response.status).toBe(200);
    const [call] = await loket.db!.query<{ caller_number: string; state: string }>(`select caller_number, state from calls where call_id = $1`, [callId]);
    expect(call).toEqual({ caller_number: '0612345678', state: 'ringing' });
  });

  it('a call that ends unlogged is logged by Loket, marked to complete; the agent who logs it later joins that case', async () => {
    const callId = `c-${randomUUID()}`;
    const start = Math.floor(Date.now() / 1_000) * 1_000 - 200_000; // whole seconds: the answer event says unix seconds
    expect((await sendEvent({ type: 'newCall', callId, from: '0687654321', at: new Date(start).toISOString() })).status).toBe(200);
    expect((await sendEvent({ type: 'answer', callId, agent: 'Anna Agent', at: Math.floor((start + 8_000) / 1_000) })).status).toBe(200);
    const hangup = await sendEvent({ type: 'hangup', callId, at: new Date(start + 8_000 + 192_000).toISOString() });
    expect(hangup.status).toBe(200);
    const body = (await hangup.json()) as { messageId: number; toComplete: boolean; state: string };
    expect(body).toMatchObject({ state: 'ended', toComplete: true });

    const message = await routed(body.messageId);
    expect(message.text).toBe('Telefoongesprek van 3 min 12 s met 0687654321, nog niet vastgelegd door een medewerker.');
    expect(message.meta).toMatchObject({ toComplete: true, suppressAutoReply: true, callId });
    expect(message.outbox).toEqual([]);
    const [call] = await loket.db!.query<{ to_complete: boolean; duration_seconds: number; message_id: string; agent: string }>(
      `select to_complete, duration_seconds, message_id, agent from calls where call_id = $1`,
      [callId],
    );
    expect(call).toMatchObject({ to_complete: true, duration_seconds: 192, message_id: String(body.messageId), agent: 'Anna Agent' });

    // A repeated hangup (a new signature) logs nothing twice.
    expect((await sendEvent({ type: 'hangup', callId, at: new Date(start + 201_000).toISOString() })).status).toBe(200);
    expect(Number((await loket.db!.query<{ n: string }>(`select count(*) as n from messages where meta->>'callId' = $1`, [callId]))[0]!.n)).toBe(1);

    const completed = await postCall({ callId, summary: 'Vraag over verlof opnemen.', outcome: 'beantwoord' });
    expect(completed.status).toBe(202);
    const logged = (await completed.json()) as { reference: string; messageId: number };
    expect(logged.reference).toBe(message.reference);
    expect((await routed(logged.messageId)).reference).toBe(message.reference);
    const [after] = await loket.db!.query<{ to_complete: boolean; message_id: string }>(`select to_complete, message_id from calls where call_id = $1`, [
      callId,
    ]);
    expect(after).toEqual({ to_complete: false, message_id: String(logged.messageId) });
  });

  it('a bad signature, a timestamp six minutes old and a replay are each refused with 401', async () => {
    const event = { type: 'newCall', callId: `c-${randomUUID()}`, from: '0611111111', at: new Date().toISOString() };
    expect((await sendEvent(event, { secret: 'een-ander-geheim-0123456' })).status).toBe(401);
    expect((await sendEvent(event, { ageSeconds: 360 })).status).toBe(401);

    const raw = JSON.stringify(event);
    const timestamp = String(Math.floor(Date.now() / 1_000));
    const signature = signTelephony(SECRET, timestamp, Buffer.from(raw));
    expect((await sendSigned(raw, timestamp, signature)).status).toBe(200);
    const replay = await sendSigned(raw, timestamp, signature);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { message: string }).message).toContain('al eerder gebruikt');
    // The signature is over the raw bytes: the same JSON spaced differently does not pass.
    expect((await sendSigned(JSON.stringify(event, null, 1), timestamp, signature)).status).toBe(401);
  });

  it('without TELEPHONY_SECRET events get 503 saying what to configure', async () => {
    // The routes alone on an app of their own: a second Loket only to leave one variable unset is slow.
    const app = Fastify();
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    await registerTelephonyRoutes(app, {
      db: loket.database.db,
      intake: loket.intake,
      redis,
      namespace: loket.config.QUEUE_PREFIX,
      secret: undefined,
      log: createLogger('silent'),
    });
    try {
      const raw = JSON.stringify({ type: 'newCall', callId: 'c-1', at: new Date().toISOString() });
      const timestamp = String(Math.floor(Date.now() / 1_000));
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/telephony/events',
        headers: {
          'content-type': 'application/json',
          'x-loket-timestamp': timestamp,
          'x-loket-signature': signTelephony(SECRET, timestamp, Buffer.from(raw)),
        },
        payload: raw,
      });
      expect(response.statusCode).toBe(503);
      expect(response.json<{ message: string }>().message).toContain('TELEPHONY_SECRET');
    } finally {
      await app.close();
      redis.disconnect();
    }
  });

  it('matches the caller number to earlier cases, however the number was written', async () => {
    const earlier = await postCall({ phone: '06-1111 2222', callerName: 'Karin', summary: 'Vraag over declaratie reiskosten.', outcome: 'beantwoord' });
    const { messageId, reference } = (await earlier.json()) as { messageId: number; reference: string };
    await routed(messageId);

    const callId = `c-${randomUUID()}`;
    expect((await sendEvent({ type: 'newCall', callId, from: '+31 6 1111 2222', at: new Date().toISOString() })).status).toBe(200);
    const response = await fetch(`${loket.url}/api/v1/calls/${callId}`, { headers: { cookie: agent.cookie } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { call: { callerNumber: string }; earlierCases: { reference: string }[] };
    expect(body.call.callerNumber).toBe('0611112222');
    expect(body.earlierCases.map((c) => c.reference)).toEqual([reference]);

    const form = await (await page(`/werkplek/gesprek?callId=${callId}`)).text();
    expect(form).toContain(`name="callId" value="${callId}"`);
    expect(form).toContain('value="0611112222"');
    expect(form).toContain(reference);
    expect((await fetch(`${loket.url}/api/v1/calls/onbekend`, { headers: { cookie: agent.cookie } })).status).toBe(404);
  });
});

describe('call-back tasks', () => {
  it('a call logged as "terugbellen" is on the list as soon as it is routed, linked to its case, until the call-back is logged', async () => {
    const logged = await postCall({
      phone: '0633334444',
      callerName: 'Iris Vos',
      summary: 'Vraagt om uitleg over haar eindejaarsuitkering.',
      outcome: 'terugbellen',
    });
    const { messageId, reference } = (await logged.json()) as { messageId: number; reference: string };
    await routed(messageId);
    const [task] = await waitFor(async () => {
      const rows = await loket.db!.query<{ id: string }>(`select id from outbox where message_id = $1 and kind = 'callback-request' and status = 'sent'`, [
        messageId,
      ]);
      return rows.length > 0 && rows;
    }, 'the call-back task');
    const taskId = Number(task!.id);
    const list = await (await page('/werkplek/terugbellen')).text();
    expect(list).toContain(`data-task="${taskId}"`);
    expect(list).toContain(`href="/werkplek/zaken/${reference}"`);
    expect(list).toContain('Vraagt om uitleg over haar eindejaarsuitkering.');

    const form = await (await page(`/werkplek/gesprek?callbackOf=${taskId}`)).text();
    const done = await postForm({
      _csrf: agent.csrfToken,
      submissionId: /name="submissionId" value="([^"]+)"/.exec(form)![1]!,
      callbackOf: String(taskId),
      phone: '0633334444',
      summary: 'Teruggebeld, uitgelegd.',
      outcome: 'beantwoord',
    });
    expect(done.status).toBe(200);
    expect(await (await page('/werkplek/terugbellen')).text()).not.toContain(`data-task="${taskId}"`);
  });

  it('a call answered or referred on the phone closes its own case; one asking a call-back, or joining a case, does not', async () => {
    const settled = async (fields: Record<string, unknown>) => {
      const { messageId, reference } = (await (await postCall(fields)).json()) as { messageId: number; reference: string };
      await routed(messageId);
      // afterRoute runs just after routing commits.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [row] = await loket.db!.query<{ status: string }>(`select status from cases where reference = $1`, [reference]);
      return { reference, status: row!.status };
    };
    const answered = await settled({ phone: '0655556666', summary: 'Vraag over verlof beantwoord.', outcome: 'beantwoord' });
    expect(answered.status).toBe('closed');
    const [audited] = await loket.db!.query<{ actor: string; data: { reason: string } }>(
      `select actor, data from audit where entity = 'case' and entity_id = $1 and action = 'case.close'`,
      [answered.reference],
    );
    expect(audited).toEqual({ actor: 'Loket', data: { reason: 'call-settled' } });
    expect((await settled({ phone: '0655556667', summary: 'Doorverwezen naar de salarisadministratie.', outcome: 'doorverwezen' })).status).toBe('closed');
    expect((await settled({ phone: '0655556668', summary: 'Graag terugbellen.', outcome: 'terugbellen' })).status).toBe('open');
    expect((await settled({ phone: '0655556669', summary: 'Beantwoord, maar ook graag terugbellen.', outcome: 'beantwoord', callback: true })).status).toBe(
      'open',
    );

    const form = (await await fetch(`${loket.url}/api/v1/webform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Nina', email: 'nina@example.org', employeeNumber: '777001', subject: 'Declaratie', message: 'Mijn declaratie is weg.' }),
    }).then((r) => r.json())) as { reference: string };
    await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [form.reference])).length > 0, 'the form case');
    const followUp = await settled({
      phone: '0655556670',
      employeeNumber: '777001',
      summary: `Belt over ${form.reference}, uitgelegd.`,
      outcome: 'beantwoord',
    });
    expect(followUp.reference).toBe(form.reference);
    expect(followUp.status).toBe('open');
  });

  it('pages the call-back list by key: every open task once, oldest first', async () => {
    const before = await loket.db!.query<{ n: number }>(
      `select count(*)::int as n from outbox where channel = 'phone' and status = 'sent' and not (meta ? 'callbackDoneAt')`,
    );
    for (let i = 0; i < 55; i += 1) {
      const logged = await postCall({
        phone: `06444${String(i).padStart(5, '0')}`,
        callerName: `Beller ${i}`,
        summary: `Terugbellen ${i}`,
        outcome: 'terugbellen',
      });
      expect(logged.status).toBe(202);
    }
    await waitFor(async () => {
      const [row] = await loket.db!.query<{ n: number }>(
        `select count(*)::int as n from outbox where channel = 'phone' and status = 'sent' and not (meta ? 'callbackDoneAt')`,
      );
      return row!.n === before[0]!.n + 55;
    }, '55 call-back tasks');
    const seen: string[] = [];
    let next: string | undefined = '/werkplek/terugbellen';
    while (next) {
      const text = await (await page(next)).text();
      seen.push(...[...text.matchAll(/data-task="(\d+)"/g)].map((m) => m[1]!));
      next = /href="([^"]+)" rel="next"/.exec(text)?.[1]?.replace(/&amp;/g, '&');
    }
    const open = await loket.db!.query<{ id: string }>(
      `select id from outbox where channel = 'phone' and status = 'sent' and not (meta ? 'callbackDoneAt') order by id`,
    );
    expect(seen).toEqual(open.map((row) => String(row.id)));
    expect(seen.length).toBeGreaterThan(50);
    expect(new Set(seen).size).toBe(seen.length);
    // Done with: the other tests read the first page.
    await loket.db!.query(
      `update outbox set meta = meta || '{"callbackDoneAt": "test"}' where channel = 'phone' and subject <> '' and body like 'Terugbellen %'`,
    );
  });

  it('a phone answer delivered by the deliver worker is an open task on the list until the call-back is logged', async () => {
    const logged = await postCall({
      phone: '0622223333',
      callerName: 'Tom de Boer',
      summary: 'Wil teruggebeld worden over zijn jaaropgave.',
      outcome: 'terugbellen',
    });
    const { messageId, reference } = (await logged.json()) as { messageId: number; reference: string };
    const message = await routed(messageId);

    // An agent's answer on the phone channel, written as routing and answers write outbox rows.
    const [row] = await loket.db!.query<{ id: string }>(
      `insert into outbox (case_id, message_id, channel, kind, locale, recipient, subject, body)
       values ($1, $2, 'phone', 'answer', 'nl', $3::jsonb, 'Terugbellen over jaaropgave', 'Uitleggen hoe de jaaropgave is opgebouwd.')
       returning id`,
      [message.case_id, messageId, JSON.stringify({ name: 'Tom de Boer', phone: '0622223333' })],
    );
    const outboxId = Number(row!.id);
    await loket.queues.add('deliver', { outboxId });
    const sent = await waitFor(async () => {
      const [found] = await loket.db!.query<{ status: string; receipt: Record<string, unknown> }>(`select status, receipt from outbox where id = $1`, [
        outboxId,
      ]);
      return found?.status === 'sent' && found;
    }, 'the call-back task to be delivered');
    expect(sent.receipt).toMatchObject({ channel: 'phone', callbackTask: true, number: '0622223333' });

    const list = await (await page('/werkplek/terugbellen')).text();
    expect(list).toContain(`data-task="${outboxId}"`);
    expect(list).toContain('0622223333');
    expect(list).toContain(reference);

    const form = await (await page(`/werkplek/gesprek?callbackOf=${outboxId}`)).text();
    expect(form).toContain(`name="callbackOf" value="${outboxId}"`);
    expect(form).toContain('value="Tom de Boer"');
    const done = await postForm({
      _csrf: agent.csrfToken,
      submissionId: /name="submissionId" value="([^"]+)"/.exec(form)![1]!,
      callbackOf: String(outboxId),
      phone: '0622223333',
      summary: 'Teruggebeld en de jaaropgave uitgelegd.',
      outcome: 'beantwoord',
    });
    expect(done.status).toBe(200);
    expect(referenceIn(await done.text())).toBe(reference);

    const [closed] = await loket.db!.query<{ meta: Record<string, unknown> }>(`select meta from outbox where id = $1`, [outboxId]);
    expect(closed!.meta['callbackDoneAt']).toEqual(expect.any(String));
    expect(Number(closed!.meta['callbackMessageId'])).toBeGreaterThan(messageId);
    expect(await (await page('/werkplek/terugbellen')).text()).not.toContain(`data-task="${outboxId}"`);
  });
});

describe('the HR-loket (seed 000)', () => {
  it('an agent hands an HR professional’s case to the HR-loket: team, mark and audit row, a call-back task on the HR-loket’s list, logged by the specialist', async () => {
    const response = await fetch(`${loket.url}/api/v1/webform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Hanna HR',
        email: 'hanna@ministerie.example',
        subject: 'Bijzondere situatie',
        message: 'Ik wil een bijzondere zaak bespreken.',
      }),
    });
    const { reference } = (await response.json()) as { reference: string };
    await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length > 0, 'the case');
    const hand = (fields: Record<string, string>) =>
      fetch(`${loket.url}/werkplek/zaken/${reference}/hr-loket`, {
        method: 'POST',
        headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: agent.csrfToken, ...fields }),
        redirect: 'manual',
      });

    const noPhone = await hand({ phone: '', note: 'Sparren over een re-integratietraject.' });
    expect(noPhone.status).toBe(400);
    expect(await noPhone.text()).toContain('telefoonnummer');
    const handed = await hand({ phone: '070 123 4567', note: 'Sparren over een re-integratietraject.' });
    expect(handed.status).toBe(303);
    expect(handed.headers.get('location')).toBe(`/werkplek/zaken/${reference}?gedaan=hr-loket`);
    expect((await hand({ phone: '070 123 4567', note: 'Nog eens.' })).status, 'one open request per case').toBe(409);

    const [row] = await loket.db!.query<{ team: string; attention: string }>(`select team, attention from cases where reference = $1`, [reference]);
    expect(row).toEqual({ team: 'HR-loket', attention: 'hr-loket' });
    const [audited] = await loket.db!.query<{ data: { note: string; taskId: number } }>(
      `select data from audit where entity = 'case' and entity_id = $1 and action = 'case.hr-loket'`,
      [reference],
    );
    expect(audited!.data.note).toBe('Sparren over een re-integratietraject.');

    const list = await (await page('/werkplek/terugbellen?team=HR-loket')).text();
    expect(list).toContain(`data-task="${audited!.data.taskId}"`);
    expect(list).toContain('Sparren over een re-integratietraject.');
    expect(list).toContain('0701234567');
    // Only the HR desk's tasks: the open call-backs of other teams' cases are not on its list.
    const others = await loket.db!.query<{ id: number }>(
      `select o.id from outbox o join cases c on c.id = o.case_id
        where o.channel = 'phone' and o.status = 'sent' and not (o.meta ? 'callbackDoneAt') and c.team is distinct from 'HR-loket'`,
    );
    expect(others.length).toBeGreaterThan(0);
    for (const other of others) expect(list).not.toContain(`data-task="${other.id}"`);

    const form = await (await page(`/werkplek/gesprek?callbackOf=${audited!.data.taskId}`)).text();
    const logged = await postForm({
      _csrf: agent.csrfToken,
      submissionId: /name="submissionId" value="([^"]+)"/.exec(form)![1]!,
      callbackOf: String(audited!.data.taskId),
      phone: '0701234567',
      callerName: 'Hanna HR',
      summary: 'Specialist heeft met Hanna het traject doorgesproken.',
      outcome: 'beantwoord',
    });
    expect(logged.status).toBe(200);
    expect(referenceIn(await logged.text())).toBe(reference);
    expect(await (await page('/werkplek/terugbellen?team=HR-loket')).text()).not.toContain(`data-task="${audited!.data.taskId}"`);
  });
});
