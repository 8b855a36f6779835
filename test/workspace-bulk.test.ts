/**
 * A coordinator assigns, moves and closes many cases in one go: one request, an audit row per
 * case, the assignee told per case. Real: HTTP with sessions and CSRF, PostgreSQL, Redis, workers,
 * and Chromium (Debian's, via playwright-core) for the list's selection.
 */
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { ARTIFACTS, launchChromium, screenshot } from './support/browser.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let anna: number;
let coordinator: Session;
let agent: Session;
const references: string[] = [];

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '100' });
  anna = await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
  const beheer = await createUser(loket.database.db, { email: 'beheer@example.org', name: 'Beheerder', role: 'admin', password: PASSWORD });
  coordinator = await loginAs(loket.url, 'coco@example.org');
  agent = await loginAs(loket.url, 'anna@example.org');
  for (let i = 0; i < 10; i += 1) {
    references.push(
      await postWebform(loket.url, { name: `Burger ${i}`, email: `burger${i}@example.org`, subject: `Vraag ${i}`, message: 'Een vraag over verlof.' }),
    );
  }
  await waitFor(async () => {
    const [row] = await loket.db!.query<{ n: number }>(`select count(*)::int as n from cases where reference = any($1)`, [references]);
    return row!.n === 10;
  }, 'ten cases');
  expect(beheer).toBeGreaterThan(0);
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

const bulk = (session: Session, fields: [string, string][]) =>
  fetch(`${loket.url}/werkplek/zaken/bulk`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([['_csrf', session.csrfToken], ...fields]),
    redirect: 'manual',
  });

it('assigns ten cases in one request: an audit row and a notification each, back to the list it came from', async () => {
  const response = await bulk(coordinator, [
    ['actie', 'toewijzen'],
    ['assignee', String(anna)],
    ['terug', '/werkplek/zaken?view=unassigned'],
    ...references.map((reference): [string, string] => ['zaak', reference]),
  ]);
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/werkplek/zaken?view=unassigned&bijgewerkt=10');
  const assigned = await loket.db!.query<{ n: number }>(`select count(*)::int as n from cases where reference = any($1) and assignee_id = $2`, [
    references,
    anna,
  ]);
  expect(assigned[0]!.n).toBe(10);
  const audited = await loket.db!.query<{ n: number }>(
    `select count(*)::int as n from audit where action = 'case.assign' and entity_id = any($1) and actor = 'Coco Coördinator'`,
    [references],
  );
  expect(audited[0]!.n).toBe(10);
  const told = await loket.db!.query<{ n: number }>(`select count(*)::int as n from notifications where account_id = $1 and kind = 'assigned'`, [anna]);
  expect(told[0]!.n).toBe(10);
});

it('moves cases to a team and closes them; refuses an admin as assignee, an empty choice, and agents', async () => {
  const two = references.slice(0, 2);
  expect((await bulk(coordinator, [['actie', 'team'], ['team', 'Salaris'], ...two.map((r): [string, string] => ['zaak', r])])).status).toBe(303);
  const moved = await loket.db!.query<{ team: string }>(`select team from cases where reference = any($1)`, [two]);
  expect(moved.map((row) => row.team)).toEqual(['Salaris', 'Salaris']);
  expect((await bulk(coordinator, [['actie', 'sluiten'], ...two.map((r): [string, string] => ['zaak', r])])).status).toBe(303);
  const closed = await loket.db!.query<{ status: string }>(`select status from cases where reference = any($1)`, [two]);
  expect(closed.map((row) => row.status)).toEqual(['closed', 'closed']);

  const [admin] = await loket.db!.query<{ id: string }>(`select id from users where role = 'admin'`);
  expect(
    (
      await bulk(coordinator, [
        ['actie', 'toewijzen'],
        ['assignee', String(admin!.id)],
        ['zaak', references[3]!],
      ])
    ).status,
  ).toBe(400);
  const none = await bulk(coordinator, [['actie', 'sluiten']]);
  expect(none.status).toBe(400);
  expect(await none.text()).toContain('Kies eerst een of meer zaken.');
  expect(
    (
      await bulk(agent, [
        ['actie', 'sluiten'],
        ['zaak', references[4]!],
      ])
    ).status,
  ).toBe(403);
});

it('in Chromium a coordinator selects ten unassigned cases in the list and assigns them in one go', async () => {
  const fresh: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    fresh.push(await postWebform(loket.url, { name: `Nieuw ${i}`, email: `nieuw${i}@example.org`, subject: `Nieuwe vraag ${i}`, message: 'Nog een vraag.' }));
  }
  await waitFor(async () => {
    const [row] = await loket.db!.query<{ n: number }>(`select count(*)::int as n from cases where reference = any($1)`, [fresh]);
    return row!.n === 10;
  }, 'ten more cases');
  await mkdir(ARTIFACTS, { recursive: true });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const [name, value] = coordinator.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: loket.url }]);
    const page = await context.newPage();
    await page.goto(`${loket.url}/werkplek/zaken?view=unassigned`);
    for (const reference of fresh) await page.getByLabel(`Zaak ${reference} selecteren`).check();
    await page.getByLabel('Actie').selectOption({ label: 'Toewijzen aan' });
    await page.getByLabel(/^Medewerker/).selectOption({ label: 'Anna Agent' });
    await screenshot(page, 'bulk-assign');
    await page.getByRole('button', { name: 'Uitvoeren' }).click();
    await page.waitForURL(/bijgewerkt=10/);
    const [row] = await loket.db!.query<{ n: number }>(`select count(*)::int as n from cases where reference = any($1) and assignee_id = $2`, [fresh, anna]);
    expect(row!.n).toBe(10);
    await context.close();
  } finally {
    await browser.close();
  }
});
