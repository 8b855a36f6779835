/**
 * The coordinators' workload page against hand-counted cases: per agent open, due today,
 * overdue and chats held; per team open, unassigned, due today and overdue; waiting chats.
 * Real: HTTP with sessions, PostgreSQL, Redis and the workers; the clock is fixed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD } from './support/session.js';
import { waitFor } from './support/wait.js';

/** Tuesday 24 November 2026, 10:00 in Amsterdam. */
const NOW = new Date('2026-11-24T09:00:00Z');
let loket: TestLoket;
let anna: number;
let bram: number;

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '100' }, { clock: () => NOW });
  anna = await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  bram = await createUser(loket.database.db, { email: 'bram@example.org', name: 'Bram Collega', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
  await createUser(loket.database.db, { email: 'beheer@example.org', name: 'Beheerder', role: 'admin', password: PASSWORD });
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

async function caseWith(values: { team: string; assignee: number | null; answerBy: string; status?: 'open' | 'closed' }): Promise<void> {
  const reference = await postWebform(loket.url, { name: 'Burger', email: `b${Math.random()}@example.org`, subject: 'Vraag', message: 'Een vraag.' });
  await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length > 0, 'the case');
  await loket.db!.query(`update cases set team = $2, assignee_id = $3, answer_by = $4, status = $5 where reference = $1`, [
    reference,
    values.team,
    values.assignee,
    values.answerBy,
    values.status ?? 'open',
  ]);
}

it('counts open cases per agent and team as a coordinator would by hand; agents may not see it', async () => {
  await caseWith({ team: 'Salaris', assignee: anna, answerBy: '2026-11-24' }); // due today
  await caseWith({ team: 'Salaris', assignee: anna, answerBy: '2026-11-20' }); // overdue
  await caseWith({ team: 'Salaris', assignee: anna, answerBy: '2026-11-30' });
  await caseWith({ team: 'Salaris', assignee: anna, answerBy: '2026-11-10', status: 'closed' }); // closed: not counted
  await caseWith({ team: 'Verlof', assignee: bram, answerBy: '2026-11-23' }); // overdue
  await caseWith({ team: 'Verlof', assignee: null, answerBy: '2026-11-24' }); // unassigned, due today
  await caseWith({ team: 'Verlof', assignee: null, answerBy: '2026-12-01' }); // unassigned
  await loket.db!.query(
    `insert into conversations (id, token_hash, state, visitor, agent, topic) values
       ('c-held', 'h1', 'with-agent', '{"name":"X"}', $1, 'inloggen'),
       ('c-wait', 'h2', 'waiting', '{"name":"Y"}', null, 'inloggen')`,
    [`Bram Collega (#${bram})`],
  );
  await loket.db!.query(`update conversations set waiting_since = $1 where id = 'c-wait'`, [new Date(NOW.getTime() - 7 * 60_000)]);

  const coordinator = await loginAs(loket.url, 'coco@example.org');
  const response = await fetch(`${loket.url}/werkplek/werklast`, { headers: { cookie: coordinator.cookie } });
  expect(response.status).toBe(200);
  const page = await response.text();
  const cells = (attribute: string, value: string | number) =>
    [...(new RegExp(`<tr ${attribute}="${value}">(.*?)</tr>`, 's').exec(page)?.[1] ?? '').matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((m) =>
      m[1]!.replace(/<[^>]+>/g, ''),
    );
  expect(cells('data-agent', anna)).toEqual(['Anna Agent', '3', '1', '1', '0']);
  expect(cells('data-agent', bram)).toEqual(['Bram Collega', '1', '0', '1', '1']);
  expect(page, 'admins are no agents').not.toContain('Beheerder');
  expect(cells('data-team', 'Salaris')).toEqual(['Salaris', '3', '0', '1', '1']);
  expect(cells('data-team', 'Verlof')).toEqual(['Verlof', '3', '2', '1', '1']);
  expect(page).toContain('In de chat wacht 1 bezoeker, de langste al 7 minuten');

  const agent = await loginAs(loket.url, 'anna@example.org');
  expect((await fetch(`${loket.url}/werkplek/werklast`, { headers: { cookie: agent.cookie } })).status).toBe(403);
});
