/**
 * Search in the workspace and a person's history. Real: HTTP with sessions, PostgreSQL
 * (full-text search with the Dutch configuration, pg_trgm), Redis and the workers. One run
 * on PGlite too: the embedded database has the same search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { searchTerms } from '../src/workspace/search.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let anna: Session;
const refs: Record<string, string> = {};

async function form(key: string, fields: Record<string, string>): Promise<void> {
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  expect(response.status).toBe(202);
  const { reference } = (await response.json()) as { reference: string };
  refs[key] = reference;
  await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length > 0, `case ${key}`);
}

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '100' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  await form('bob1', {
    name: 'Bob Janssen',
    email: 'bob@example.org',
    employeeNumber: '104882',
    subject: 'Declaratie',
    message: 'Mijn declaratie van de reiskosten is niet betaald.',
  });
  await form('bob2', { name: 'B. Janssen', email: 'bob@example.org', subject: 'Verlof', message: 'Hoeveel verlofdagen heb ik nog?' });
  await form('bob3', { name: 'Bob', email: 'andere@example.org', employeeNumber: '104882', subject: 'Loonstrook', message: 'Waar vind ik mijn loonstrook?' });
  await form('eva', { name: 'Eva de Wit', email: 'eva@example.org', subject: 'Thuiswerken', message: 'Krijg ik een thuiswerkvergoeding?' });
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

const search = async (q: string) => {
  const response = await fetch(`${loket.url}/werkplek/zaken?q=${encodeURIComponent(q)}`, { headers: { cookie: anna.cookie }, redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), html: await response.text() };
};
const found = (html: string) => [...html.matchAll(/<tr data-reference="([^"]+)"/g)].map((m) => m[1]!);

describe('search', () => {
  it('finds a person by a name spelled differently, by e-mail address and by employee number', async () => {
    expect(found((await search('Jansen')).html)).toEqual(expect.arrayContaining([refs['bob1'], refs['bob2']]));
    expect(found((await search('Jansen')).html)).not.toContain(refs['eva']);
    expect(found((await search('BOB@example.org')).html).sort()).toEqual([refs['bob1'], refs['bob2']].sort());
    expect(found((await search('104882')).html).sort()).toEqual([refs['bob1'], refs['bob3']].sort());
  });

  it('finds words of a message in another Dutch form, and goes straight to a registration number', async () => {
    expect(found((await search('declaraties')).html)).toEqual([refs['bob1']]);
    expect(found((await search('thuiswerkvergoeding')).html)).toEqual([refs['eva']]);
    const exact = await search(refs['eva']!.toLowerCase());
    expect(exact.status).toBe(303);
    expect(exact.location).toBe(`/werkplek/zaken/${refs['eva']}`);
    const nothing = await search('zonnepanelen');
    expect(nothing.html).toContain('Niets gevonden voor “zonnepanelen”.');
  });

  it('shows the newest cases that have a common word, not any cases that have it', async () => {
    // 500 cases a minute apart, each with one message naming a parking permit: more than the search reads.
    await loket.db!.query(
      `with opened as (
         insert into cases (reference, channel, topic, subject, sender, status_token, answer_by, created_at)
         select 'ZK-2026-8' || lpad(g::text, 5, '0'), 'webform', 'overig', 'Parkeren', '{"name": "Burger"}'::jsonb, 'p-' || g, date '2026-12-01',
                timestamptz '2026-01-01 08:00:00+00' + g * interval '1 minute'
           from generate_series(1, 500) g
         returning id, created_at)
       insert into messages (channel, external_id, received_at, sender, subject, text, thread, meta, case_id, routed_at)
       select 'webform', 'parkeren-' || id, created_at, '{"name": "Burger"}'::jsonb, 'Parkeren', 'Wanneer krijg ik mijn parkeervergunning?',
              '{"references": []}'::jsonb, '{}'::jsonb, id, created_at
         from opened order by id`,
    );
    const newest = Array.from({ length: 50 }, (_, i) => `ZK-2026-8${String(500 - i).padStart(5, '0')}`);
    const result = await search('parkeervergunningen');
    expect(result.html).toContain('De eerste 50 zaken');
    expect(found(result.html)).toEqual(newest);
  });

  it('finds older cases with a word too when the newest messages with it are one long chat', async () => {
    const write = (reference: string, lines: number) =>
      loket.db!.query(
        `with opened as (
           insert into cases (reference, channel, topic, subject, sender, status_token, answer_by)
           values ($1, 'chat', 'overig', 'Chat', '{"name": "Burger"}'::jsonb, $1, date '2026-12-01') returning id)
         insert into messages (channel, external_id, received_at, sender, subject, text, thread, meta, case_id, routed_at)
         select 'chat', $1 || '-' || g, now(), '{"name": "Burger"}'::jsonb, '', 'Hoe werkt het fietsplan precies?', '{"references": []}'::jsonb, '{}'::jsonb, id, now()
           from opened, generate_series(1, $2::int) g`,
        [reference, lines],
      );
    for (const reference of ['ZK-2026-700001', 'ZK-2026-700002', 'ZK-2026-700003']) await write(reference, 1);
    await write('ZK-2026-700004', 250);
    expect(found((await search('fietsplan')).html).sort()).toEqual(['ZK-2026-700001', 'ZK-2026-700002', 'ZK-2026-700003', 'ZK-2026-700004']);
  });

  it('takes plural and diminutive endings off the words it looks for', () => {
    expect(searchTerms('Declaraties verlofdagen briefjes')).toEqual(['declaratie', 'verlofdag', 'brief']);
  });
});

describe("a person's history", () => {
  it('shows beside a case the other cases of the same address or employee number, never a stranger’s', async () => {
    const page = await (await fetch(`${loket.url}/werkplek/zaken/${refs['bob1']}`, { headers: { cookie: anna.cookie } })).text();
    const history = /<section id="person-history"[\s\S]*?<\/section>/.exec(page)![0];
    expect([...history.matchAll(/data-reference="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([refs['bob2'], refs['bob3']].sort());
    const evas = await (await fetch(`${loket.url}/werkplek/zaken/${refs['eva']}`, { headers: { cookie: anna.cookie } })).text();
    expect(/<section id="person-history"[\s\S]*?<\/section>/.exec(evas)![0]).toContain('Geen andere zaken');
  });

  it('links three cases of one caller whose number was written three ways, each page showing the other two', async () => {
    // Written as the phone channel or an older import may have kept them: the number as typed.
    const callers: [string, string, string][] = [
      ['ZK-2026-900001', 'Carla Smit', '+31 6-1234 5678'],
      ['ZK-2026-900002', 'C. Smit', '0031612345678'],
      ['ZK-2026-900003', 'Carla', '06 12345678'],
      ['ZK-2026-900004', 'Carla Smit', '06 87654321'],
    ];
    for (const [reference, name, phone] of callers) {
      await loket.db!.query(
        `insert into cases (reference, channel, topic, subject, sender, status_token, answer_by)
         values ($1, 'phone', 'overig', 'Telefoongesprek', jsonb_build_object('name', $2::text, 'phone', $3::text), $1, date '2026-12-01')`,
        [reference, name, phone],
      );
    }
    const historyOf = async (reference: string) => {
      const page = await (await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: anna.cookie } })).text();
      const section = /<section id="person-history"[\s\S]*?<\/section>/.exec(page)![0];
      return [...section.matchAll(/data-reference="([^"]+)"/g)].map((m) => m[1]!).sort();
    };
    expect(await historyOf('ZK-2026-900001')).toEqual(['ZK-2026-900002', 'ZK-2026-900003']);
    expect(await historyOf('ZK-2026-900002')).toEqual(['ZK-2026-900001', 'ZK-2026-900003']);
    expect(await historyOf('ZK-2026-900003')).toEqual(['ZK-2026-900001', 'ZK-2026-900002']);
    // The same name with another number is someone else.
    expect(await historyOf('ZK-2026-900004')).toEqual([]);
    expect(found((await search('06-12345678')).html).sort()).toEqual(['ZK-2026-900001', 'ZK-2026-900002', 'ZK-2026-900003']);
  });
});

describe('on the embedded database (PGlite)', () => {
  it('searches the same way', async () => {
    const embedded = await startTestLoket({ LOGIN_RATE_LIMIT: '1000' }, { embedded: true });
    try {
      await createUser(embedded.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
      const session = await loginAs(embedded.url, 'anna@example.org');
      const response = await fetch(`${embedded.url}/api/v1/webform`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bob Janssen', email: 'bob@example.org', subject: 'Declaratie', message: 'Mijn declaratie is niet betaald.' }),
      });
      const { reference } = (await response.json()) as { reference: string };
      const hits = async (q: string) =>
        found(await (await fetch(`${embedded.url}/werkplek/zaken?q=${encodeURIComponent(q)}`, { headers: { cookie: session.cookie } })).text());
      await waitFor(async () => (await hits('Jansen')).includes(reference), 'the case found by name on PGlite');
      expect(await hits('declaraties')).toEqual([reference]);
    } finally {
      await embedded.stop();
    }
  });
});
