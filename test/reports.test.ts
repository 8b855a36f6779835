/**
 * Reports (issue 15) against a small hand-counted fixture in a real PostgreSQL: December 2026
 * with a case whose five working days span Christmas and New Year's Day, a contact at 00:30
 * Amsterdam time on 1 January (UTC still 31 December), a chat of three lines, a redirected
 * chat, an undone correction, and a case erased after it was counted. The figures are read
 * from the page's tables and the CSV, both served by a real Loket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eraseCase, seedDecember, seedQuarter } from './support/report-fixture.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';

let loket: TestLoket;
let coco: Session;
let agent: Session;
const NOW = new Date('2027-01-05T12:00:00Z');

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', REPORTS_REFRESH_SECONDS: '3600' }, { clock: () => NOW });
  await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
  await createUser(loket.database.db, { email: 'ali@example.org', name: 'Ali Agent', role: 'agent', password: PASSWORD });
  coco = await loginAs(loket.url, 'coco@example.org');
  agent = await loginAs(loket.url, 'ali@example.org');
  await seedDecember(loket.db!);
  await seedQuarter(loket.db!);
  expect((await postAs(loket.url, coco, '/werkplek/rapporten/bijwerken', {})).status).toBe(303);
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

const get = async (path: string, session = coco) => {
  const response = await fetch(`${loket.url}${path}`, { headers: { cookie: session.cookie }, redirect: 'manual' });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
};

/** A table's body rows as cell texts (header cell first), by the table's id. */
function tableRows(page: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(page)?.[1];
  if (!table) throw new Error(`no table ${id}`);
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '').trim()))
    .filter((cells) => cells.length > 0);
}

/** RFC 4180 with `;`, as a spreadsheet reads it. */
function parseCsv(bytes: Buffer): string[][] {
  // A byte-order mark first, so a spreadsheet reads UTF-8 (fetch's text() would hide it).
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const end = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 1; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) cell += c;
    else if (c === ';') end();
    else if (c === '\r' && text[i + 1] === '\n') {
      end();
      rows.push(row);
      row = [];
      i += 1;
    } else cell += c;
  }
  return rows;
}

const DECEMBER = '/werkplek/rapporten?periode=maand&datum=2026-12-15';

describe('the report over December 2026', () => {
  it('counts contacts per day and channel on the Amsterdam calendar, a chat once per conversation', async () => {
    const { status, text } = await get(DECEMBER);
    expect(status).toBe(200);
    expect(text).toContain('Periode: 1 dec 2026 tot en met 31 dec 2026.');
    const rows = tableRows(text, 'contacts-by-channel');
    expect(rows[0]).toEqual(['Dag', 'Chat', 'E-mail', 'Telefoon', 'Webformulier', 'Totaal']);
    const byDay = Object.fromEntries(rows.slice(1).map((cells) => [cells[0], cells.slice(1)]));
    expect(byDay['1 dec 2026']).toEqual(['0', '1', '0', '0', '1']);
    expect(byDay['2 dec 2026']).toEqual(['0', '1', '0', '0', '1']);
    expect(byDay['7 dec 2026']).toEqual(['2', '0', '0', '0', '2']);
    expect(byDay['24 dec 2026']).toEqual(['0', '0', '0', '1', '1']);
    // 23:30 in Amsterdam on the 30th is the 30th; 00:30 on 1 January is not December, though UTC still says 31 December.
    expect(byDay['30 dec 2026']).toEqual(['0', '0', '1', '0', '1']);
    expect(byDay['31 dec 2026']).toEqual(['0', '0', '0', '0', '0']);
    expect(byDay['Totaal']).toEqual(['2', '3', '1', '1', '7']);
    const topics = tableRows(text, 'contacts-by-topic');
    expect(topics[0]).toEqual(['Dag', 'Inloggen', 'Salaris', 'Verlof', 'Totaal']);
    expect(topics.at(-1)).toEqual(['Totaal', '1', '3', '3', '7']);
  });

  it('keeps the promise in working days: Christmas and New Year’s Day do not count against a case', async () => {
    const rows = tableRows((await get(DECEMBER)).text, 'promise');
    // email: one on time, one late; the web form's case (24 Dec → 4 Jan) on time; the chat on time, the redirected one not counted;
    // the phone case is open and not due until 7 January.
    expect(rows.slice(1)).toEqual([
      ['Chat', '1', '1', '100%'],
      ['E-mail', '2', '1', '50% onder het doel'],
      ['Telefoon', '0', '0', '—'],
      ['Webformulier', '1', '1', '100%'],
      ['Totaal', '4', '3', '75% onder het doel'],
    ]);
  });

  it('gives the median and p90 of the time to the first answer and to closing', async () => {
    const rows = tableRows((await get(DECEMBER)).text, 'times');
    // First agent answers after 5 min, 180 min and 15,780 min; closed after 20, 2,940, 14,340 and 15,780 min.
    expect(rows.slice(1)).toEqual([
      ['Tot het eerste antwoord', '3 uur', '8,8 dagen', '3'],
      ['Tot het sluiten', '6 dagen', '10,7 dagen', '4'],
    ]);
  });

  it('counts chat share and redirects, answers by kind and corrections per topic', async () => {
    const page = (await get(DECEMBER)).text;
    expect(tableRows(page, 'chat').slice(1)).toEqual([
      ['Salaris', '3', '1', '33%', '1', '100%'],
      ['Verlof', '2', '0', '0%', '0', '—'],
      ['Inloggen', '1', '1', '100%', '0', '0%'],
      // The complaint of 30 December (the quarterly report's fixture) is a case of December too.
      ['Klacht', '1', '0', '0%', '0', '—'],
    ]);
    expect(tableRows(page, 'answers').slice(1)).toEqual([
      ['Salaris', '1', '3'],
      ['Verlof', '1', '2'],
      ['Inloggen', '2', '0'],
      ['Klacht', '0', '0'],
      ['Totaal', '4', '5'],
    ]);
    expect(tableRows(page, 'corrections').slice(1)).toEqual([
      ['Salaris', '3', '1', '33%'],
      ['Verlof', '2', '0', '0%'],
      ['Inloggen', '1', '0', '0%'],
      ['Klacht', '1', '0', '0%'],
    ]);
    expect(tableRows(page, 'correction-moves').slice(1)).toEqual([['Verlof', 'Salaris', '1']]);
    // Every chart is an image with an alt text, drawn as SVG on the server.
    const charts = [...page.matchAll(/<img class="chart" src="data:image\/svg\+xml;base64,([^"]+)" alt="([^"]+)"/g)];
    expect(charts.length).toBe(5);
    for (const [, svg, alt] of charts) {
      expect(Buffer.from(svg!, 'base64').toString()).toMatch(/^<svg[\s\S]*<\/svg>$/);
      expect(alt).toMatch(/^Grafiek: .+\. De getallen staan in de tabel eronder\.$/);
    }
  });

  it('filters by team', async () => {
    const page = (await get(`${DECEMBER}&team=Team+B`)).text;
    expect(tableRows(page, 'contacts-by-channel').at(-1)).toEqual(['Totaal', '1', '1', '2']);
    expect(tableRows(page, 'promise').slice(1, -1)).toEqual([
      ['E-mail', '1', '0', '0% onder het doel'],
      ['Webformulier', '1', '1', '100%'],
    ]);
  });

  it('puts a long period in weeks', async () => {
    const page = (await get('/werkplek/rapporten?periode=kwartaal&datum=2026-11-01')).text;
    const rows = tableRows(page, 'contacts-by-channel');
    expect(rows[0]![0]).toBe('Week van');
    expect(rows[1]![0]).toBe('28 sep 2026');
    expect(rows.at(-1)).toEqual(['Totaal', '2', '3', '1', '1', '7']);
  });

  it('exports the same figures as CSV, parsed back', async () => {
    const response = await fetch(`${loket.url}/werkplek/rapporten.csv?periode=maand&datum=2026-12-15`, { headers: { cookie: coco.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="rapportage-2026-12-01-2026-12-31.csv"');
    const rows = parseCsv(Buffer.from(await response.arrayBuffer()));
    expect(rows[0]).toEqual(['onderdeel', 'periode', 'kanaal', 'onderwerp', 'maat', 'waarde']);
    const contacts = rows.filter((row) => row[0] === 'contacten' && row[2] !== '');
    expect(contacts.reduce((n, row) => n + Number(row[5]), 0)).toBe(7);
    expect(rows).toContainEqual(['belofte', '2026-12-01/2026-12-31', 'E-mail', '', 'op tijd', '1']);
    expect(rows).toContainEqual(['reactietijden', '2026-12-01/2026-12-31', '', '', 'tot het sluiten: mediaan (minuten)', '8640']);
    expect(rows).toContainEqual(['onderwerpcorrecties', '2026-12-01/2026-12-31', '', 'Verlof → Salaris', 'correcties', '1']);
  });

  it('refuses a bad period with a 400 that names the field', async () => {
    const page = await get('/werkplek/rapporten?periode=eigen&van=2026-12-10&tot=2026-12-01');
    expect(page.status).toBe(400);
    expect(page.text).toContain('<a href="#tot">De laatste dag ligt voor de eerste.</a>');
    const csv = await get('/werkplek/rapporten.csv?periode=eigen&van=2026-13-01');
    expect(csv.status).toBe(400);
    expect(JSON.parse(csv.text)).toMatchObject({
      error: 'invalid_input',
      fields: { van: 'Vul een datum in als jjjj-mm-dd.', tot: 'Vul de laatste dag van de periode in.' },
    });
  });

  it('is for coordinators and admins only', async () => {
    expect((await get(DECEMBER, agent)).status).toBe(403);
    expect((await get('/werkplek/rapporten.csv', agent)).status).toBe(403);
  });

  it('still counts a case whose personal data was erased', async () => {
    await eraseCase(loket, 'ZK-FIX-C');
    expect((await postAs(loket.url, coco, '/werkplek/rapporten/bijwerken', {})).status).toBe(303);
    const page = (await get(DECEMBER)).text;
    expect(tableRows(page, 'contacts-by-channel').at(-1)).toEqual(['Totaal', '2', '3', '1', '1', '7']);
    expect(tableRows(page, 'promise')[2]).toEqual(['E-mail', '2', '1', '50% onder het doel']);
    expect(tableRows(page, 'correction-moves').slice(1)).toEqual([['Verlof', 'Salaris', '1']]);
  });
});

describe('the quarterly complaint report', () => {
  const Q4 = 'kwartaal=2026-Q4';

  it('counts the quarter’s complaints per stage, deadlines met per step, verdicts and improvement forms', async () => {
    const { status, text } = await get(`/werkplek/rapporten/klachten?${Q4}`);
    expect(status).toBe(200);
    expect(text).toContain('<h1>Klachtenrapportage 2026-Q4</h1>');
    expect(tableRows(text, 'summary').slice(1)).toEqual([
      ['Klachten', '4'],
      ['Waarvan urgent', '1'],
      ['Geëscaleerd naar de directeur', '1'],
      ['Verbeterformulieren', '1'],
      ['Complimenten (ter vergelijking)', '1'],
    ]);
    expect(tableRows(text, 'by-stage').slice(1)).toEqual([
      ['Geregistreerd', '0'],
      ['Behandelaar gekozen', '1'],
      ['Eerste contact gehad', '1'],
      ['Opgelost', '0'],
      ['Extra tijd', '0'],
      ['Geëscaleerd', '1'],
      ['Afgesloten', '1'],
    ]);
    expect(tableRows(text, 'deadlines').slice(1)).toEqual([
      ['Eerste contact (2 werkdagen)', '2', '1', '1'],
      ['Afgehandeld (2 weken)', '1', '2', '1'],
    ]);
    expect(tableRows(text, 'satisfaction').slice(1)).toEqual([
      ['Tevreden', '1'],
      ['Niet tevreden', '1'],
      ['Gevraagd, geen antwoord', '0'],
      ['Nog niet gevraagd', '2'],
    ]);
    expect(tableRows(text, 'by-topic').slice(1)).toEqual([
      ['Klacht', '3'],
      ['Salaris', '1'],
    ]);
    expect(tableRows(text, 'by-team').slice(1)).toEqual([
      ['Team A', '2'],
      ['Team B', '2'],
    ]);
    expect(tableRows(text, 'improvements').slice(1)).toEqual([['Onduidelijke brief over de eindejaarsuitkering', 'Briefsjabloon herschreven', 'Team A']]);
    // The first quarter of 2027 holds only the complaint of 00:30 on New Year's Day.
    expect(tableRows((await get('/werkplek/rapporten/klachten?kwartaal=2027-Q1')).text, 'summary')[1]).toEqual(['Klachten', '1']);
  });

  it('gives the report as a PDF with its charts and tables, read back with pdftotext', async () => {
    const response = await fetch(`${loket.url}/werkplek/rapporten/klachten.pdf?${Q4}`, { headers: { cookie: coco.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const dir = await mkdtemp(path.join(tmpdir(), 'loket-report-'));
    try {
      const file = path.join(dir, 'klachten.pdf');
      await writeFile(file, Buffer.from(await response.arrayBuffer()));
      const { stdout } = await promisify(execFile)('pdftotext', ['-layout', file, '-']);
      expect(stdout).toContain('Klachtenrapportage 2026-Q4');
      expect(stdout).toMatch(/Eerste contact \(2 werkdagen\)\s+2\s+1\s+1/);
      expect(stdout).toMatch(/Afgehandeld \(2 weken\)\s+1\s+2\s+1/);
      expect(stdout).toMatch(/Klachten\s+4/);
      expect(stdout).toContain('Briefsjabloon herschreven');
      // The charts are drawn as vectors with their text: the legend of the deadlines chart is there too.
      expect(stdout.match(/Niet gehaald/g)?.length).toBeGreaterThanOrEqual(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exports the report as CSV, parsed back', async () => {
    const response = await fetch(`${loket.url}/werkplek/rapporten/klachten.csv?${Q4}`, { headers: { cookie: coco.cookie } });
    expect(response.status).toBe(200);
    const rows = parseCsv(Buffer.from(await response.arrayBuffer()));
    expect(rows[0]).toEqual(['onderdeel', 'groep', 'aantal']);
    expect(rows).toContainEqual(['Samenvatting', 'Klachten', '4']);
    expect(rows).toContainEqual(['Per stand van de procedure', 'Geëscaleerd', '1']);
    expect(rows).toContainEqual(['Termijnen per stap', 'Afgehandeld (2 weken): Niet gehaald', '2']);
    expect(rows).toContainEqual(['Verbeterformulieren', 'Onduidelijke brief over de eindejaarsuitkering | Briefsjabloon herschreven | Team A', '1']);
  });

  it('refuses a quarter that is not one, and agents', async () => {
    const bad = await get('/werkplek/rapporten/klachten.csv?kwartaal=2026-Q5');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ fields: { kwartaal: 'Kies een kwartaal als 2026-Q4.' } });
    expect((await get(`/werkplek/rapporten/klachten.pdf?${Q4}`, agent)).status).toBe(403);
  });
});

describe('the dashboard on /werkplek', () => {
  beforeAll(async () => {
    const db = loket.db!;
    // Tuesday 5 January 2027: a mail this morning, a chat of two lines, a mail on Monday; chats answered, redirected and waiting.
    const [c] = await db.query<{ id: number }>(`select id from cases where reference = 'ZK-FIX-K3'`);
    for (const [channel, id, at, conversation] of [
      ['email', 'today-1', '2027-01-05T08:00:00Z', null],
      ['chat', 'today-2', '2027-01-05T09:00:00Z', 'conv-today'],
      ['chat', 'today-3', '2027-01-05T09:01:00Z', 'conv-today'],
      ['email', 'monday-1', '2027-01-04T08:00:00Z', null],
    ] as const) {
      await db.query(`insert into messages (channel, external_id, received_at, sender, thread, meta, case_id) values ($1, $2, $3, '{}', $4, '{}', $5)`, [
        channel,
        id,
        at,
        JSON.stringify(conversation ? { conversationId: conversation } : {}),
        c!.id,
      ]);
    }
    await db.query(
      `insert into conversations (id, token_hash, state, visitor, agent, created_at) values ('conv-today', 'h1', 'closed', '{}', 'Ali Agent (#2)', '2027-01-05T09:00:00Z')`,
    );
    await db.query(
      `insert into conversations (id, token_hash, state, closed_reason, visitor, created_at) values ('conv-r', 'h2', 'closed', 'redirected', '{}', '2027-01-05T10:00:00Z')`,
    );
    await db.query(
      `insert into conversations (id, token_hash, state, visitor, waiting_since, created_at) values ('conv-w', 'h3', 'waiting', '{}', '2027-01-05T11:50:00Z', '2027-01-05T11:50:00Z')`,
    );
    await db.query(`update cases set assignee_id = (select id from users where email = 'ali@example.org') where reference = 'ZK-FIX-K3'`);
  });

  /** The tiles as term → values. */
  const tiles = (page: string) =>
    Object.fromEntries(
      [...page.matchAll(/<div class="tile[^"]*"><dt>([^<]+)<\/dt>((?:<dd[^>]*>[^<]*<\/dd>)+)<\/div>/g)].map((m) => [
        m[1],
        [...m[2]!.matchAll(/<dd[^>]*>([^<]*)<\/dd>/g)].map((d) => d[1]),
      ]),
    );

  it('shows a coordinator the center today and this week, counted by hand', async () => {
    const { status, text } = await get('/werkplek');
    expect(status).toBe(200);
    // Open: F, G and the complaint cases K1–K5; overdue: K1, K2 and K4 (answer dates in October and November).
    expect(tiles(text)).toEqual({
      'Open zaken': ['7'],
      'Uiterlijk vandaag te beantwoorden': ['0'],
      'Te laat': ['3'],
      // This week B closed on Monday, on time; nothing closed today.
      'Op tijd beantwoord': ['100%', 'vandaag — (0 van 0), deze week 100% (1 van 1)'],
      'Chats beantwoord / doorverwezen': ['1 / 1', 'vandaag 1 / 1, deze week 1 / 1'],
      'Wachtende chats': ['1', 'langst wachtend: 10 min'],
    });
    expect(tableRows(text, 'contacts-today').slice(1)).toEqual([
      ['E-mail', '1', '2'],
      ['Webformulier', '0', '0'],
      ['Chat', '1', '1'],
      ['Telefoon', '0', '0'],
      ['Post', '0', '0'],
      ['Totaal', '2', '3'],
    ]);
    expect(text).toContain('data-live="dashboard"');
    expect(text).toContain('<a href="/werkplek/rapporten">Rapportage</a>');
  });

  it('shows an agent their own part, without the center’s figures or the reports', async () => {
    const { text } = await get('/werkplek', agent);
    expect(tiles(text)).toMatchObject({ 'Aan u toegewezen, open': ['1'], 'Te laat': ['0'], 'Uw chats nu': ['0'] });
    expect(text).not.toContain('id="contacts-today"');
    expect(text).not.toContain('/werkplek/rapporten');
  });
});
