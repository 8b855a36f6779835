/**
 * Erasure on request with four eyes (issue 20): one privacy officer asks, another approves,
 * and every trace of the person's cases goes — database rows searched column by column, the
 * attachment's bytes, the answer's .eml file — while the cases stay countable for reports;
 * refused while a complaint of the person is still handled. Real: HTTP with sessions,
 * PostgreSQL, Redis, the workers, the data folder.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let anna: Session;
let pia: Session;
let paul: Session;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% Zeldzaamwoord-in-bijlage\n');
/** Words only Sara's cases hold. */
const HERS = ['Sara Smit', 'sara.smit@example.org', 'P918273', 'Bijzondereziekte', 'Geheimnotitie', 'Antwoordwoord'];

const query = <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => loket.db!.query<Row>(text, params);

async function form(body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${loket.url}/api/v1/webform`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { reference } = (await response.json()) as { reference: string };
  await waitFor(async () => (await query(`select 1 from cases where reference = $1`, [reference])).length === 1, `case ${reference}`);
  return reference;
}

/** Every text and JSON column of every table (the access log and the request itself aside) that holds `word`. */
async function tablesHolding(word: string): Promise<string[]> {
  const columns = await query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'jsonb', 'ARRAY', 'bytea') and table_name not in ('access_log', 'erasure_requests', '__drizzle_migrations')`,
  );
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [hit] = await query(
      `select 1 from "${table}" where position(lower($1) in lower(convert_from(convert_to("${column}"::text, 'UTF8'), 'UTF8'))) > 0 limit 1`,
      [word],
    );
    if (hit) found.push(`${table}.${column}`);
  }
  return found;
}

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', SLA_SWEEP_SECONDS: '1' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'pia@example.org', name: 'Pia Privacy', role: 'privacy', password: PASSWORD });
  await createUser(loket.database.db, { email: 'paul@example.org', name: 'Paul Privacy', role: 'privacy', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  pia = await loginAs(loket.url, 'pia@example.org');
  paul = await loginAs(loket.url, 'paul@example.org');
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

it('erases a person after a second officer approves, leaving the cases countable and nobody else touched', async () => {
  const first = await form({
    name: 'Sara Smit',
    email: 'sara.smit@example.org',
    employeeNumber: 'P918273',
    subject: 'Bijzondereziekte',
    message: 'Ik heb een Bijzondereziekte.',
  });
  const second = await form({
    name: 'Sara Smit',
    email: 'sara.smit@example.org',
    subject: 'Bon',
    message: 'Zie bijlage.',
    attachments: [{ filename: 'bon.pdf', contentType: 'application/pdf', content: PDF.toString('base64') }],
  });
  const other = await form({ name: 'Piet Pot', email: 'piet@example.org', subject: 'Verlof', message: 'Pietwoord vraag.' });
  expect((await postAs(loket.url, anna, `/werkplek/zaken/${first}/notitie`, { text: 'Geheimnotitie over Sara Smit.' })).status).toBe(303);
  expect((await postAs(loket.url, anna, `/werkplek/zaken/${first}/antwoord`, { text: 'Antwoordwoord voor u.' })).status).toBeLessThan(400);
  expect((await postAs(loket.url, anna, `/werkplek/zaken/${second}/contactpersoon`, { name: 'Sara Smit', email: 'sara.smit@example.org' })).status).toBe(303);
  const emlDir = path.join(loket.dataDir, 'outbox');
  const [answer] = await query<{ id: string }>(`select o.id from outbox o join cases c on c.id = o.case_id where c.reference = $1 and o.kind = 'answer'`, [
    first,
  ]);
  await waitFor(async () => (await readdir(emlDir).catch(() => [])).some((name) => name.startsWith(`loket.outbox.${answer!.id}@`)), 'the answer as .eml');
  for (const word of HERS) expect(await tablesHolding(word), word).not.toEqual([]);

  const asked = await postAs(loket.url, pia, '/privacy/wissen', { persoon: 'sara.smit@example.org', reden: 'Verzoek van betrokkene per brief van 1 december' });
  expect(asked.status).toBe(200);
  const [request] = await query<{ id: string; references: string[] }>(`select id, "references" from erasure_requests where person = 'sara.smit@example.org'`);
  expect([...request!.references].sort()).toEqual([first, second].sort());
  // Four eyes: the one who asked cannot approve.
  const own = await postAs(loket.url, pia, `/privacy/wissen/${request!.id}/goedkeuren`, {});
  expect(own.status).toBe(409);
  expect(await tablesHolding('Bijzondereziekte')).not.toEqual([]);

  const approved = await postAs(loket.url, paul, `/privacy/wissen/${request!.id}/goedkeuren`, {});
  expect(approved.status).toBe(200);
  expect(await approved.text()).toContain('De gegevens van 2 zaken zijn gewist.');
  for (const word of HERS) expect(await tablesHolding(word), word).toEqual([]);
  expect(await query(`select 1 from blobs where position('Zeldzaamwoord-in-bijlage' in convert_from(content, 'LATIN1')) > 0`)).toEqual([]);
  expect((await readdir(emlDir)).filter((name) => name.startsWith(`loket.outbox.${answer!.id}@`))).toEqual([]);
  // What reports count stays: the cases, their channel, topic and dates.
  const kept = await query<{ reference: string; channel: string; erased: boolean }>(
    `select reference, channel, erased_at is not null as erased from cases where reference = any($1) order by reference`,
    [[first, second]],
  );
  expect(kept).toEqual([first, second].sort().map((reference) => ({ reference, channel: 'webform', erased: true })));
  // Piet is untouched.
  expect(await tablesHolding('Pietwoord')).toContain('messages.text');
  expect((await query<{ erased_at: Date | null }>(`select erased_at from cases where reference = $1`, [other]))[0]!.erased_at).toBeNull();
  // Done once: approving again changes nothing.
  expect((await postAs(loket.url, paul, `/privacy/wissen/${request!.id}/goedkeuren`, {})).status).toBe(409);
  const audited = await query<{ action: string }>(`select action from audit where entity = 'erasure' order by id`);
  expect(audited.map((a) => a.action)).toEqual(['privacy.erasure-asked', 'privacy.erasure-done']);
});

it('is refused while a complaint of the person is still being handled', async () => {
  const reference = await form({ name: 'Karin Klager', email: 'karin@example.org', subject: 'Klacht', message: 'Ik heb een klacht.', topic: 'klacht' });
  await waitFor(
    async () => (await query(`select 1 from complaints k join cases c on c.id = k.case_id where c.reference = $1`, [reference])).length === 1,
    'the complaint',
  );
  const refused = await postAs(loket.url, pia, '/privacy/wissen', { persoon: 'karin@example.org', reden: 'Verzoek' });
  expect(refused.status).toBe(409);
  expect(await refused.text()).toContain(`Klacht ${reference} wordt nog behandeld`);
  const [row] = await query<{ state: string }>(`select state from erasure_requests where person = 'karin@example.org'`);
  expect(row!.state).toBe('refused');
  expect(await tablesHolding('karin@example.org')).not.toEqual([]);
});

it('is for privacy officers only', async () => {
  expect((await fetch(`${loket.url}/privacy/wissen`, { headers: { cookie: anna.cookie } })).status).toBe(403);
  expect((await postAs(loket.url, anna, '/privacy/wissen', { persoon: 'piet@example.org', reden: 'x' })).status).toBe(403);
});
