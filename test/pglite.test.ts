/**
 * The form flow on the embedded database (DATABASE_URL unset → PGlite under DATA_DIR),
 * the default on a fresh machine. Real: PGlite, Redis, BullMQ, HTTP; notices as .eml files.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;

beforeAll(async () => {
  loket = await startTestLoket({}, { embedded: true });
});

afterAll(async () => {
  await loket?.stop();
});

it('runs the form flow on PGlite: 202, case, acknowledgement on the case page and as .eml file', async () => {
  expect(loket.database.kind).toBe('pglite');
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Anna Jansen', email: 'anna@example.org', subject: 'Wachtwoord vergeten', message: 'Ik kan niet meer inloggen.' }),
  });
  expect(response.status).toBe(202);
  const { reference, statusUrl } = (await response.json()) as { reference: string; statusUrl: string };

  const page = await waitFor(async () => {
    const html = await (await fetch(statusUrl.replace(loket.config.PUBLIC_URL, loket.url))).text();
    return html.includes('data-kind="acknowledgement"') && html;
  }, 'the acknowledgement on the case page');
  expect(page).toContain(reference);

  const outbox = path.join(loket.dataDir, 'outbox');
  const [file] = await waitFor(async () => {
    const files = await readdir(outbox).catch(() => []);
    return files.length > 0 && files;
  }, 'the .eml notice');
  const eml = await readFile(path.join(outbox, file!), 'utf8');
  expect(eml).toContain(`[${reference}]`);
  expect(eml).toMatch(/^To: Anna Jansen <anna@example\.org>$/m);
  expect(eml).toMatch(/^Auto-Submitted: auto-replied$/m);
});
