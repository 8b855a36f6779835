/**
 * Notifications: a citizen's reply on an agent's case (and, through the workspace, an
 * assignment and an @mention) reaches that agent alone: in the list at /werkplek/meldingen
 * and live on their event stream. Real: HTTP with sessions and CSRF, PostgreSQL, Redis
 * (queues and pub/sub), BullMQ workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { mentionsIn } from '../src/workspace/notifications.js';
import { listen, type LiveStream } from './support/live-stream.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let anna: Session;
let bram: Session;
let annaId: number;
const streams: LiveStream[] = [];

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '100' });
  annaId = await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'bram@example.org', name: 'Bram Collega', role: 'agent', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  bram = await loginAs(loket.url, 'bram@example.org');
}, 60_000);

afterAll(async () => {
  for (const stream of streams) stream.close();
  await loket?.stop();
});

const postForm = async (fields: Record<string, string>) => {
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { reference: string };
};

const page = (session: Session, path: string) => fetch(`${loket.url}${path}`, { headers: { cookie: session.cookie, accept: 'text/html' }, redirect: 'manual' });

describe('mentions', () => {
  const people = [
    { id: 1, name: 'Anna Agent' },
    { id: 2, name: 'Bram Collega' },
    { id: 3, name: 'Bram de Vries' },
  ];
  it('finds a whole name, or a first name only one account has; not an e-mail address or a word that goes on', () => {
    expect(mentionsIn('Kun jij kijken, @Anna?', people)).toEqual([1]);
    expect(mentionsIn('@anna agent weet dit', people)).toEqual([1]);
    expect(mentionsIn('@Bram, wil jij?', people), 'two Brams: the first name is not enough').toEqual([]);
    expect(mentionsIn('@Bram de Vries en @Bram Collega', people)).toEqual([2, 3]);
    expect(mentionsIn('mail naar info@anna.nl of @Annabel', people)).toEqual([]);
  });
});

describe("a citizen's reply on an assigned case", () => {
  it('tells the assignee alone, in the list and live; opening it marks it read and leads to the case', async () => {
    const annaStream = await listen(loket.url, { cookie: anna.cookie });
    const bramStream = await listen(loket.url, { cookie: bram.cookie });
    streams.push(annaStream, bramStream);

    const first = await postForm({ name: 'Joost Bakker', email: 'joost@example.org', subject: 'Reiskosten', message: 'Mijn reiskosten zijn niet vergoed.' });
    const caseId = await waitFor(async () => {
      const [row] = await loket.db!.query<{ id: string }>(`select id from cases where reference = $1`, [first.reference]);
      return row && Number(row.id);
    }, 'the case');
    await loket.db!.query(`update cases set assignee_id = $1 where id = $2`, [annaId, caseId]);

    await postForm({ name: 'Joost Bakker', email: 'joost@example.org', subject: `Aanvulling ${first.reference}`, message: 'Hierbij het bonnetje.' });
    const event = await waitFor(
      async () => annaStream.events.find((e) => e.event === 'notification')?.data as { kind: string; reference: string; text: string; id: number } | undefined,
      'the notification on Anna’s stream',
    );
    expect(event).toMatchObject({ kind: 'reply', reference: first.reference, text: `Nieuw bericht van Joost Bakker op zaak ${first.reference}.` });
    expect(
      bramStream.events.some((e) => e.event === 'notification'),
      'Bram hears nothing of Anna’s notifications',
    ).toBe(false);

    expect(await (await page(anna, '/werkplek/meldingen/aantal')).json()).toEqual({ unread: 1 });
    const list = await (await page(anna, '/werkplek/meldingen')).text();
    expect(list).toContain(`Nieuw bericht van Joost Bakker op zaak ${first.reference}.`);
    expect(await (await page(bram, '/werkplek/meldingen')).text()).not.toContain(first.reference);

    expect((await page(bram, `/werkplek/meldingen/${event.id}`)).status, 'not Bram’s to open').toBe(404);
    const opened = await page(anna, `/werkplek/meldingen/${event.id}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/werkplek/zaken/${first.reference}`);
    expect(await (await page(anna, '/werkplek/meldingen/aantal')).json()).toEqual({ unread: 0 });
  });

  it('tells nobody of a first message, or of a case nobody has', async () => {
    const lone = await postForm({ name: 'Els', email: 'els@example.org', subject: 'Verlof', message: 'Verlof aanvragen.' });
    await postForm({ name: 'Els', email: 'els@example.org', subject: `Over ${lone.reference}`, message: 'Nog een vraag.' });
    await waitFor(async () => {
      const [row] = await loket.db!.query<{ n: number }>(`select count(*)::int as n from messages m join cases c on c.id = m.case_id where c.reference = $1`, [
        lone.reference,
      ]);
      return row!.n === 2;
    }, 'both messages routed');
    const rows = await loket.db!.query(`select 1 from notifications n join cases c on c.id = n.case_id where c.reference = $1`, [lone.reference]);
    expect(rows).toEqual([]);
  });
});

describe('assignment and @mentions', () => {
  /** Bram's form post in the workspace. */
  const post = (path: string, fields: Record<string, string>) => postAs(loket.url, bram, path, fields);

  it('tell the colleague assigned or named, once, never the writer', async () => {
    const made = await postForm({ name: 'Sara', email: 'sara@example.org', subject: 'Salaris', message: 'Vraag over mijn salaris.' });
    await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [made.reference])).length > 0, 'the case');
    expect((await post(`/werkplek/zaken/${made.reference}/toewijzen`, { assignee: String(annaId) })).status).toBe(303);
    expect((await post(`/werkplek/zaken/${made.reference}/notitie`, { text: '@Anna kun jij dit oppakken? Ik (@Bram Collega) weet het niet.' })).status).toBe(
      303,
    );
    const rows = await loket.db!.query<{ account_id: string; kind: string; text: string }>(
      `select n.account_id, n.kind, n.text from notifications n join cases c on c.id = n.case_id where c.reference = $1 order by n.id`,
      [made.reference],
    );
    expect(rows.map((row) => [Number(row.account_id), row.kind])).toEqual([
      [annaId, 'assigned'],
      [annaId, 'mention'],
    ]);
    expect(rows[0]!.text).toContain(`Bram Collega heeft zaak ${made.reference} aan u toegewezen`);
    expect(rows[1]!.text).toBe(`Bram Collega noemt u in een notitie op zaak ${made.reference}.`);
  });

  it('tell each colleague in their own language', async () => {
    const evaId = await createUser(loket.database.db, { email: 'eva@example.org', name: 'Eva Expat', role: 'agent', password: PASSWORD });
    await loket.db!.query(`update users set locale = 'en' where id = $1`, [evaId]);
    const made = await postForm({ name: 'Sara', email: 'sara@example.org', subject: 'Verlof', message: 'Vraag over mijn verlof.' });
    await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [made.reference])).length > 0, 'the case');
    expect((await post(`/werkplek/zaken/${made.reference}/toewijzen`, { assignee: String(evaId) })).status).toBe(303);
    expect((await post(`/werkplek/zaken/${made.reference}/notitie`, { text: '@Eva en @Anna, kijken jullie mee?' })).status).toBe(303);
    const rows = await loket.db!.query<{ account_id: string; kind: string; text: string }>(
      `select n.account_id, n.kind, n.text from notifications n join cases c on c.id = n.case_id where c.reference = $1 order by n.id`,
      [made.reference],
    );
    expect(rows.map((row) => [Number(row.account_id), row.kind, row.text])).toEqual([
      [evaId, 'assigned', `Bram Collega assigned case ${made.reference} to you: Verlof`],
      [annaId, 'mention', `Bram Collega noemt u in een notitie op zaak ${made.reference}.`],
      [evaId, 'mention', `Bram Collega mentions you in a note on case ${made.reference}.`],
    ]);
  });
});
