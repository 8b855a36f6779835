/**
 * The access log (issue 20): every view of a case written with account and time, in a log the
 * application cannot rewrite (a trigger refuses it) and whose rows are chained by SHA-256 (a
 * row changed or removed behind its back is found); the privacy officer reads it, and only it.
 * Real: HTTP with sessions, PostgreSQL, Redis, the workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { appendAccess, verifyChain } from '../src/privacy/access-log.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let anna: Session;
let pia: Session;
let admin: Session;
let annaId: number;
let reference: string;

const query = <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => loket.db!.query<Row>(text, params);
const get = (session: Session, path: string) => fetch(`${loket.url}${path}`, { headers: { cookie: session.cookie }, redirect: 'manual' });
const pathOf = (url: string) => url.replace(/:[^/]+/g, 'x').replace(/\*/g, 'x');

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000' });
  annaId = await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'pia@example.org', name: 'Pia Privacy', role: 'privacy', password: PASSWORD });
  await createUser(loket.database.db, { email: 'beheer@example.org', name: 'Beheer', role: 'admin', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  pia = await loginAs(loket.url, 'pia@example.org');
  admin = await loginAs(loket.url, 'beheer@example.org');
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Sara Smit', email: 'sara@example.org', employeeNumber: 'P123456', subject: 'Salaris', message: 'Mijn salaris klopt niet.' }),
  });
  ({ reference } = (await response.json()) as { reference: string });
  await waitFor(async () => (await query(`select 1 from cases where reference = $1`, [reference])).length === 1, 'the case');
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

describe('the access log', () => {
  it('records a view of a case with account and time, and a search with its words', async () => {
    const before = Date.now();
    expect((await get(anna, `/werkplek/zaken/${reference}`)).status).toBe(200);
    expect((await get(anna, `/werkplek/zaken?q=Smit`)).status).toBe(200);
    const rows = await query<{ account_id: string; account_name: string; role: string; action: string; reference: string | null; at: Date; detail: string }>(
      `select account_id, account_name, role, action, reference, at, detail from access_log where account_id = $1 order by id`,
      [annaId],
    );
    const view = rows.find((row) => row.action === 'case.view');
    expect(view).toMatchObject({ account_id: String(annaId), account_name: 'Anna Agent', role: 'agent', reference });
    expect(view!.at.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    const search = rows.find((row) => row.action === 'case.list');
    expect(JSON.parse(search!.detail)).toMatchObject({ query: { q: 'Smit' } });
    // A case that does not exist was not seen: nothing written for it.
    expect((await get(anna, '/werkplek/zaken/ZK-1999-000001')).status).toBe(404);
    expect(await query(`select 1 from access_log where reference = 'ZK-1999-000001'`)).toEqual([]);
  });

  it('does not log what an open page does by itself (the presence beat, the draft saved as one types), and does log a change', async () => {
    const rowsOf = async () =>
      (await query<{ action: string }>(`select action from access_log where account_id = $1 and reference = $2 order by id`, [annaId, reference])).map(
        (row) => row.action,
      );
    const before = await rowsOf();
    const beat = await fetch(`${loket.url}/werkplek/zaken/${reference}/aanwezig`, {
      method: 'POST',
      headers: { cookie: anna.cookie, 'content-type': 'application/json', 'x-csrf-token': anna.csrfToken },
      body: JSON.stringify({ typing: true }),
    });
    expect(beat.status).toBe(200);
    expect((await postAs(loket.url, anna, `/werkplek/zaken/${reference}/concept`, { text: 'Beste Sara,' })).status).toBe(200);
    expect(await rowsOf()).toEqual(before);
    expect((await postAs(loket.url, anna, `/werkplek/zaken/${reference}/notitie`, { text: 'Salarisstrook opgevraagd.' })).status).toBe(303);
    expect(await rowsOf()).toEqual([...before, 'case.change.notitie']);
  });

  it('cannot be changed, removed or emptied by the application', async () => {
    await expect(query(`update access_log set action = 'niets' where reference = $1`, [reference])).rejects.toThrow(/append-only/);
    await expect(query(`delete from access_log where reference = $1`, [reference])).rejects.toThrow(/append-only/);
    await expect(query(`truncate access_log`)).rejects.toThrow(/append-only/);
    expect(await verifyChain(loket.database.db)).toMatchObject({ intact: true });
  });

  it('finds a row changed or removed behind its back (by someone who could switch the trigger off)', async () => {
    await appendAccess(
      loket.database.db,
      [1, 2, 3].map((n) => ({ account: { id: annaId, name: 'Anna Agent', role: 'agent' }, action: 'case.view', reference: `ZK-2026-90000${n}`, detail: {} })),
    );
    const [middle] = await query<{ id: string }>(`select id from access_log where reference = 'ZK-2026-900002'`);
    await query(`alter table access_log disable trigger access_log_no_rewrite`);
    try {
      await query(`update access_log set account_name = 'Iemand anders' where id = $1`, [middle!.id]);
      expect(await verifyChain(loket.database.db)).toMatchObject({ intact: false, brokenAt: Number(middle!.id), reason: 'the row was changed' });
      await query(`delete from access_log where id = $1`, [middle!.id]);
      const removed = await verifyChain(loket.database.db);
      expect(removed).toMatchObject({ intact: false, reason: 'a row before it is missing or was changed' });
      const checked = await postAs(loket.url, pia, '/privacy/keten', {});
      expect(await checked.text()).toContain('data-intact="false"');
    } finally {
      await query(`alter table access_log enable trigger access_log_no_rewrite`);
    }
  });
});

describe('the privacy officer', () => {
  it('reads the log by case, by person and by account, and sees unusual reading', async () => {
    const byCase = await (await get(pia, `/privacy?zaak=${reference}`)).text();
    expect(byCase).toContain('<td data-label="Account">Anna Agent</td>');
    expect(byCase).toMatch(/<td data-label="Handeling">case\.view<\/td>/);
    const byPerson = await (await get(pia, `/privacy?persoon=P123456`)).text();
    expect(byPerson).toContain(`<td data-label="Zaak">${reference}</td>`);
    expect(await (await get(pia, `/privacy?persoon=nobody@example.org`)).text()).toContain('Geen regels gevonden.');
    expect(await (await get(pia, `/privacy?account=${annaId}`)).text()).toContain('Anna Agent');
    expect((await get(pia, `/privacy?van=gisteren`)).status).toBe(400);

    // Bram opens 40 cases today, his colleagues 3 each: he stands out, they do not.
    const colleague = (id: number, name: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        account: { id, name, role: 'agent' },
        action: 'case.view',
        reference: `ZK-2026-8${String(id).padStart(2, '0')}${String(i).padStart(3, '0')}`,
        detail: {},
      }));
    await appendAccess(loket.database.db, [...colleague(901, 'Bram Veellezer', 40), ...colleague(902, 'Cees', 3), ...colleague(903, 'Dora', 3)]);
    const page = await (await get(pia, '/privacy')).text();
    expect(page).toMatch(/Bram Veellezer opende op \d{4}-\d{2}-\d{2} 40 zaken/);
    expect(page).not.toMatch(/Cees opende/);
  });

  it('lands on the access log at sign-in and may do nothing else; nobody else may read it', async () => {
    const login = await fetch(`${loket.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'pia@example.org', password: PASSWORD, next: '/werkplek' }),
      redirect: 'manual',
    });
    expect(login.headers.get('location')).toBe('/privacy');
    const guarded = loket.routes.filter((route) => !['public', 'metrics', 'signed-in', 'privacy'].includes(route.access) && route.method === 'GET');
    expect(guarded.length).toBeGreaterThan(10);
    for (const route of guarded) expect((await get(pia, pathOf(route.url))).status, `GET ${route.url}`).toBe(403);
    for (const session of [anna, admin]) {
      expect((await get(session, '/privacy')).status).toBe(403);
      expect((await postAs(loket.url, session, '/privacy/keten', {})).status).toBe(403);
    }
    // Signing out and the language are everyone's.
    expect((await postAs(loket.url, pia, '/werkplek/taal', { taal: 'en', terug: '/privacy' })).headers.get('location')).toBe('/privacy');
    expect(await (await get(pia, '/privacy')).text()).toContain('Access to personal data');
  });
});
