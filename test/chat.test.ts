/**
 * Chat end to end with socket.io-client. Real: PostgreSQL (a database of its own), Redis
 * (BullMQ and the socket.io Redis adapter), the route and deliver workers, and an SMTP
 * server (smtp-server) for transcripts. The clock is fixed inside office hours, except
 * where a test fixes it outside them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { AGENT_TOKEN, agent, connect, OPEN_CLOCK, visitor, type RecordingSocket } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { sleep, waitFor } from './support/wait.js';

let loket: TestLoket;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
const sockets: RecordingSocket[] = [];

const track = (socket: RecordingSocket) => (sockets.push(socket), socket);
const newVisitor = async () => track(await visitor(loket.url));
const newAgent = async (name: string) => track(await agent(loket.url, name));

type Line = { id: string; from: string; text: string; at: string };

beforeAll(async () => {
  smtp = await startSmtpSink();
  loket = await startTestLoket(
    { SMTP_URL: smtp.url, CHAT_AGENT_TOKEN: AGENT_TOKEN, CHAT_RATE_LIMIT: '50', CHAT_MAX_LENGTH: '200', PUBLIC_URL: 'https://loket.example.org' },
    { clock: OPEN_CLOCK },
  );
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await loket?.stop();
  await smtp?.close();
});

describe('a chat about a chat topic', () => {
  it('a visitor who closes the chat before saying anything cannot send a first line after', async () => {
    const kees = await newVisitor();
    const { conversationId } = await kees.call<{ conversationId: string }>('chat:start', { name: 'Kees', topic: 'inloggen' });
    expect(await kees.call('chat:close', {})).toEqual({ ok: true });
    expect(await kees.call('chat:message', { clientId: 'k1', text: 'Toch nog een vraag.' })).toMatchObject({ ok: false, error: 'closed' });
    expect(await loket.db!.query(`select id from messages where thread->>'conversationId' = $1`, [conversationId])).toEqual([]);
  });

  it('waits in line, is accepted by exactly one agent, and carries messages, typing and closing both ways', async () => {
    const anna = await newAgent('anna');
    const bram = await newAgent('bram');
    const jan = await newVisitor();

    const started = await jan.call<{ ok: boolean; conversationId: string; token: string; online: boolean }>('chat:start', {
      name: 'Jan de Vries',
      email: 'jan@example.org',
      topic: 'inloggen',
      transcript: true,
    });
    expect(started).toMatchObject({ ok: true, online: true });
    expect(started.token.length).toBeGreaterThan(20);
    const { conversationId } = started;

    expect(await jan.call('chat:message', { clientId: 'c1', text: 'Ik kan niet inloggen op het portaal.' })).toEqual({ ok: true });
    await jan.next('chat:state', (s: { state: string; position?: number }) => s.state === 'waiting' && s.position === 1);
    const queue = await anna.next('agents:queue', (q: { waiting: { conversationId: string }[] }) => q.waiting.some((w) => w.conversationId === conversationId));
    expect(queue.waiting.find((w) => w.conversationId === conversationId)).toMatchObject({ name: 'Jan de Vries', topic: 'inloggen', position: 1 });

    // Both press accept at once: one wins.
    const [a, b] = await Promise.all([
      anna.call<{ ok: boolean; history?: Line[]; error?: string }>('agent:accept', { conversationId }),
      bram.call<{ ok: boolean; history?: Line[]; error?: string }>('agent:accept', { conversationId }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const [winner, winnerAck, loserAck] = a.ok ? [anna, a, b] : [bram, b, a];
    expect(loserAck.error).toBe('taken');
    expect(winnerAck.history!.map((line) => [line.from, line.text])).toEqual([['visitor', 'Ik kan niet inloggen op het portaal.']]);
    await jan.next('chat:state', (s: { state: string }) => s.state === 'with-agent');
    await anna.next('agents:queue', (q: { waiting: { conversationId: string }[] }) => !q.waiting.some((w) => w.conversationId === conversationId));

    // Agent → visitor, through the outbox and the deliver worker.
    const sent = await winner.call<{ ok: boolean; id: string }>('agent:message', { conversationId, clientId: 'a1', text: 'Welke foutmelding ziet u?' });
    expect(sent.ok).toBe(true);
    const line = await jan.next<Line>('chat:message', (l) => l.from === 'agent');
    expect(line).toMatchObject({ id: sent.id, text: 'Welke foutmelding ziet u?' });
    // Marked sent just after it has left, so moments after the visitor has it.
    await waitFor(async () => {
      const row = await loket.db!.query<{ status: string }>(`select status from outbox where id = $1`, [Number(sent.id.slice(1))]);
      return row[0]?.status === 'sent';
    }, 'the agent line to be marked sent');

    // Visitor → agent, live.
    await jan.call('chat:message', { clientId: 'c2', text: 'Account geblokkeerd, staat er.' });
    const heard = await winner.next<{ conversationId: string; line: Line }>('agents:message', (m) => m.line.text === 'Account geblokkeerd, staat er.');
    expect(heard).toMatchObject({ conversationId, line: { from: 'visitor' } });

    // Typing, both ways.
    jan.socket.emit('chat:typing', { typing: true });
    await winner.next('agents:typing', (t: { conversationId: string; typing: boolean }) => t.conversationId === conversationId && t.typing);
    winner.socket.emit('agent:typing', { conversationId, typing: true });
    await jan.next('chat:typing', (t: { typing: boolean }) => t.typing);

    // The loser cannot speak in it.
    const intruder = await (winner === anna ? bram : anna).call<{ ok: boolean; error: string }>('agent:message', {
      conversationId,
      clientId: 'x',
      text: 'hallo',
    });
    expect(intruder).toMatchObject({ ok: false, error: 'not-yours' });

    expect(await winner.call('agent:close', { conversationId })).toEqual({ ok: true });
    expect(await jan.next('chat:closed')).toEqual({ reason: 'closed' });
    expect(await jan.call('chat:message', { clientId: 'c3', text: 'Nog iets' })).toMatchObject({ ok: false, error: 'closed' });

    // One case holds the whole conversation; the transcript went to the visitor.
    const cases = await loket.db!.query<{ topic: string; n: string }>(
      `select c.topic, count(m.id) as n from cases c join messages m on m.case_id = c.id where m.channel = 'chat' and m.thread->>'conversationId' = $1 group by c.topic`,
      [conversationId],
    );
    expect(cases).toEqual([{ topic: 'inloggen', n: '2' }]);
    const transcript = await waitFor(async () => smtp.mails.find((m) => m.to.includes('jan@example.org')), 'the transcript mail');
    expect(transcript.raw).toContain('Welke foutmelding ziet u?');
    expect(transcript.raw).toContain('Ik kan niet inloggen op het portaal.');
  });

  it('can be handed to another agent, who gets its history', async () => {
    const anna = await newAgent('anna-2');
    const bram = await newAgent('bram-2');
    const piet = await newVisitor();
    const { conversationId } = await piet.call<{ conversationId: string }>('chat:start', { name: 'Piet', topic: 'personeelsgesprekken' });
    await piet.call('chat:message', { clientId: 'p1', text: 'Mijn beoordelingsgesprek staat niet in het portaal.' });
    await anna.next('agents:queue', (q: { waiting: { conversationId: string }[] }) => q.waiting.some((w) => w.conversationId === conversationId));
    expect(await anna.call('agent:accept', { conversationId })).toMatchObject({ ok: true });
    expect(await anna.call('agent:transfer', { conversationId, to: 'bram-2' })).toEqual({ ok: true });
    const assigned = await bram.next<{ conversationId: string; history: Line[] }>('agents:assigned');
    expect(assigned.conversationId).toBe(conversationId);
    expect(assigned.history.map((l) => l.text)).toEqual(['Mijn beoordelingsgesprek staat niet in het portaal.']);
    expect(await anna.call('agent:message', { conversationId, clientId: 'z', text: 'nog ik' })).toMatchObject({ ok: false, error: 'not-yours' });
    await piet.call('chat:message', { clientId: 'p2', text: 'Hallo?' });
    await bram.next('agents:message', (m: { line: Line }) => m.line.text === 'Hallo?');
  });
});

describe('a first line the classifier is unsure of', () => {
  it('waits for an agent: a greeting, or a line as near to a chat topic as to another (src/classifier/chat-gate.ts)', async () => {
    for (const text of ['Hallo, ik heb een vraag', 'Goedemiddag!']) {
      const asker = await newVisitor();
      const { conversationId } = await asker.call<{ conversationId: string }>('chat:start', { name: 'Ans' });
      await asker.call('chat:message', { clientId: 'g1', text });
      const state = await waitFor(async () => {
        const [row] = await loket.db!.query<{ state: string }>(`select state from conversations where id = $1`, [conversationId]);
        return row && row.state !== 'new' && row.state;
      }, `"${text}" decided`);
      expect(state, text).toBe('waiting');
    }
  });
});

describe('a chat about anything else', () => {
  const redirected = async (start: Record<string, unknown>, text: string) => {
    const watcher = await newAgent(`watcher-${Math.random()}`);
    const visitor = await newVisitor();
    const { conversationId } = await visitor.call<{ conversationId: string }>('chat:start', start);
    await visitor.call('chat:message', { clientId: 'q1', text });
    const line = await visitor.next<Line>('chat:message', (l) => l.from === 'system');
    expect(await visitor.next('chat:closed')).toEqual({ reason: 'redirected' });
    // No agent was bothered: the conversation never entered the line.
    const queues = watcher.all<{ waiting: { conversationId: string }[] }>('agents:queue');
    expect(queues.some((q) => q.waiting.some((w) => w.conversationId === conversationId))).toBe(false);
    const [row] = await loket.db!.query<{ state: string; closed_reason: string; waiting_since: string | null }>(
      `select state, closed_reason, waiting_since from conversations where id = $1`,
      [conversationId],
    );
    expect(row).toEqual({ state: 'closed', closed_reason: 'redirected', waiting_since: null });
    // Answered by the redirect: its case is closed, by Loket, and out of the agents' open queue.
    const closedCase = await waitFor(async () => {
      const [found] = await loket.db!.query<{ status: string; subject: string; actor: string }>(
        `select c.status, c.subject, a.actor from conversations v join cases c on c.id = v.case_id
           left join audit a on a.entity = 'case' and a.entity_id = c.reference and a.action = 'case.close'
          where v.id = $1`,
        [conversationId],
      );
      return found?.status === 'closed' && found;
    }, 'the redirected chat case to close');
    expect(closedCase).toEqual({ status: 'closed', subject: start['locale'] === 'en' ? 'Chat conversation' : 'Chatgesprek', actor: 'Loket' });
    return { line, visitor };
  };

  it('gets a polite redirect with the form link, e-mail and phone when no topic was chosen and the question is about salary', async () => {
    const { line, visitor } = await redirected({ name: 'Klaas' }, 'Mijn salaris is deze maand te laat uitbetaald.');
    expect(line.text).toContain('https://loket.example.org/contact');
    expect(line.text).toContain('contactcenter@loket.localhost');
    expect(line.text).toContain('088 0200 800');
    expect(line.text).toMatch(/inloggen en personeelsgesprekken/);
    expect(await visitor.call('chat:message', { clientId: 'q2', text: 'Maar...' })).toMatchObject({ ok: false, error: 'closed' });
    // The first line sent again (its acknowledgement lost) is still taken as sent.
    expect(await visitor.call('chat:message', { clientId: 'q1', text: 'Mijn salaris is deze maand te laat uitbetaald.' })).toEqual({ ok: true });
  });

  it('is redirected when "iets anders" was chosen, and in English when the visitor chats in English', async () => {
    const { line } = await redirected({ name: 'Kim', topic: 'other', locale: 'en' }, 'How many days of leave do I have left?');
    expect(line.text).toMatch(/^Thank you for your question/);
    expect(line.text).toContain('https://loket.example.org/contact');
  });

  it('is redirected when a topic outside the chat list is chosen, whatever the text says', async () => {
    await redirected({ name: 'Sam', topic: 'declaraties' }, 'Ik kan niet inloggen om mijn declaratie te doen');
  });
});

describe('a visitor', () => {
  it('resumes after a disconnect with the whole history, including an answer sent while away', async () => {
    const anna = await newAgent('anna-3');
    const first = await newVisitor();
    const { conversationId, token } = await first.call<{ conversationId: string; token: string }>('chat:start', { name: 'Els', topic: 'inloggen' });
    await first.call('chat:message', { clientId: 'e1', text: 'Mijn sms-code komt niet aan.' });
    await anna.next('agents:queue', (q: { waiting: { conversationId: string }[] }) => q.waiting.some((w) => w.conversationId === conversationId));
    await anna.call('agent:accept', { conversationId });
    first.close();

    await anna.call('agent:message', { conversationId, clientId: 'r1', text: 'Klopt uw telefoonnummer nog?' });
    await waitFor(async () => {
      const rows = await loket.db!.query(`select 1 from outbox where meta->>'conversationId' = $1 and status = 'sent'`, [conversationId]);
      return rows.length > 0;
    }, 'the answer to be sent');

    const again = await newVisitor();
    const resumed = await again.call<{ ok: boolean; conversationId: string; state: string; history: Line[] }>('chat:resume', { token });
    expect(resumed).toMatchObject({ ok: true, conversationId, state: 'with-agent' });
    expect(resumed.history.map((l) => [l.from, l.text])).toEqual([
      ['visitor', 'Mijn sms-code komt niet aan.'],
      ['agent', 'Klopt uw telefoonnummer nog?'],
    ]);
    await again.call('chat:message', { clientId: 'e2', text: 'Ja, dat klopt.' });
    await anna.next('agents:message', (m: { line: Line }) => m.line.text === 'Ja, dat klopt.');
    expect(await again.call('chat:resume', { token: 'not-a-token-at-all' })).toMatchObject({ ok: false, error: 'unknown-token' });
  });

  it('sending the same clientId twice stores one message', async () => {
    const visitor = await newVisitor();
    const { conversationId } = await visitor.call<{ conversationId: string }>('chat:start', { name: 'Noor', topic: 'inloggen' });
    const message = { clientId: 'same-id', text: 'Wachtwoord vergeten.' };
    const acks = await Promise.all([visitor.call('chat:message', message), visitor.call('chat:message', message)]);
    expect(acks).toEqual([{ ok: true }, { ok: true }]);
    await visitor.call('chat:message', message);
    await sleep(300);
    const rows = await loket.db!.query(`select id from messages where channel = 'chat' and thread->>'conversationId' = $1`, [conversationId]);
    expect(rows).toHaveLength(1);
  });

  it('gets clear errors for bad payloads, too long messages, messages before a start, and too many messages', async () => {
    const visitor = await newVisitor();
    expect(await visitor.call('chat:message', { clientId: 'x', text: 'hoi' })).toMatchObject({ ok: false, error: 'not-started' });
    expect(await visitor.call('chat:start', { email: 'not-an-address' })).toMatchObject({ ok: false, error: 'invalid', field: 'name' });
    expect(await visitor.call('chat:start', 'just a string')).toMatchObject({ ok: false, error: 'invalid' });
    await visitor.call('chat:start', { name: 'Lotte', topic: 'inloggen' });
    const long = await visitor.call<{ ok: boolean; error: string; message: string }>('chat:message', { clientId: 'l', text: 'a'.repeat(201) });
    expect(long).toMatchObject({ ok: false, error: 'too-long', field: 'text' });
    expect(long.message).toContain('200');
    expect(await visitor.call('chat:message', { clientId: '', text: 'hoi' })).toMatchObject({ ok: false, error: 'invalid', field: 'clientId' });

    // Without an acknowledgement callback the refusal comes as an error event.
    visitor.socket.emit('chat:message', { text: 42 });
    expect(await visitor.next('chat:error')).toMatchObject({ event: 'chat:message', error: 'invalid' });
    expect(visitor.socket.connected).toBe(true);

    const flood = await Promise.all(
      Array.from({ length: 60 }, (_, i) => visitor.call<{ ok: boolean; error?: string }>('chat:typing', { typing: i % 2 === 0 })),
    );
    expect(flood.some((ack) => ack.error === 'rate-limited')).toBe(true);
  });
});

describe('the chat server', () => {
  it('refuses agents without the token and pages from origins not on the allow-list', async () => {
    await expect(connect(loket.url, '/agents', { auth: { token: 'wrong-token-wrong-token', agent: 'mallory' } })).rejects.toThrow(/unauthorized/);
    await expect(connect(loket.url, '/agents')).rejects.toThrow(/unauthorized/);
    await expect(connect(loket.url, '/chat', { origin: 'https://evil.example.com' })).rejects.toThrow();
    const allowed = track(await connect(loket.url, '/chat', { origin: 'https://loket.example.org' }));
    expect(allowed.socket.connected).toBe(true);
  });

  it('lets a signed-in agent in with the workspace session', async () => {
    await createUser(loket.database.db, { email: 'sanne@example.org', name: 'Sanne', role: 'agent', password: 'een-lang-wachtwoord-42' });
    const response = await fetch(`${loket.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'sanne@example.org', password: 'een-lang-wachtwoord-42' }),
    });
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
    const sanne = track(await connect(loket.url, '/agents', { cookie }));
    const visitor = await newVisitor();
    const { conversationId } = await visitor.call<{ conversationId: string }>('chat:start', { name: 'Bo', topic: 'inloggen' });
    await visitor.call('chat:message', { clientId: 'b1', text: 'Mijn wachtwoord werkt niet.' });
    await sanne.next('agents:queue', (q: { waiting: { conversationId: string }[] }) => q.waiting.some((w) => w.conversationId === conversationId));
    expect(await sanne.call('agent:accept', { conversationId })).toMatchObject({ ok: true });
    const [row] = await loket.db!.query<{ agent: string }>(`select agent from conversations where id = $1`, [conversationId]);
    expect(row!.agent).toMatch(/^Sanne \(#\d+\)$/);
    await expect(connect(loket.url, '/agents', { cookie: 'loket_session=forged' })).rejects.toThrow(/unauthorized/);
    // A refusal speaks the language the agent chose for the workspace.
    expect(await sanne.call('agent:close', { conversationId: 'not-one' })).toMatchObject({
      ok: false,
      error: 'invalid',
      message: 'Dit veld is niet goed ingevuld: conversationId.',
    });
    await loket.db!.query(`update users set locale = 'en' where email = 'sanne@example.org'`);
    const english = track(await connect(loket.url, '/agents', { cookie }));
    expect(await english.call('agent:close', { conversationId: 'not-one' })).toMatchObject({
      ok: false,
      error: 'invalid',
      message: 'This field is not filled in correctly: conversationId.',
    });
  });

  it('serves the widget configuration with the chat topics and contact details', async () => {
    const response = await fetch(`${loket.url}/api/v1/chat/config`, { headers: { origin: 'https://loket.example.org' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://loket.example.org');
    expect(await response.json()).toEqual({
      online: true,
      topics: [
        { key: 'inloggen', label: 'Inloggen' },
        { key: 'personeelsgesprekken', label: 'Personeelsgesprekken' },
      ],
      contact: { formUrl: 'https://loket.example.org/contact', email: 'contactcenter@loket.localhost', phone: '088 0200 800' },
      maxLength: 200,
    });
    const foreign = await fetch(`${loket.url}/api/v1/chat/config`, { headers: { origin: 'https://evil.example.com' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
