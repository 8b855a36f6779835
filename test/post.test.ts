/**
 * The post channel end to end. Real: PostgreSQL (a database of its own), Redis, BullMQ
 * workers (route, deliver, ocr), HTTP with a logged-in agent and CSRF, Tesseract (nld),
 * pdftoppm and pdftotext (poppler), pdfkit. Nothing is mocked.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLetterPdf } from '../channels/post/letter.pdf.js';
import { insertLetter } from '../channels/post/letter.store.js';
import { createUser } from '../src/auth/accounts.js';
import { sha256Hex } from '../src/intake.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';
import { loginAs, PASSWORD } from './support/session.js';
import { pdfPagePng as pagePng } from './support/pdf.js';

const run = promisify(execFile);
const ARTIFACTS = path.resolve('test-artifacts');

let loket: TestLoket;
let agent: { cookie: string; csrfToken: string };
let work: string;

/** The letter a citizen sends: several Dutch sentences with words a contact center knows. */
const LETTER_PAGE_1 = [
  'Geachte heer, mevrouw,',
  'Met deze brief wil ik bezwaar maken tegen de berekening van mijn vakantiegeld over het afgelopen jaar.',
  'Volgens mijn loonstrook van mei is het vakantiegeld te laag uitbetaald, omdat de toelage voor onregelmatige diensten ontbreekt.',
  'Daarnaast klopt het saldo van mijn verlofuren niet: in het personeelssysteem staan veertig uren minder dan op mijn overzicht van januari.',
  'Ik verzoek u vriendelijk beide bedragen te controleren en mij schriftelijk te antwoorden.',
  'Met vriendelijke groet,',
  'Johanna Verbeek',
];
const LETTER_PAGE_2 = [
  'Bijlage bij mijn brief over het vakantiegeld.',
  'Mijn werkgever heeft de declaratie van reiskosten voor september nog steeds niet verwerkt.',
  'Wilt u ook nagaan waarom de overwerkvergoeding ontbreekt op de specificatie van oktober?',
];

const SENDER = { senderName: 'Johanna Verbeek', street: 'Lange Voorhout 12', postalCode: '2514ea', city: 'Den Haag', letterDate: '2026-11-02' };

const login = (email: string) => loginAs(loket.url, email);

/** A letter as pdfkit writes it: one page per array, large enough type for a 300 dpi scan. */
async function citizenLetterPdf(pages: string[][]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 72 });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  pages.forEach((paragraphs, i) => {
    if (i > 0) doc.addPage();
    doc.font('Helvetica').fontSize(12);
    for (const paragraph of paragraphs) doc.text(paragraph, { lineGap: 3 }).moveDown();
  });
  doc.end();
  return done;
}

const pdfPagePng = (pdf: Buffer, dpi: number, name: string) => pagePng(pdf, dpi, work, name);

async function pdfText(pdf: Buffer, args: string[] = []): Promise<string> {
  const file = path.join(work, `text-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(file, pdf);
  return (await run('pdftotext', [...args, file, '-'])).stdout;
}

/** Lower case, accents folded, words of letters only. */
const words = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
/** Words long enough to tell a letter apart; short ones are too easy to find by accident. */
const distinctive = (lines: string[]) => [...new Set(words(lines.join(' ')).filter((word) => word.length >= 7))];
const foundShare = (expected: string[], text: string) => {
  const seen = new Set(words(text));
  return expected.filter((word) => seen.has(word)).length / expected.length;
};

/** Posts the entry form as a browser does: multipart, the CSRF token as a form field. */
function enterLetter(fields: Record<string, string>, files: { name: string; type: string; content: Buffer }[], csrf = agent.csrfToken) {
  const form = new FormData();
  if (csrf) form.append('_csrf', csrf);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) form.append('scans', new Blob([new Uint8Array(file.content)], { type: file.type }), file.name);
  return fetch(`${loket.url}/werkplek/brief`, { method: 'POST', headers: { cookie: agent.cookie }, body: form, redirect: 'manual' });
}

const postForm = (url: string, fields: Record<string, string>) =>
  fetch(`${loket.url}${url}`, {
    method: 'POST',
    headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });

const getPage = (url: string) => fetch(`${loket.url}${url}`, { headers: { cookie: agent.cookie, accept: 'text/html' } });

async function enteredLetterId(response: Response): Promise<number> {
  expect(response.status, await response.clone().text()).toBe(303);
  const location = response.headers.get('location') ?? '';
  expect(location).toMatch(/^\/werkplek\/brief\/\d+$/);
  return Number(location.split('/').pop());
}

type LetterState = { status: string; ocr_text: string | null; ocr_error: string | null; message_id: string | null };
const letterRow = async (id: number) =>
  (await loket.db!.query<LetterState>('select status, ocr_text, ocr_error, message_id from letters where id = $1', [id]))[0]!;

/** Waits until OCR is done with the letter; returns the row and how long it took. */
async function ocrDone(id: number, started: number): Promise<{ row: LetterState; ms: number }> {
  const row = await waitFor(
    async () => {
      const letter = await letterRow(id);
      return letter.status !== 'ocr' && letter;
    },
    `OCR of letter ${id}`,
    120_000,
    200,
  );
  return { row, ms: Date.now() - started };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'loket-post-test-'));
  await mkdir(ARTIFACTS, { recursive: true });
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', LETTER_MAX_SCANS: '3', LETTER_MAX_SCAN_MB: '3', OCR_CONCURRENCY: '2' });
  await createUser(loket.database.db, { email: 'agent@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  agent = await login('agent@example.org');
});

afterAll(async () => {
  await loket?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a letter entered by an agent', () => {
  let letterId: number;
  let reference: string;

  it('is read by OCR from a PNG scan: its words are in the text', async () => {
    const png = await pdfPagePng(await citizenLetterPdf([LETTER_PAGE_1]), 300, 'scan-png');
    const started = Date.now();
    letterId = await enteredLetterId(await enterLetter(SENDER, [{ name: 'brief.png', type: 'image/png', content: png }]));

    // Reading a 300 dpi page takes seconds: the page asked for at once still waits, and refreshes.
    const waiting = await getPage(`/werkplek/brief/${letterId}`);
    expect(waiting.status).toBe(200);
    expect(waiting.headers.get('refresh')).toBe('5');
    const waitingPage = await waiting.text();
    expect(waitingPage).toContain('data-status="ocr"');
    expect(waitingPage).toContain('Johanna Verbeek');
    expect(waitingPage).toMatch(/2514 EA\s+DEN HAAG/);

    const { row, ms } = await ocrDone(letterId, started);
    expect(row.status, row.ocr_error ?? '').toBe('review');
    const expected = distinctive(LETTER_PAGE_1);
    expect(expected.length).toBeGreaterThan(20);
    expect(expected).toEqual(expect.arrayContaining(['vakantiegeld', 'verlofuren']));
    const share = foundShare(expected, row.ocr_text!);
    console.info(`OCR of one 300 dpi PNG page: ${ms} ms; ${Math.round(share * 100)} % of ${expected.length} distinctive words found`);
    expect(share).toBeGreaterThanOrEqual(0.8);
    expect(words(row.ocr_text!)).toEqual(expect.arrayContaining(['vakantiegeld', 'verlofuren']));

    const page = await (await getPage(`/werkplek/brief/${letterId}`)).text();
    expect(page).toContain('data-status="review"');
    expect(page).toMatch(/<textarea[^>]*name="text"[^>]*>[^<]*vakantiegeld/);
    expect(page).toContain(`href="/werkplek/brief/${letterId}/scan/1"`);
    const scan = await getPage(`/werkplek/brief/${letterId}/scan/1`);
    expect(scan.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await scan.arrayBuffer()).equals(png)).toBe(true);
  });

  it('checked and submitted, becomes one message on the post channel with a case and its reference, however often submitted', async () => {
    const edited = `${LETTER_PAGE_1.join('\n\n')}\n\n[nagekeken door Anna Agent]`;
    expect((await postForm(`/werkplek/brief/${letterId}`, { text: edited })).status).toBe(403); // no CSRF token
    const submitted = await postForm(`/werkplek/brief/${letterId}`, { _csrf: agent.csrfToken, text: edited });
    expect(submitted.status).toBe(303);
    expect((await postForm(`/werkplek/brief/${letterId}`, { _csrf: agent.csrfToken, text: 'nog een keer' })).status).toBe(303);

    const page = await (await getPage(`/werkplek/brief/${letterId}`)).text();
    reference = /id="reference">([A-Z]+-\d{4}-\d{6})</.exec(page)?.[1] ?? '';
    expect(reference).toMatch(/^ZK-\d{4}-\d{6}$/);

    const messages = await loket.db!.query<{
      id: string;
      text: string;
      subject: string;
      sender: Record<string, unknown>;
      meta: Record<string, unknown>;
      reference: string | null;
    }>(
      `select m.id, m.text, m.subject, m.sender, m.meta, c.reference from messages m left join cases c on c.id = m.case_id where m.channel = 'post' and m.external_id = $1`,
      [`letter:${letterId}`],
    );
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message!.text).toBe(edited);
    expect(message!.subject).toBe('Brief van maandag 2 november 2026');
    expect(message!.sender).toEqual({ name: 'Johanna Verbeek', postalAddress: { street: 'Lange Voorhout 12', postalCode: '2514 EA', city: 'Den Haag' } });
    expect(message!.meta).toMatchObject({ letterId, letterDate: '2026-11-02', enteredBy: 'Anna Agent' });
    expect((await letterRow(letterId)).message_id).toBe(message!.id);

    const routed = await waitFor(async () => {
      const [row] = await loket.db!.query<{ reference: string; topic: string }>(
        `select c.reference, c.topic from messages m join cases c on c.id = m.case_id where m.id = $1`,
        [message!.id],
      );
      return row;
    }, 'the letter to be routed into a case');
    expect(routed.reference).toBe(reference);
    const attachments = await loket.db!.query<{ content_type: string }>('select content_type from attachments where message_id = $1', [message!.id]);
    expect(attachments.map((a) => a.content_type)).toEqual(['image/png']);
  });

  it('gets its acknowledgement as a PDF letter in the print queue, which an agent marks as posted', async () => {
    const [acknowledgement] = await waitFor(async () => {
      const rows = await loket.db!.query<{ id: string; receipt: Record<string, unknown> }>(
        `select o.id, o.receipt from outbox o join cases c on c.id = o.case_id
         where c.reference = $1 and o.kind = 'acknowledgement' and o.channel = 'post' and o.status = 'sent'`,
        [reference],
      );
      return rows.length > 0 && rows;
    }, 'the acknowledgement letter');
    expect(acknowledgement!.receipt).toMatchObject({ channel: 'post', printQueue: true, pdfSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const outboxId = Number(acknowledgement!.id);

    const queue = await (await getPage('/werkplek/afdrukken')).text();
    expect(queue).toContain(`data-outbox-id="${outboxId}"`);
    expect(queue).toContain(reference);
    const pdfResponse = await getPage(`/werkplek/afdrukken/${outboxId}.pdf`);
    expect(pdfResponse.status).toBe(200);
    expect(pdfResponse.headers.get('content-type')).toBe('application/pdf');
    expect((await getPage(`/werkplek/afdrukken/${outboxId}`)).status).toBe(404);
    const text = await pdfText(Buffer.from(await pdfResponse.arrayBuffer()));
    expect(text).toContain('Johanna Verbeek');
    expect(text).toContain('Lange Voorhout 12');
    expect(text).toMatch(/2514 EA\s+DEN HAAG/);
    expect(text).toContain(reference);
    expect(text).toContain('Ontvangstbevestiging');

    expect((await postForm(`/werkplek/afdrukken/${outboxId}/verstuurd`, {})).status).toBe(403); // no CSRF token
    expect((await postForm(`/werkplek/afdrukken/${outboxId}/verstuurd`, { _csrf: agent.csrfToken })).status).toBe(303);
    const after = await (await getPage('/werkplek/afdrukken')).text();
    expect(after).not.toContain(`data-outbox-id="${outboxId}"`);
    const [row] = await loket.db!.query<{ meta: Record<string, unknown> }>('select meta from outbox where id = $1', [outboxId]);
    expect(row!.meta).toMatchObject({ postedAt: expect.any(String), postedBy: 'Anna Agent' });
  });
});

describe('a letter whose OCR job was lost', () => {
  it('is read anyway: the sweep schedules letters still waiting for OCR', async () => {
    // A letter row as entry leaves it, but its job never reached Redis (lost in a flush).
    const [row] = await loket.db!.query<{ id: string }>(
      `insert into letters (status, sender, scans, entered_by, updated_at)
       select 'ocr', sender, scans, entered_by, now() - interval '1 minute' from letters where ocr_text is not null order by id limit 1
       returning id`,
    );
    expect(row, 'an earlier test entered a letter to copy').toBeDefined();
    const { row: read } = await ocrDone(Number(row!.id), Date.now());
    expect(read.status).toBe('review');
    expect(read.ocr_text).toMatch(/vakantiegeld/i);
  });
});

describe('scans in other shapes', () => {
  it('a two-page PDF scan is read page by page, in order', async () => {
    const pdf = await citizenLetterPdf([LETTER_PAGE_1, LETTER_PAGE_2]);
    const started = Date.now();
    const id = await enteredLetterId(await enterLetter({ ...SENDER, letterDate: '' }, [{ name: 'brief.pdf', type: 'application/pdf', content: pdf }]));
    const { row, ms } = await ocrDone(id, started);
    console.info(`OCR of a two-page PDF (pdftoppm 300 dpi + tesseract): ${ms} ms, ${Math.round(ms / 2)} ms per page`);
    expect(row.status, row.ocr_error ?? '').toBe('review');
    expect(foundShare(distinctive(LETTER_PAGE_1), row.ocr_text!)).toBeGreaterThanOrEqual(0.8);
    expect(foundShare(distinctive(LETTER_PAGE_2), row.ocr_text!)).toBeGreaterThanOrEqual(0.8);
    const text = words(row.ocr_text!).join(' ');
    expect(text.indexOf('reiskosten')).toBeGreaterThan(text.indexOf('verlofuren'));
  });

  it('a scan OCR cannot read marks the letter failed, and the agent types the text instead', async () => {
    const broken = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(2_000, 7)]);
    const id = await enteredLetterId(await enterLetter(SENDER, [{ name: 'kapot.png', type: 'image/png', content: broken }]));
    const { row } = await ocrDone(id, Date.now());
    expect(row.status).toBe('failed');
    expect(row.ocr_error).toMatch(/OCR|tesseract/i);
    const page = await (await getPage(`/werkplek/brief/${id}`)).text();
    expect(page).toContain('Typ de tekst van de brief zelf over');
    expect((await postForm(`/werkplek/brief/${id}`, { _csrf: agent.csrfToken, text: 'Vraag over mijn vakantiegeld.' })).status).toBe(303);
    expect((await letterRow(id)).status).toBe('submitted');
  });
});

describe('OCR that runs out of time', () => {
  it('is retried, and after the last attempt the letter is marked failed with the reason', async () => {
    const slow = await startTestLoket({ OCR_TIMEOUT_SECONDS: '1', JOB_ATTEMPTS: '2' });
    try {
      // A 400 dpi page takes Tesseract well over a second here (see the timings above).
      const png = await pdfPagePng(await citizenLetterPdf([[...LETTER_PAGE_1, ...LETTER_PAGE_2]]), 400, 'slow');
      const ref = { sha256: sha256Hex(png), filename: 'traag.png', contentType: 'image/png', size: png.byteLength };
      const id = await insertLetter(slow.database.db, {
        sender: { name: 'Johanna Verbeek', postalAddress: { street: 'Lange Voorhout 12', postalCode: '2514 EA', city: 'Den Haag' } },
        scans: [{ file: { filename: ref.filename, contentType: ref.contentType, content: png }, ref }],
        enteredBy: 'Anna Agent',
      });
      await slow.queues.add('ocr', { letterId: id });
      const row = await waitFor(
        async () => {
          const [letter] = await slow.db!.query<LetterState>('select status, ocr_text, ocr_error, message_id from letters where id = $1', [id]);
          return letter?.status === 'failed' && letter;
        },
        'the letter to fail after its attempts',
        60_000,
        200,
      );
      expect(row.ocr_error).toBe('TransientError: tesseract did not finish in time');
      const job = await slow.queues.queue('ocr').getJob(slow.queues.jobIdOf('ocr', { letterId: id }));
      expect(job?.attemptsMade).toBe(2);
    } finally {
      await slow.stop();
    }
  });
});

describe('bad input', () => {
  it('gets 400 with an error on each bad field, and nothing is stored', async () => {
    const before = Number((await loket.db!.query<{ n: string }>('select count(*) as n from letters'))[0]!.n);
    const response = await enterLetter({ senderName: ' ', street: 'Lange Voorhout 12', postalCode: '12345', city: 'Den Haag', letterDate: '2999-01-01' }, [
      { name: 'brief.png', type: 'image/png', content: Buffer.from('dit is geen afbeelding') },
    ]);
    expect(response.status).toBe(400);
    const page = await response.text();
    for (const field of ['scans', 'senderName', 'postalCode', 'letterDate']) {
      expect(page).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
      expect(page).toContain(`id="${field}-error"`);
    }
    expect(page).not.toMatch(/id="city"[^>]*aria-invalid/);
    expect(page).toContain('Het bestand &quot;brief.png&quot; is geen PDF, PNG, JPEG of TIFF.');
    expect(page).toContain('value="Lange Voorhout 12"');

    const noScan = await (await enterLetter(SENDER, [])).text();
    expect(noScan).toContain('Voeg minstens één scan toe');
    expect(Number((await loket.db!.query<{ n: string }>('select count(*) as n from letters'))[0]!.n)).toBe(before);
  });

  it('without the CSRF token is refused, and scans over the size limit get 413', async () => {
    const png = await pdfPagePng(await citizenLetterPdf([['Kort.']]), 50, 'small');
    expect((await enterLetter(SENDER, [{ name: 'a.png', type: 'image/png', content: png }], '')).status).toBe(403);
    const huge = Buffer.alloc(3 * 1024 * 1024 + 10, 1);
    expect((await enterLetter(SENDER, [{ name: 'groot.png', type: 'image/png', content: huge }])).status).toBe(413);
    const many = Array.from({ length: 4 }, (_, i) => ({ name: `p${i}.png`, type: 'image/png', content: png }));
    expect((await enterLetter(SENDER, many)).status).toBe(413);
  });
});

describe('renderLetterPdf', () => {
  it('puts the address in the envelope window, the reference and page numbers where pdftotext finds them, and renders page 1', async () => {
    const body = [
      'Beste mevrouw Verbeek,',
      ...Array.from({ length: 30 }, (_, i) => `Alinea ${i + 1}. Wij hebben uw vraag over vakantiegeld en verlofuren ontvangen en zoeken het voor u uit.`),
      'Met vriendelijke groet,',
      'Het contactcenter',
    ].join('\n\n');
    const pdf = await renderLetterPdf({
      letterhead: { organisation: 'Contactcenter P-Direkt', returnAddress: 'Postbus 20011, 2500 EA Den Haag' },
      recipient: { name: 'Johanna Verbeek', postalAddress: { street: 'Lange Voorhout 12', postalCode: '2514 EA', city: 'Den Haag' } },
      date: 'maandag 23 november 2026',
      reference: 'ZK-2026-000042',
      subject: 'Uw vraag over vakantiegeld',
      body,
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // The window of an EA5/6 envelope, in points: 22 mm from the left, 50 mm from the top, 85 × 40 mm.
    const window = await pdfText(pdf, ['-f', '1', '-l', '1', '-x', '62', '-y', '142', '-W', '241', '-H', '113']);
    const lines = window
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    expect(lines).toEqual(expect.arrayContaining(['Johanna Verbeek', 'Lange Voorhout 12', expect.stringMatching(/^2514 EA\s+DEN HAAG$/)]));
    expect(lines[0]).toMatch(/^Retouradres Contactcenter P-Direkt, Postbus 20011, 2500 EA Den Haag/);

    const all = await pdfText(pdf, ['-layout']);
    expect(all).toMatch(/Ons kenmerk\s+ZK-2026-000042/);
    expect(all).toMatch(/Datum\s+maandag 23 november 2026/);
    expect(all).toContain('Pagina 1 van 2');
    expect(all).toContain('Pagina 2 van 2');

    const png = await pdfPagePng(pdf, 100, 'rendered-letter');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.byteLength).toBeGreaterThan(10_000);
    await writeFile(path.join(ARTIFACTS, 'post-letter-page1.png'), png);
  });

  it('a short letter has no page numbers', async () => {
    const pdf = await renderLetterPdf({
      letterhead: { organisation: 'Contactcenter', returnAddress: 'Postbus 20011, 2500 EA Den Haag' },
      recipient: { name: 'J. Verbeek', postalAddress: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Ergens' } },
      date: 'maandag 23 november 2026',
      reference: 'ZK-2026-000043',
      subject: 'Kort',
      body: 'Beste heer Verbeek,\n\nKort antwoord.',
    });
    const text = await pdfText(pdf);
    expect(text).not.toContain('Pagina');
    expect(text).toContain('ZK-2026-000043');
  });
});
