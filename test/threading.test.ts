/**
 * Threading and registration numbers under concurrency. Real PostgreSQL (a database of
 * its own) and Redis; Loket runs as ROLE=web so no worker routes behind the test's back,
 * and the test calls the router itself, in the orders and overlaps it wants.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessageInput } from '../src/message.js';
import { chatConversationPolicy } from '../channels/chat/chat.policy.js';
import { createConversation } from '../channels/chat/conversation.store.js';
import { CaseOpener, openCases, prepareOpening } from '../src/routing/case.opening.js';
import { routeMessage } from '../src/routing/route.js';
import type { ConversationPolicy, RoutingSettings } from '../src/routing/settings.js';
import { readMessages } from '../src/routing/read.js';
import { namesForNewCase } from '../src/routing/write.js';
import { threadKeys } from '../src/thread.js';
import { amsterdamDate } from '../src/calendar.js';
import { inboundMessageSchema } from '../src/message.js';
import { insertMessages, type Reservation } from '../src/message.store.js';
import { TopicCache } from '../src/topic.store.js';
import { startTestLoket, type TestLoket } from './support/loket.js';

let loket: TestLoket;
let context: RoutingSettings;

const mail = (overrides: Partial<InboundMessageInput> & { thread?: InboundMessageInput['thread'] }): InboundMessageInput => ({
  channel: 'email',
  externalId: `<${randomUUID()}@example.org>`,
  receivedAt: new Date(),
  sender: { name: 'Fatima El Amrani', email: 'fatima@example.org' },
  subject: 'Verlofaanvraag',
  text: 'Mijn verlofaanvraag staat nog open.',
  ...overrides,
});

const form = (text: string, subject = 'Declaratie reiskosten'): InboundMessageInput => ({
  channel: 'webform',
  externalId: randomUUID(),
  receivedAt: new Date(),
  sender: { name: 'Piet', email: 'piet@example.org' },
  subject,
  text,
});

const newConversation = async () =>
  (await createConversation(loket.database.db, { visitor: { name: 'Bezoeker' }, topic: 'inloggen', locale: 'nl', transcript: false, offline: false })).row.id;
const line = (conversationId: string, text: string): InboundMessageInput => ({
  channel: 'chat',
  externalId: `${conversationId}:${randomUUID()}`,
  receivedAt: new Date(),
  sender: { name: 'Bezoeker' },
  text,
  thread: { conversationId, references: [] },
  meta: { conversationId, suppressAutoReply: true },
});

/** The chat policy of the tests: logging in waits for an agent, anything else is redirected. */
const redirecting: ConversationPolicy = {
  ...chatConversationPolicy({
    chatTopics: ['inloggen'],
    topics: [],
    contact: { formUrl: 'https://loket.test/contact', email: 'loket@loket.test', phone: '0800' },
  }),
  decide: (topic) =>
    topic === 'inloggen'
      ? { state: 'waiting', closedReason: null }
      : { state: 'closed', closedReason: 'redirected', reply: { kind: 'chat-redirect', body: { nl: 'Gebruik het formulier.', en: 'Use the form.' } } },
};

const route = (messageId: number) => routeMessage(loket.database.db, context, messageId);
const caseOf = async (messageId: number) => (await loket.db!.query<{ case_id: string }>('select case_id from messages where id = $1', [messageId]))[0]!.case_id;

beforeAll(async () => {
  loket = await startTestLoket({ ROLE: 'web', WEBFORM_RATE_LIMIT_MAX: '1000' });
  context = { referencePrefix: 'ZK', mailDomain: 'loket.localhost', autoReplyLimit: 1_000, topics: await new TopicCache(loket.database.db).get() };
});

afterAll(async () => {
  await loket?.stop();
});

describe('threading', () => {
  it('two messages of one mail thread routed at the same moment open one case', async () => {
    for (let round = 0; round < 10; round += 1) {
      const rootId = `<${randomUUID()}@example.org>`;
      const first = await loket.intake.accept(mail({ externalId: rootId, thread: { messageId: rootId, references: [] } }));
      const reply = await loket.intake.accept(
        mail({ subject: 'Re: Verlofaanvraag', thread: { inReplyTo: rootId, references: [rootId], messageId: `<${randomUUID()}@example.org>` } }),
      );
      const outcomes = await Promise.all([route(reply.messageId), route(first.messageId)]);
      expect(outcomes.filter((o) => o.kind === 'routed' && o.newCase)).toHaveLength(1);
      expect(await caseOf(first.messageId)).toBe(await caseOf(reply.messageId));
    }
  });

  it('a reply to the acknowledgement mail joins the case through its Message-ID', async () => {
    const first = await loket.intake.accept(mail({}));
    const outcome = await route(first.messageId);
    expect(outcome.kind).toBe('routed');
    const outboxId = outcome.kind === 'routed' ? outcome.outboxIds[0] : undefined;
    const ackId = `<loket.outbox.${outboxId}@loket.localhost>`;
    const reply = await loket.intake.accept(mail({ subject: 'Re: uw bericht', thread: { inReplyTo: ackId, references: [ackId] } }));
    await route(reply.messageId);
    expect(await caseOf(reply.messageId)).toBe(await caseOf(first.messageId));
  });

  it('a follow-up quoting a number reserved at intake joins that case, even when it is routed first', async () => {
    const first = await loket.intake.accept(form('Mijn declaratie is niet uitbetaald.'), [], { reserveReference: true });
    const followUp = await loket.intake.accept(form('Nog een bonnetje.', `Aanvulling ${first.reference}`), [], { reserveReference: true });
    expect(followUp.reference).toBe(first.reference);
    expect(followUp.statusToken, 'quoting a number proves nothing: no case page').toBeUndefined();

    await Promise.all([route(followUp.messageId), route(first.messageId)]);
    const rows = await loket.db!.query<{ reference: string; status_token: string }>(
      'select c.reference, c.status_token from cases c join messages m on m.case_id = c.id where m.id = any($1)',
      [[first.messageId, followUp.messageId]],
    );
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.reference))).toEqual(new Set([first.reference]));
    expect(rows[0]!.status_token).toBe(first.statusToken);
  });

  it('a follow-up that also quotes another number joins the case its first message opens at the same moment', async () => {
    for (let round = 0; round < 10; round += 1) {
      const other = await loket.intake.accept(form('Een eerdere vraag.', 'Verlof'), [], { reserveReference: true });
      const first = await loket.intake.accept(form('Mijn declaratie is niet uitbetaald.', 'Declaratie'), [], { reserveReference: true });
      // Named by its own number only, the first message is routed without locks; the
      // follow-up quotes a second number too and is routed under the locks.
      const followUp = await loket.intake.accept(form(`Zie ook ${other.reference}.`, `Aanvulling ${first.reference}`), [], {
        reserveReference: true,
      });
      expect(followUp.reference).toBe(first.reference);
      const outcomes = await Promise.all([route(followUp.messageId), route(first.messageId)]);
      expect(outcomes.filter((o) => o.kind === 'routed' && o.newCase)).toHaveLength(1);
      expect(await caseOf(first.messageId)).toBe(await caseOf(followUp.messageId));
    }
  });

  it('routing a message twice changes nothing the second time', async () => {
    const accepted = await loket.intake.accept(mail({}));
    const once = await route(accepted.messageId);
    const twice = await route(accepted.messageId);
    expect(once.kind).toBe('routed');
    expect(twice).toEqual({ kind: 'already-routed', channel: 'email', caseId: Number(await caseOf(accepted.messageId)) });
    const acks = await loket.db!.query('select id from outbox where message_id = $1', [accepted.messageId]);
    expect(acks).toHaveLength(1);
  });

  it('a message quoting a closed case opens a new case', async () => {
    const first = await loket.intake.accept(mail({}));
    const outcome = await route(first.messageId);
    if (outcome.kind !== 'routed') throw new Error('not routed');
    await loket.db!.query(`update cases set status = 'closed' where id = $1`, [outcome.caseId]);
    const later = await loket.intake.accept(mail({ subject: `Nogmaals ${outcome.reference}` }));
    const again = await route(later.messageId);
    expect(again.kind === 'routed' && again.newCase).toBe(true);
    expect(again.kind === 'routed' && again.reference).not.toBe(outcome.reference);
  });
});

describe('chat lines', () => {
  const caseOfConversation = async (conversationId: string) =>
    (await loket.db!.query<{ case_id: string | null }>('select case_id from conversations where id = $1', [conversationId]))[0]!.case_id;

  it('three lines of a new conversation routed at the same moment open one case, and the conversation points at it', async () => {
    for (let round = 0; round < 10; round += 1) {
      const conversationId = await newConversation();
      const lines = [];
      for (const text of ['Ik kan niet inloggen.', 'Mijn wachtwoord werkt niet.', 'Hallo?']) lines.push(await loket.intake.accept(line(conversationId, text)));
      const outcomes = await Promise.all(lines.map((accepted) => route(accepted.messageId)));
      expect(outcomes.filter((o) => o.kind === 'routed' && o.newCase)).toHaveLength(1);
      const cases = new Set(await Promise.all(lines.map((accepted) => caseOf(accepted.messageId))));
      expect(cases.size).toBe(1);
      expect(await caseOfConversation(conversationId)).toBe([...cases][0]);
    }
  });

  it('decides the conversation in the statement that opens its case: once, with one closing answer, however many lines race', async () => {
    const deciding = { ...context, conversationPolicy: redirecting, claimReplies: true };
    for (const [text, state] of [
      ['Mijn salarisstrook klopt niet.', 'closed'],
      ['Ik kan niet inloggen.', 'waiting'],
    ] as const) {
      for (let round = 0; round < 5; round += 1) {
        const conversationId = await newConversation();
        const lines = [];
        for (let i = 0; i < 3; i += 1) lines.push(await loket.intake.accept(line(conversationId, `${text} (${i})`)));
        const outcomes = await Promise.all(lines.map((accepted) => routeMessage(loket.database.db, deciding, accepted.messageId)));
        const decided = outcomes.flatMap((o) => (o.kind === 'routed' && o.decided ? [o] : []));
        expect(decided.map((o) => o.decided)).toEqual([{ state }]);
        const [conversation] = await loket.db!.query<{ state: string; closed_reason: string | null; case_id: string }>(
          'select state, closed_reason, case_id from conversations where id = $1',
          [conversationId],
        );
        expect(conversation).toMatchObject({ state, closed_reason: state === 'closed' ? 'redirected' : null, case_id: String(decided[0]!.caseId) });
        const answers = await loket.db!.query<{ body: string; status: string }>(`select body, status from outbox where meta->>'conversationId' = $1`, [
          conversationId,
        ]);
        expect(answers).toEqual(state === 'closed' ? [{ body: 'Gebruik het formulier.', status: 'sending' }] : []);
        expect(decided[0]!.kind === 'routed' && decided[0]!.claimed.map((c) => c.row.body)).toEqual(state === 'closed' ? ['Gebruik het formulier.'] : []);
      }
    }
  });

  it("a line after its conversation's case was closed opens a new case, which later lines join", async () => {
    const conversationId = await newConversation();
    const first = await loket.intake.accept(line(conversationId, 'Ik kan niet inloggen.'));
    const opened = await route(first.messageId);
    if (opened.kind !== 'routed') throw new Error('not routed');
    expect(await route((await loket.intake.accept(line(conversationId, 'Nog een vraag.'))).messageId)).toMatchObject({ caseId: opened.caseId, newCase: false });

    await loket.db!.query(`update cases set status = 'closed' where id = $1`, [opened.caseId]);
    const later = await route((await loket.intake.accept(line(conversationId, 'Het lukt weer niet.'))).messageId);
    expect(later).toMatchObject({ kind: 'routed', newCase: true });
    const laterCase = later.kind === 'routed' ? later.caseId : -1;
    expect(laterCase).not.toBe(opened.caseId);
    expect(Number(await caseOfConversation(conversationId))).toBe(laterCase);
    expect(await route((await loket.intake.accept(line(conversationId, 'Dank u.'))).messageId)).toMatchObject({ caseId: laterCase, newCase: false });
  });
});

describe('chat lines quoting numbers', () => {
  it("a line that quotes another person's open case stays in its conversation's case, which is marked as mentioning that number", async () => {
    const other = await route((await loket.intake.accept(mail({}))).messageId);
    if (other.kind !== 'routed') throw new Error('not routed');
    const { row } = await createConversation(loket.database.db, {
      visitor: { name: 'Bezoeker' },
      topic: 'inloggen',
      locale: 'nl',
      transcript: false,
      offline: false,
    });
    const say = async (text: string) =>
      route(
        (
          await loket.intake.accept({
            channel: 'chat',
            externalId: `${row.id}:${randomUUID()}`,
            receivedAt: new Date(),
            sender: { name: 'Bezoeker' },
            text,
            thread: { conversationId: row.id, references: [] },
            meta: { conversationId: row.id, suppressAutoReply: true },
          })
        ).messageId,
      );
    const own = await say('Ik kan niet inloggen.');
    if (own.kind !== 'routed') throw new Error('not routed');
    expect(await say(`Het gaat ook over ${other.reference}.`)).toMatchObject({ caseId: own.caseId, newCase: false });
    const [conversation] = await loket.db!.query<{ case_id: string }>('select case_id from conversations where id = $1', [row.id]);
    expect(Number(conversation!.case_id)).toBe(own.caseId);
    const [marked] = await loket.db!.query<{ attention: string; mentions: string[] }>('select attention, mentions from cases where id = $1', [own.caseId]);
    expect(marked).toEqual({ attention: 'mentions-case', mentions: [other.reference] });
    expect(await say('Nog een vraag.')).toMatchObject({ caseId: own.caseId, newCase: false });
  });
});

describe('intake', () => {
  it('takes the same message ten times at once as one message, and answers every caller', async () => {
    const same = mail({});
    const results = await Promise.all(Array.from({ length: 10 }, () => loket.intake.accept(same)));
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  });
});

describe('automatic replies', () => {
  it('stop at AUTO_REPLY_LIMIT per sender per 24 hours, and count per address', async () => {
    const limited = { ...context, autoReplyLimit: 2 };
    const from = (email: string) => mail({ sender: { email } });
    const acks = async (email: string) => {
      for (let i = 0; i < 3; i += 1) await routeMessage(loket.database.db, limited, (await loket.intake.accept(from(email))).messageId);
      const rows = await loket.db!.query(`select id from outbox where recipient->>'email' = $1`, [email]);
      return rows.length;
    };
    expect(await acks('robot@example.org')).toBe(2);
    expect(await acks('ROBOT@example.org')).toBe(0);
    expect(await acks('mens@example.org')).toBe(2);
  });
});

describe('registration numbers', () => {
  it('are unique and without gaps when 60 form messages arrive at once', async () => {
    const before = await loket.db!.query<{ last: number }>(`select last from reference_counters where prefix = 'ZK'`);
    const start = before[0]?.last ?? 0;
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(`${loket.url}/api/v1/webform`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Persoon ${i}`, email: `p${i}@example.org`, subject: 'Vraag', message: 'Een vraag over verlof.' }),
        }).then(async (r) => ((await r.json()) as { reference: string }).reference),
      ),
    );
    const serials = responses.map((reference) => Number(reference.slice(-6))).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 60 }, (_, i) => start + i + 1));
  });
});

describe('registration numbers in batches', () => {
  const year = Number(amsterdamDate(new Date()).slice(0, 4));
  const last = async () =>
    Number((await loket.db!.query<{ last: number }>(`select last from reference_counters where prefix = 'ZK' and year = $1`, [year]))[0]?.last ?? 0);
  const fresh = (): Reservation => ({ kind: 'new', prefix: 'ZK', year, statusToken: randomUUID() });

  it('numbers a batch in its order; a message stored before, or repeated in the batch, takes no number', async () => {
    const storedBefore = form('Al eerder ontvangen.');
    await loket.intake.accept(storedBefore);
    const [a, b, none] = [form('Eerste.'), form('Tweede.'), form('Zonder nummer.')];
    const known: Reservation = { kind: 'known', reference: 'ZK-2020-000042' };
    const start = await last();
    const results = await insertMessages(
      loket.database.db,
      [
        { message: a, reservation: fresh() },
        { message: storedBefore, reservation: fresh() },
        { message: b, reservation: fresh() },
        { message: a, reservation: fresh() },
        { message: none, reservation: { kind: 'none' } as Reservation },
        { message: form('Citeert een zaak.'), reservation: known },
      ].map(({ message, reservation }) => ({ message: inboundMessageSchema.parse(message), reservation })),
    );
    const references = results.map((r) => (r === 'duplicate' ? r : r.reference));
    const serial = (n: number) => `ZK-${year}-${String(start + n).padStart(6, '0')}`;
    expect(references).toEqual([serial(1), 'duplicate', serial(2), 'duplicate', null, 'ZK-2020-000042']);
    expect(await last(), 'the counter moved by the numbers used').toBe(start + 2);
  });

  it('gives a burst with repeated submissions one message and one number per submission, without gaps', async () => {
    const start = await last();
    const repeated = form('Dezelfde inzending, vaak verstuurd.');
    const messages = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? repeated : form(`Vraag ${i}.`)));
    const results = await Promise.all(messages.map((m) => loket.intake.accept(m, [], { reserveReference: true })));
    const ofRepeated = results.filter((_, i) => i % 4 === 0);
    expect(new Set(ofRepeated.map((r) => r.messageId)).size).toBe(1);
    expect(new Set(ofRepeated.map((r) => r.reference)).size).toBe(1);
    expect(ofRepeated.filter((r) => !r.duplicate)).toHaveLength(1);
    const serials = [...new Set(results.map((r) => Number(r.reference!.slice(-6))))].sort((x, y) => x - y);
    expect(serials).toEqual(Array.from({ length: 31 }, (_, i) => start + i + 1));
    expect(await last()).toBe(start + 31);
  });
});

describe('cases opened in batches', () => {
  const year = Number(amsterdamDate(new Date()).slice(0, 4));
  const last = async () =>
    Number((await loket.db!.query<{ last: number }>(`select last from reference_counters where prefix = 'ZK' and year = $1`, [year]))[0]?.last ?? 0);
  const serial = (n: number) => `ZK-${year}-${String(n).padStart(6, '0')}`;
  const deciding = () => ({ ...context, conversationPolicy: redirecting, claimReplies: true });

  it('one statement opens each case as alone: numbers in order for those it opens, none for the rest, one case per conversation', async () => {
    const [a, b, c] = [await newConversation(), await newConversation(), await newConversation()];
    const routedBefore = await loket.intake.accept(line(c, 'Al eerder gerouteerd.'));
    await route(routedBefore.messageId);
    const d = await newConversation();
    const accepted = [
      await loket.intake.accept(line(a, 'Ik kan niet inloggen.')),
      await loket.intake.accept(line(b, 'Mijn salarisstrook klopt niet.')),
      await loket.intake.accept(line(a, 'Nog een regel van a.')),
      routedBefore,
      await loket.intake.accept(form('Een vraag over mijn declaratie.'), [], { reserveReference: true }),
      await loket.intake.accept(line(d, 'Ik kan niet inloggen.')),
    ];
    const messages = await readMessages(
      loket.database.db,
      accepted.map((m) => m.messageId),
    );
    const openings = messages.map((message) => {
      if (!message) throw new Error('message not stored');
      const conversationId = message.thread.conversationId;
      const names = conversationId ? namesForNewCase(context, message, []) : { number: { reference: message.reference! }, statusToken: message.statusToken! };
      const conversation = conversationId ? { id: conversationId, onlyFirst: true, policy: redirecting } : undefined;
      return prepareOpening(deciding(), { message, names, keys: threadKeys(message.channel, message.thread), conversation });
    });
    const start = await last();

    const opened = await openCases(loket.database.db, openings);

    expect(opened.map((o) => o?.reference)).toEqual([serial(start + 1), serial(start + 2), undefined, undefined, accepted[4]!.reference, serial(start + 3)]);
    expect(await last(), 'a number for each case opened, none for the rest').toBe(start + 3);
    expect(opened.map((o) => o?.decided?.state)).toEqual(['waiting', 'closed', undefined, undefined, undefined, 'waiting']);
    expect(opened[1]!.claimed.map((row) => row.row.body)).toEqual(['Gebruik het formulier.']);
    const ack = opened[4]!.claimed[0]!.row;
    expect(ack.kind).toBe('acknowledgement');
    expect(ack.body).toContain(accepted[4]!.reference);
    const conversations = await loket.db!.query<{ id: string; state: string; case_id: string }>(
      'select id, state, case_id from conversations where id = any($1)',
      [[a, b, d]],
    );
    expect(Object.fromEntries(conversations.map((row) => [row.id, [row.state, Number(row.case_id)]]))).toEqual({
      [a]: ['waiting', opened[0]!.caseId],
      [b]: ['closed', opened[1]!.caseId],
      [d]: ['waiting', opened[5]!.caseId],
    });
    // The second line of a waits, unrouted, for the careful way, which joins it to a's case.
    expect(await route(accepted[2]!.messageId)).toMatchObject({ kind: 'routed', caseId: opened[0]!.caseId, newCase: false });
    const audited = await loket.db!.query<{ n: number }>(`select count(*)::int as n from audit where action = 'case.opened' and data->>'messageId' = any($1)`, [
      accepted.map((m) => String(m.messageId)),
    ]);
    expect(audited[0]!.n).toBe(5); // four here, and the line routed before
  });

  it('routers at once share statements through an opener: one case per conversation, every number used, each conversation decided once', async () => {
    const opener = new CaseOpener(loket.database.db);
    const sharing = deciding();
    const conversations = await Promise.all(Array.from({ length: 30 }, () => newConversation()));
    const lines = [];
    for (const id of conversations) {
      lines.push(await loket.intake.accept(line(id, 'Mijn salarisstrook klopt niet.')), await loket.intake.accept(line(id, 'Hallo?')));
    }
    const start = await last();
    const outcomes = await Promise.all(lines.map((accepted) => routeMessage(loket.database.db, sharing, accepted.messageId, { opener })));
    const opened = outcomes.flatMap((o) => (o.kind === 'routed' && o.newCase ? [o] : []));
    expect(opened).toHaveLength(30);
    expect(opened.map((o) => o.reference).sort()).toEqual(Array.from({ length: 30 }, (_, i) => serial(start + i + 1)));
    expect(opened.filter((o) => o.decided?.state === 'closed')).toHaveLength(30);
    const rows = await loket.db!.query<{ state: string; cases: number; redirects: number }>(
      `select cv.state, (select count(distinct m.case_id) from messages m where m.thread->>'conversationId' = cv.id)::int as cases,
              (select count(*) from outbox o where o.meta->>'conversationId' = cv.id)::int as redirects
         from conversations cv where cv.id = any($1)`,
      [conversations],
    );
    expect(rows.map((row) => [row.state, row.cases, row.redirects])).toEqual(conversations.map(() => ['closed', 1, 1]));
  });
});
