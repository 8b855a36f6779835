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
