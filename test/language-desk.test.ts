/**
 * The desk pages of the channels in English for an agent who chose it: the chat console (its
 * page and what its script says), the call-log form and its refusal, the call-back list, the
 * letter entry and review, and the print queue; Dutch stays for everyone else. Real: HTTP with
 * sessions and CSRF, PostgreSQL, Redis, the workers, socket.io, and Chromium (Debian's, via
 * playwright-core) running the bundled console script.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { launchChromium, signedInContext } from './support/browser.js';
import { AGENT_TOKEN, OPEN_CLOCK, visitor, type RecordingSocket } from './support/chat-client.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { expectEnglishPage, pageAs } from './support/language.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let coco: Session;
let anna: Session;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
const sockets: RecordingSocket[] = [];

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', CHAT_AGENT_TOKEN: AGENT_TOKEN, CHAT_RATE_LIMIT: '50' }, { clock: OPEN_CLOCK });
  await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  coco = await loginAs(loket.url, 'coco@example.org');
  anna = await loginAs(loket.url, 'anna@example.org');
  expect((await postAs(loket.url, coco, '/werkplek/taal', { taal: 'en', terug: '/werkplek/chats' })).status).toBe(303);
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await context?.close().catch(() => undefined);
  await browser?.close();
  await loket?.stop();
});

const get = (path: string, session = coco) => pageAs(loket.url, session, path);

function expectNone(page: string, dutch: string[]) {
  for (const words of dutch) expect(page, words).not.toContain(words);
}

describe('the chat console', () => {
  it('is in English, and so is what its script gets to say', async () => {
    const { status, text } = await get('/werkplek/chats');
    expect(status).toBe(200);
    expectEnglishPage(text);
    expect(text).toContain('<title>Chats</title>');
    expect(text).toContain('<a href="/werkplek">Back to the workspace</a>');
    expect(text).toContain('<p id="console-status" role="status">Connecting to the chat…</p>');
    expect(text).toContain('Waiting chats (<span id="queue-count">0</span>)');
    expect(text).toContain('My conversations (<span id="held-count">0</span> of ');
    expect(text).toContain('The chat console only works with JavaScript on.');
    expect(text).toContain('<a href="/werkplek/zaken?channel=chat">the cases</a>');
    // The script's words travel in the page's data, in English.
    expect(text).toContain('Connected. New chats appear here automatically.');
    expect(text).toContain('Your message to {name}');
    expect(text).toContain('&quot;inloggen&quot;:&quot;Logging in&quot;');
    expectNone(text, [
      'Terug naar de werkplek',
      'Verbinden met de chat',
      'Wachtende chats',
      'Mijn gesprekken',
      'Er wacht nu niemand',
      'Verbonden.',
      'Uw bericht',
    ]);
  });

  it('speaks English in Chromium: the waiting chat, accepting it and the conversation', async () => {
    browser = await launchChromium();
    context = await signedInContext(browser, loket.url, coco.cookie);
    const page = await context.newPage();
    await page.goto(`${loket.url}/werkplek/chats`);
    await page.getByText('Connected. New chats appear here automatically.').waitFor();

    const jan = await visitor(loket.url);
    sockets.push(jan);
    expect(await jan.call('chat:start', { name: 'Jan de Vries', email: 'jan@example.org', topic: 'inloggen' })).toMatchObject({ ok: true });
    expect(await jan.call('chat:message', { clientId: 'j1', text: 'Ik kan niet inloggen.' })).toEqual({ ok: true });

    const waiting = page.locator('#chat-queue li', { hasText: 'Jan de Vries' });
    await waiting.waitFor();
    await expect.poll(() => waiting.textContent()).toContain('Logging in');
    expect(await waiting.textContent()).toContain('waiting less than a minute');
    await page.getByRole('button', { name: 'Accept the chat from Jan de Vries' }).click();

    const session = page.locator('article.chat-session', { hasText: 'Jan de Vries' });
    await session.getByRole('log', { name: 'Conversation with Jan de Vries' }).getByText('Ik kan niet inloggen.').waitFor();
    expect(await session.getByRole('log').textContent()).toContain('Visitor, ');
    await session.getByLabel('Your message to Jan de Vries').waitFor();
    expect(await session.getByLabel('Transfer to').locator('option').first().textContent()).toBe('Back to the queue');
    jan.socket.emit('chat:typing', { typing: true });
    await session.getByText('The visitor is typing…').waitFor();

    await session.getByRole('button', { name: 'End the conversation' }).click();
    await session.getByText('The conversation has ended.').first().waitFor();
    await session.getByRole('button', { name: 'Hide the conversation' }).waitFor();
    // The console's own words; the conversation's lines stay in the visitor's language.
    const controls = [await page.locator('.chat-queue').textContent(), await session.locator('form, .actions, .who, .meta').allTextContents()].join(' ');
    expectNone(controls, ['Bezoeker', 'Aannemen', 'Versturen', 'Doorverbinden', 'Gesprek afsluiten', 'Zaak ', 'wacht ']);
  }, 60_000);
});

describe('the phone desk', () => {
  it('shows the call-log form, its refusal and the logged call in English', async () => {
    // Before any call asked for one.
    expect((await get('/werkplek/terugbellen')).text).toContain('<p>There are no open call-back tasks.</p>');

    const form = await get('/werkplek/gesprek');
    expect(form.status).toBe(200);
    expectEnglishPage(form.text);
    expect(form.text).toContain('<title>Log a phone call</title>');
    expect(form.text).toContain('<label for="summary">Summary of the call <span class="hint">(required)</span></label>');
    expect(form.text).toContain('<option value="">Choose an outcome</option>');
    expect(form.text).toContain('<option value="terugbellen">Call back</option>');
    expect(form.text).toContain('<option value="inloggen">Logging in</option>');
    expect(form.text).toContain('<button type="submit">Log the call</button>');
    expectNone(form.text, ['Telefoongesprek vastleggen', 'Samenvatting', 'Kies een uitkomst', 'Terugbellen', 'Inloggen', 'verplicht', 'Naar de werkplek']);

    const refused = await postAs(loket.url, coco, '/werkplek/gesprek', { summary: '', outcome: 'terugbellen', phone: '' });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expectEnglishPage(page);
    expect(page).toContain('<title>Log a phone call – Please check the marked fields.</title>');
    expect(page).toContain('<h2>Please check the following fields:</h2>');
    expect(page).toContain('Enter a summary of the call (at most 20,000 characters).');
    expect(page).toContain('<span class="visually-hidden">Error: </span>');
    expectNone(page, ['Controleer', 'Vul een samenvatting', 'Fout:']);

    const noPhone = await postAs(loket.url, coco, '/werkplek/gesprek', { summary: 'Graag terugbellen.', outcome: 'terugbellen' });
    expect(noPhone.status).toBe(400);
    expect(await noPhone.text()).toContain('Enter the phone number: without a number nobody can call back.');

    const logged = await postAs(loket.url, coco, '/werkplek/gesprek', {
      phone: '0633334444',
      callerName: 'Iris Vos',
      summary: 'Vraagt om uitleg over haar eindejaarsuitkering.',
      outcome: 'terugbellen',
    });
    expect(logged.status).toBe(200);
    const done = await logged.text();
    expectEnglishPage(done);
    expect(done).toContain('<h1>Call logged</h1>');
    expect(done).toContain('Tell the caller this registration number:');
    expect(done).toContain('<a href="/werkplek/terugbellen">To the call-back list</a>');
    expectNone(done, ['Gesprek vastgelegd', 'Noem de beller']);
  });

  it('shows the call-back list in English, and the form opened from it', async () => {
    const list = await waitFor(async () => {
      const { text } = await get('/werkplek/terugbellen');
      return text.includes('Iris Vos') && text;
    }, 'the call-back task');
    expectEnglishPage(list);
    expect(list).toContain('<title>Call-backs</title>');
    expect(list).toContain('Open call-back tasks, oldest first.');
    expect(list).toContain('<th scope="col">Number</th><th scope="col">Name</th><th scope="col">Case</th><th scope="col">Since</th>');
    expect(list).toContain('<a href="/werkplek/terugbellen?team=HR-loket">Only the HR desk’s tasks</a>');
    expect(list).toMatch(/>Log the call-back<span class="visually-hidden">/);
    expectNone(list, ['Terugbellen', 'Open terugbeltaken', 'Nummer', 'Sinds', 'Waarover', 'Terugbelgesprek vastleggen', 'Naar de werkplek']);

    const taskId = /data-task="(\d+)"/.exec(list)![1]!;
    const reference = /href="\/werkplek\/zaken\/([^"]+)"/.exec(list)![1]!;
    const form = (await get(`/werkplek/gesprek?callbackOf=${taskId}`)).text;
    expectEnglishPage(form);
    expect(form).toContain(`You are logging the call-back for case ${reference}.`);
    expect(form).not.toContain('U legt het terugbelgesprek vast');

    const hrDesk = (await get('/werkplek/terugbellen?team=HR-loket')).text;
    expect(hrDesk).toContain('<h1>Call-backs — HR-loket</h1>');
    expect(hrDesk).toContain('<a href="/werkplek/terugbellen">All teams</a>');
  });
});

describe('the post desk', () => {
  /** Posts the entry form as a browser does: multipart, the CSRF token as a form field. */
  function enterLetter(fields: Record<string, string>, files: { name: string; type: string; content: Buffer }[]) {
    const form = new FormData();
    form.append('_csrf', coco.csrfToken);
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files) form.append('scans', new Blob([new Uint8Array(file.content)], { type: file.type }), file.name);
    return fetch(`${loket.url}/werkplek/brief`, { method: 'POST', headers: { cookie: coco.cookie }, body: form, redirect: 'manual' });
  }

  it('shows the letter entry and its refusal in English', async () => {
    const { status, text } = await get('/werkplek/brief');
    expect(status).toBe(200);
    expectEnglishPage(text);
    expect(text).toContain('<title>Enter a letter</title>');
    expect(text).toContain('<legend>Sender&#39;s postal address</legend>');
    expect(text).toMatch(/several files or pages are possible, in the order of the letter\. At most \d+ files of at most [\d.]+ MB each\./);
    expect(text).toContain('<button type="submit">Enter the letter</button>');
    expectNone(text, ['Brief invoeren', 'Postadres afzender', 'Postcode', 'Hoogstens', 'verplicht']);

    const refused = await enterLetter({ senderName: ' ', street: 'Lange Voorhout 12', postalCode: '12345', city: 'Den Haag', letterDate: '2999-01-01' }, [
      { name: 'brief.png', type: 'image/png', content: Buffer.from('dit is geen afbeelding') },
    ]);
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expectEnglishPage(page);
    expect(page).toContain('<title>Enter a letter – Please check the marked fields.</title>');
    expect(page).toContain('The file &quot;brief.png&quot; is not a PDF, PNG, JPEG or TIFF.');
    expect(page).toContain('Enter the sender&#39;s name (at most 200 characters).');
    expect(page).toContain('Enter a valid postal code, for example 2511 AB.');
    expect(page).toContain('Enter a valid date that is not in the future, for example 2026-11-20.');
    expectNone(page, ['Het bestand', 'Vul de naam', 'Vul een geldige', 'Controleer']);

    expect((await get('/werkplek/brief/999999')).text).toBe('This letter does not exist.');
  });

  it('shows a letter, its review and the print queue in English', async () => {
    // A letter whose scan OCR could not read: the agent types its text.
    const [row] = await loket.db!.query<{ id: string }>(
      `insert into letters (status, sender, letter_date, scans, entered_by, ocr_error)
       values ('failed', $1, '2026-11-02', '[]', 'Coco Coördinator', 'tesseract gave up') returning id`,
      [JSON.stringify({ name: 'Johanna Verbeek', postalAddress: { street: 'Lange Voorhout 12', postalCode: '2514 EA', city: 'Den Haag' } })],
    );
    const id = Number(row!.id);
    const failed = (await get(`/werkplek/brief/${id}`)).text;
    expectEnglishPage(failed);
    expect(failed).toContain(`<title>Letter ${id}</title>`);
    expect(failed).toContain('<strong>Status:</strong> Reading the scans failed. Type the text of the letter yourself.');
    expect(failed).toContain('<dt>Date of the letter</dt><dd>Monday, 2 November 2026</dd>');
    expect(failed).toContain('<button type="submit">Submit the letter</button>');
    expectNone(failed, ['Brief ', 'mislukt', 'Afzender', 'Ingevoerd door', 'november', 'Brief indienen']);

    const empty = await postAs(loket.url, coco, `/werkplek/brief/${id}`, { text: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter the text of the letter (at most 100,000 characters).');

    expect((await postAs(loket.url, coco, `/werkplek/brief/${id}`, { text: 'Vraag over mijn vakantiegeld.' })).status).toBe(303);
    const submitted = (await get(`/werkplek/brief/${id}`)).text;
    expect(submitted).toContain('The letter has been submitted.');
    expect(submitted).toContain('<p>Registration number:</p>');

    // Its acknowledgement is a letter to print.
    const queue = await waitFor(async () => {
      const { text } = await get('/werkplek/afdrukken');
      return text.includes('data-outbox-id=') && text;
    }, 'the acknowledgement letter in the print queue');
    expectEnglishPage(queue);
    expect(queue).toContain('<title>Letters to print</title>');
    expect(queue).toContain('Print the PDF, put it in a window envelope and then mark it as posted.');
    expect(queue).toContain('<th scope="col">Reference</th><th scope="col">Addressee</th>');
    expect(queue).toMatch(/>PDF of [^<]+<\/a>/);
    expect(queue).toMatch(/aria-label="Letter [^"]+ posted">Posted<\/button>/);
    expectNone(queue, ['Af te drukken', 'Kenmerk', 'Geadresseerde', 'Verstuurd per post', 'PDF van']);

    const outboxId = /data-outbox-id="(\d+)"/.exec(queue)![1]!;
    expect((await postAs(loket.url, coco, `/werkplek/afdrukken/${outboxId}/verstuurd`, {})).status).toBe(303);
    expect((await get('/werkplek/afdrukken')).text).toContain('There are no letters to print.');
    expect((await get('/werkplek/afdrukken/999999.pdf')).text).toBe('This letter does not exist.');
  });
});

describe('an agent who did not choose English', () => {
  it('keeps the Dutch desk pages', async () => {
    const chats = (await get('/werkplek/chats', anna)).text;
    expect(chats).toContain('<html lang="nl">');
    expect(chats).toContain('<button type="submit" lang="en">English</button>');
    expect(chats).toContain('Wachtende chats (<span id="queue-count">0</span>)');
    expect(chats).toContain('Verbonden. Nieuwe chats verschijnen hier vanzelf.');
    expect(chats).toContain('&quot;inloggen&quot;:&quot;Inloggen&quot;');
    expect(chats).not.toContain('Waiting chats');

    const form = (await get('/werkplek/gesprek', anna)).text;
    expect(form).toContain('<title>Telefoongesprek vastleggen</title>');
    expect(form).not.toContain('Log a phone call');
    const refused = await postAs(loket.url, anna, '/werkplek/gesprek', { summary: '', outcome: 'terugbellen' });
    expect(await refused.text()).toContain('Vul een samenvatting van het gesprek in (hoogstens 20.000 tekens).');

    const list = (await get('/werkplek/terugbellen', anna)).text;
    expect(list).toContain('<title>Terugbellen</title>');
    expect(list).toContain('<th scope="col">Nummer</th>');
    const entry = (await get('/werkplek/brief', anna)).text;
    expect(entry).toContain('<title>Brief invoeren</title>');
    expect(entry).not.toContain('Enter a letter');
    const queue = (await get('/werkplek/afdrukken', anna)).text;
    expect(queue).toContain('Er zijn geen brieven om af te drukken.');
    expect((await get('/werkplek/brief/999999', anna)).text).toBe('Deze brief bestaat niet.');
  });
});
