/**
 * A person's right of access (issue 20): the privacy officer exports everything Loket holds
 * about one person as a ZIP (readable overview, JSON, files): their three cases, messages,
 * attachment, the answer, the call, notes but the one withheld for a reason, and who accessed
 * them — and nothing of another person. Real: HTTP with sessions, PostgreSQL, Redis, the workers.
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let anna: Session;
let pia: Session;
const references: string[] = [];
let other: string;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

const query = <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => loket.db!.query<Row>(text, params);
const routed = (reference: string) =>
  waitFor(async () => (await query(`select 1 from cases where reference = $1`, [reference])).length === 1, `case ${reference}`);

async function form(body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${loket.url}/api/v1/webform`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(202);
  const { reference } = (await response.json()) as { reference: string };
  await routed(reference);
  return reference;
}

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'pia@example.org', name: 'Pia Privacy', role: 'privacy', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  pia = await loginAs(loket.url, 'pia@example.org');
  references.push(
    await form({ name: 'Sara Smit', email: 'sara@example.org', employeeNumber: 'P123456', subject: 'Salaris', message: 'Mijn salaris klopt niet.' }),
  );
  references.push(
    await form({
      name: 'Sara Smit',
      email: 'sara@example.org',
      subject: 'Declaratie',
      message: 'Mijn bon zit erbij.',
      attachments: [{ filename: 'bon.pdf', contentType: 'application/pdf', content: PDF.toString('base64') }],
    }),
  );
  const call = await fetch(`${loket.url}/api/v1/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: anna.cookie, 'x-csrf-token': anna.csrfToken },
    body: JSON.stringify({
      phone: '+31 6 5555 4444',
      callerName: 'Sara Smit',
      employeeNumber: 'P123456',
      summary: 'Belde over haar verlofsaldo.',
      outcome: 'beantwoord',
    }),
  });
  const { reference: called } = (await call.json()) as { reference: string };
  await routed(called);
  references.push(called);
  other = await form({ name: 'Piet Pot', email: 'piet@example.org', subject: 'Verlof', message: 'Piet vraagt iets anders.' });

  await postAs(loket.url, anna, `/werkplek/zaken/${references[0]}/antwoord`, { text: 'Wij hebben uw salaris nagekeken.' });
  await postAs(loket.url, anna, `/werkplek/zaken/${references[0]}/notitie`, { text: 'Gewone notitie over het salaris.' });
  await postAs(loket.url, anna, `/werkplek/zaken/${references[0]}/notitie`, { text: 'Vertrouwelijk: lopend onderzoek.' });
  await postAs(loket.url, anna, `/werkplek/zaken/${other}/notitie`, { text: 'Notitie over Piet.' });
  await fetch(`${loket.url}/werkplek/zaken/${references[0]}`, { headers: { cookie: anna.cookie } });
}, 90_000);

afterAll(async () => {
  await loket?.stop();
});

it("exports one person's cases, messages, files, answers, calls, notes and accesses, and nothing of anyone else", async () => {
  const preview = await (await fetch(`${loket.url}/privacy/inzage?persoon=P123456`, { headers: { cookie: pia.cookie } })).text();
  for (const reference of references) expect(preview).toContain(reference);
  expect(preview).not.toContain(other);
  const [withheld] = await query<{ id: string }>(`select id from case_notes where text like 'Vertrouwelijk%'`);

  // Withholding a note needs a reason.
  const noReason = await postAs(loket.url, pia, '/privacy/inzage', { persoon: 'sara@example.org', achterhouden: withheld!.id });
  expect(noReason.status).toBe(400);
  expect(await noReason.text()).toContain(`Geef een reden om notitie ${withheld!.id} achter te houden.`);

  const response = await postAs(loket.url, pia, '/privacy/inzage', {
    persoon: 'sara@example.org',
    achterhouden: withheld!.id,
    [`reden-${withheld!.id}`]: 'Lopend onderzoek (art. 41 AVG)',
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/zip');
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  const data = JSON.parse(strFromU8(files['gegevens.json']!)) as {
    cases: {
      reference: string;
      messages: { channel: string; text: string; files: string[] }[];
      answers: { text: string }[];
      notes: { text: string }[];
      notesWithheld: number;
      accessedBy: { account: string }[];
    }[];
  };
  // Found by her address, and through it her employee number: the call made by phone too.
  expect(data.cases.map((c) => c.reference).sort()).toEqual([...references].sort());
  const salary = data.cases.find((c) => c.reference === references[0])!;
  expect(salary.messages[0]!.text).toBe('Mijn salaris klopt niet.');
  expect(salary.answers.map((a) => a.text)).toContain('Wij hebben uw salaris nagekeken.');
  expect(salary.notes.map((n) => n.text)).toEqual(['Gewone notitie over het salaris.']);
  expect(salary.notesWithheld).toBe(1);
  expect(salary.accessedBy.map((a) => a.account)).toContain('Anna Agent');
  const receipt = data.cases.find((c) => c.reference === references[1])!;
  expect(Buffer.from(files[receipt.messages[0]!.files[0]!]!).equals(PDF)).toBe(true);
  expect(data.cases.find((c) => c.reference === references[2])!.messages[0]).toMatchObject({ channel: 'phone', text: expect.stringContaining('verlofsaldo') });

  const everything = Object.values(files)
    .map((content) => strFromU8(content, true))
    .join('\n');
  expect(everything).not.toContain('Piet');
  expect(everything).not.toContain('Vertrouwelijk');
  const overview = strFromU8(files['overzicht.html']!);
  expect(overview).toContain('Uw gegevens bij het contactcenter');
  expect(overview).toContain('1 interne notitie(s) niet opgenomen.');

  const [audited] = await query<{ data: { withheld: { noteId: number; reason: string }[] } }>(`select data from audit where action = 'privacy.export'`);
  expect(audited!.data.withheld).toEqual([{ noteId: Number(withheld!.id), reason: 'Lopend onderzoek (art. 41 AVG)' }]);
  const logged = await query<{ reference: string }>(`select reference from access_log where action = 'person.export' order by reference`);
  expect(logged.map((row) => row.reference)).toEqual([...references].sort());
});

it('is for the privacy officer only', async () => {
  expect((await fetch(`${loket.url}/privacy/inzage?persoon=sara@example.org`, { headers: { cookie: anna.cookie } })).status).toBe(403);
  expect((await postAs(loket.url, anna, '/privacy/inzage', { persoon: 'sara@example.org' })).status).toBe(403);
  expect((await fetch(`${loket.url}/privacy/inzage?persoon=x`, { headers: { cookie: pia.cookie } })).status).toBe(400);
});
