/**
 * The privacy officer's pages in English for an officer who chose it (the access log, erasure
 * with its refusals, the right of access), the retention dry run for an admin who chose it, and
 * the pages before anyone is signed in — the sign-in page and /setup — in English when the
 * browser asks for it or the address says ?lang=en; Dutch stays for everyone else. Real: HTTP
 * with sessions and CSRF, PostgreSQL, Redis, the workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { offerSetup } from '../src/auth/setup.js';
import { createLogger } from '../src/logger.js';
import { expectEnglishPage, pageAs } from './support/language.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let anna: Session;
let pia: Session;
let paul: Session;
let olga: Session;
let sara: string;
let tom: string;

const query = <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => loket.db!.query<Row>(text, params);

async function form(name: string, email: string, extra: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email, subject: 'Salaris', message: 'Mijn salaris klopt niet.', ...extra }),
  });
  expect(response.status).toBe(202);
  const { reference } = (await response.json()) as { reference: string };
  await waitFor(async () => (await query(`select 1 from cases where reference = $1`, [reference])).length === 1, `case ${reference}`);
  return reference;
}

beforeAll(async () => {
  // One free wrong password per account name: the second at once is told to wait.
  // The complaint clock every second, so a complaint is registered at once.
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000', LOGIN_FREE_FAILURES: '1', SLA_SWEEP_SECONDS: '1' });
  await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(loket.database.db, { email: 'pia@example.org', name: 'Pia Privacy', role: 'privacy', password: PASSWORD });
  await createUser(loket.database.db, { email: 'paul@example.org', name: 'Paul Privacy', role: 'privacy', password: PASSWORD });
  await createUser(loket.database.db, { email: 'olga@example.org', name: 'Olga Officier', role: 'privacy', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  pia = await loginAs(loket.url, 'pia@example.org');
  paul = await loginAs(loket.url, 'paul@example.org');
  olga = await loginAs(loket.url, 'olga@example.org');
  for (const officer of [pia, paul]) expect((await postAs(loket.url, officer, '/werkplek/taal', { taal: 'en', terug: '/privacy' })).status).toBe(303);
  sara = await form('Sara Smit', 'sara@example.org');
  tom = await form('Tom Test', 'tom@example.org');
  expect((await postAs(loket.url, anna, `/werkplek/zaken/${sara}/notitie`, { text: 'Internal remark on the salary.' })).status).toBe(303);
}, 90_000);

afterAll(async () => {
  await loket?.stop();
});

const get = (path: string, session: Session) => pageAs(loket.url, session, path);

function expectNone(page: string, dutch: string[]) {
  for (const words of dutch) expect(page, words).not.toContain(words);
}

describe('the privacy officer who chose English', () => {
  it('reads the access log in English', async () => {
    const { status, text } = await get('/privacy', pia);
    expect(status).toBe(200);
    expectEnglishPage(text);
    expect(text).toContain('<title>Access to personal data</title>');
    expect(text).toContain('<a href="/privacy/wissen">Erase data on request (approved by a second privacy officer)</a>');
    expectNone(text, ['Toegang tot persoonsgegevens', 'Gegevens wissen', 'Uitloggen', 'Zoeken in het logboek']);
  });

  it('records an erasure request in English, and is refused in English naming the field', async () => {
    const page = await get('/privacy/wissen', pia);
    expect(page.status).toBe(200);
    expectEnglishPage(page.text);
    expect(page.text).toContain('<title>Erase data</title>');
    expect(page.text).toContain('<a href="/privacy">Back to the access log</a>');
    expect(page.text).toContain('<label for="persoon">E-mail address, employee number or phone number</label>');
    expect(page.text).toContain('<button type="submit">Record a request</button>');
    expect(page.text).toContain('<p>No requests yet.</p>');
    expectNone(page.text, ['Terug naar', 'Gegevens wissen', 'Verzoek vastleggen', 'Reden', 'Nog geen verzoeken', 'privacyfunctionaris']);

    const noPerson = await postAs(loket.url, pia, '/privacy/wissen', { persoon: '', reden: 'The person asked by letter.' });
    expect(noPerson.status).toBe(400);
    const refused = await noPerson.text();
    expectEnglishPage(refused);
    expect(refused).toContain('<div role="alert" class="error-summary" id="error">Enter an e-mail address, employee number or phone number.</div>');
    expectNone(refused, ['Vul een', 'Gegevens wissen']);
    const noReason = await postAs(loket.url, pia, '/privacy/wissen', { persoon: 'sara@example.org', reden: '' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Enter the reason for the request.');
    const nobody = await postAs(loket.url, pia, '/privacy/wissen', { persoon: 'nobody@example.org', reden: 'The person asked by letter.' });
    expect(nobody.status).toBe(400);
    expect(await nobody.text()).toContain('No cases found for this person.');

    const asked = await postAs(loket.url, pia, '/privacy/wissen', { persoon: 'tom@example.org', reden: 'The person asked by letter.' });
    expect(asked.status).toBe(200);
    const listed = await asked.text();
    expect(listed).toContain('The request has been recorded. A second privacy officer approves it.');
    expect(listed).toMatch(
      /<strong>tom@example\.org<\/strong> \(1 case\) — asked by Pia Privacy on \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}: The person asked by letter\./,
    );
    expect(listed).toContain('Waiting for a second privacy officer.');
    expectNone(listed, ['gevraagd door', 'Wacht op', 'vastgelegd']);

    const [request] = await query<{ id: string }>(`select id from erasure_requests where person = 'tom@example.org'`);
    const own = await postAs(loket.url, pia, `/privacy/wissen/${request!.id}/goedkeuren`, {});
    expect(own.status).toBe(409);
    expect(await own.text()).toContain('A second privacy officer approves the request, not the one who recorded it.');

    // The second officer refuses it, in English as well.
    const second = (await get('/privacy/wissen', paul)).text;
    expect(second).toContain('<button type="submit">Approve and erase</button>');
    expect(second).toContain(`<label for="refusal-${request!.id}">Reason for refusing</label>`);
    expect(second).toContain('<button type="submit" class="secondary">Refuse</button>');
    const noRefusal = await postAs(loket.url, paul, `/privacy/wissen/${request!.id}/weigeren`, { reden: '' });
    expect(noRefusal.status).toBe(400);
    expect(await noRefusal.text()).toContain('Enter the reason for refusing.');
    const refusedRequest = await postAs(loket.url, paul, `/privacy/wissen/${request!.id}/weigeren`, { reden: 'No legal ground.' });
    expect(refusedRequest.status).toBe(200);
    const after = await refusedRequest.text();
    expect(after).toContain('The request has been refused.');
    expect(after).toContain('<br>Refused by Paul Privacy: No legal ground.');
    expect((await postAs(loket.url, paul, `/privacy/wissen/${request!.id}/goedkeuren`, {})).status).toBe(409);
    expectNone(after, ['Geweigerd', 'geweigerd', 'Goedkeuren']);
  });

  it('is refused in English while a complaint of the person is handled; the kept refusal stays Dutch', async () => {
    const reference = await form('Karin Klager', 'karin@example.org', { subject: 'Klacht', message: 'Ik heb een klacht.', topic: 'klacht' });
    await waitFor(
      async () => (await query(`select 1 from complaints k join cases c on c.id = k.case_id where c.reference = $1`, [reference])).length === 1,
      'the complaint',
    );
    const refused = await postAs(loket.url, pia, '/privacy/wissen', { persoon: 'karin@example.org', reden: 'The person asked by e-mail.' });
    expect(refused.status).toBe(409);
    const page = await refused.text();
    expectEnglishPage(page);
    expect(page).toContain(
      `<div role="alert" class="error-summary" id="error">Complaint ${reference} is still being handled: the data stays until the complaint is closed.</div>`,
    );
    // The refusal on record is the installation's Dutch, whoever asked.
    expect(page).toContain(`<br>Refused: Klacht ${reference} wordt nog behandeld`);
    const [kept] = await query<{ refusal: string }>(`select refusal from erasure_requests where person = 'karin@example.org'`);
    expect(kept!.refusal).toBe(`Klacht ${reference} wordt nog behandeld: de gegevens blijven tot de klacht is afgesloten.`);
  });

  it("shows a person's right of access in English, and its refusals", async () => {
    const empty = await get('/privacy/inzage', pia);
    expect(empty.status).toBe(200);
    expectEnglishPage(empty.text);
    expect(empty.text).toContain('<title>A person&#39;s right of access</title>');
    expect(empty.text).toContain('<button type="submit">Search</button>');
    expectNone(empty.text, ['Inzage voor een persoon', 'Zoeken', 'Terug naar', 'leesbaar overzicht']);

    const tooShort = await get('/privacy/inzage?persoon=x', pia);
    expect(tooShort.status).toBe(400);
    expectEnglishPage(tooShort.text);
    expect(tooShort.text).toContain('<div role="alert" class="error-summary" id="error">Enter an e-mail address, employee number or phone number.</div>');

    const found = await get('/privacy/inzage?persoon=sara@example.org', pia);
    expect(found.status).toBe(200);
    expect(found.text).toContain('<h2>1 case found</h2>');
    expect(found.text).toContain(`<li>${sara} — Salaris</li>`);
    expect(found.text).toContain('<legend>Internal notes (included, unless you withhold one with a reason)</legend>');
    expect(found.text).toMatch(/<input type="checkbox" name="achterhouden" value="\d+"> Withhold: Anna Agent: Internal remark on the salary\.<\/label>/);
    expect(found.text).toMatch(/<label for="reden-\d+">Reason to withhold<\/label>/);
    expect(found.text).toContain('<button type="submit">Make the ZIP</button>');
    expectNone(found.text, ['zaken gevonden', 'Interne notities', 'Achterhouden', 'ZIP maken']);

    const [note] = await query<{ id: string }>(`select id from case_notes where text like 'Internal remark%'`);
    const noReason = await postAs(loket.url, pia, '/privacy/inzage', { persoon: 'sara@example.org', achterhouden: note!.id });
    expect(noReason.status).toBe(400);
    const refused = await noReason.text();
    expectEnglishPage(refused);
    expect(refused).toContain(`Give a reason to withhold note ${note!.id}.`);
    expect(refused).not.toContain('Geef een reden');
  });
});

describe('a privacy officer who did not choose English', () => {
  it('keeps the Dutch pages and refusals', async () => {
    const erase = (await get('/privacy/wissen', olga)).text;
    expect(erase).toContain('<html lang="nl">');
    expect(erase).toContain('<button type="submit" lang="en">English</button>');
    expect(erase).toContain('<h1>Gegevens wissen</h1>');
    expect(erase).toContain('<a href="/privacy">Terug naar het toegangslogboek</a>');
    // Stored words stay as they were typed; the frame around them is Dutch.
    expect(erase).toContain('<br>Geweigerd door Paul Privacy: No legal ground.');
    expect(erase).not.toContain('Erase data');
    const refused = await postAs(loket.url, olga, '/privacy/wissen', { persoon: '', reden: 'Verzoek per brief' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Vul een e-mailadres, personeelsnummer of telefoonnummer in.');

    const access = (await get('/privacy/inzage?persoon=sara@example.org', olga)).text;
    expect(access).toContain('<title>Inzage voor een persoon</title>');
    expect(access).toContain('<h2>1 zaken gevonden</h2>');
    expect(access).toContain('<button type="submit">ZIP maken</button>');
    expect(access).not.toContain('Make the ZIP');
  });
});

describe('the sign-in page', () => {
  const signIn = (path: string, headers: Record<string, string> = {}) => fetch(`${loket.url}${path}`, { headers, redirect: 'manual' });
  const wrongPassword = (path: string, email: string, headers: Record<string, string> = {}) =>
    fetch(`${loket.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ email, password: 'not-the-password', next: '/werkplek' }),
      redirect: 'manual',
    });

  function expectEnglishSignIn(page: string) {
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<title>Sign in</title>');
    expect(page).toContain('<a href="/login?lang=nl" lang="nl" hreflang="nl">Nederlands</a>');
    expect(page).toContain('<label for="email">E-mail address</label>');
    expect(page).toContain('<label for="password">Password</label>');
    expect(page).toContain('<button type="submit">Sign in</button>');
    expectNone(page, ['Inloggen', 'E-mailadres', 'Wachtwoord', 'Contactcenter']);
  }

  it('is English for a browser that asks for English first', async () => {
    const response = await signIn('/login', { 'accept-language': 'en-GB,en;q=0.9,nl;q=0.8' });
    expect(response.status).toBe(200);
    const page = await response.text();
    expectEnglishSignIn(page);
    expect(page).toContain('<form method="post" action="/login">');
  });

  it('is English with ?lang=en in a Dutch browser, and keeps the choice in its form and where the person was going', async () => {
    const page = await (await signIn('/login?lang=en', { 'accept-language': 'nl-NL,nl;q=0.9' })).text();
    expectEnglishSignIn(page);
    expect(page).toContain('<form method="post" action="/login?lang=en">');
    const going = await (await signIn(`/login?lang=en&next=${encodeURIComponent('/privacy/wissen')}`)).text();
    expect(going).toContain('<a href="/login?lang=nl&amp;next=%2Fprivacy%2Fwissen" lang="nl" hreflang="nl">Nederlands</a>');
  });

  it('is Dutch without either, or with ?lang=nl in an English browser', async () => {
    for (const page of [await (await signIn('/login')).text(), await (await signIn('/login?lang=nl', { 'accept-language': 'en-GB' })).text()]) {
      expect(page).toContain('<html lang="nl">');
      expect(page).toContain('<title>Inloggen</title>');
      expect(page).toContain('<label for="email">E-mailadres</label>');
      expect(page).toContain('<a href="/login?lang=en" lang="en" hreflang="en">English</a>');
      expectNone(page, ['Sign in', 'Password']);
    }
  });

  it('refuses a wrong password in English', async () => {
    for (const refused of [
      await wrongPassword('/login?lang=en', 'nobody1@example.org'),
      await wrongPassword('/login', 'nobody2@example.org', { 'accept-language': 'en-US' }),
    ]) {
      expect(refused.status).toBe(401);
      const page = await refused.text();
      expectEnglishSignIn(page);
      expect(page).toContain('<div class="error-summary" role="alert" tabindex="-1"><p>The e-mail address or password is incorrect.</p></div>');
      expect(page).not.toContain('klopt niet');
    }
    const json = await fetch(`${loket.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ email: 'nobody3@example.org', password: 'not-the-password' }),
    });
    expect(json.status).toBe(401);
    expect(await json.json()).toEqual({ error: 'invalid', message: 'The e-mail address or password is incorrect.' });
  });

  it('tells in English to wait after wrong passwords', async () => {
    // Two at once for one account name: one is checked (its failure costs a wait), the other told to wait.
    const answers = await Promise.all([1, 2].map(() => wrongPassword('/login?lang=en', 'nobody4@example.org')));
    expect(answers.map((answer) => answer.status).sort()).toEqual([401, 429]);
    const page = await answers.find((answer) => answer.status === 429)!.text();
    expectEnglishSignIn(page);
    expect(page).toMatch(/<p>Too many failed attempts to sign in\. Wait \d+ seconds? and then try again\.<\/p>/);
    expect(page).not.toContain('Te veel');
  });
});

describe('a refusal at the door', () => {
  it("speaks the browser's language to someone not signed in, and the person's own to someone signed in", async () => {
    const english = await fetch(`${loket.url}/werkplek`, { headers: { accept: 'text/html', 'accept-language': 'en-GB' }, redirect: 'manual' });
    expect(english.status).toBe(401);
    const page = await english.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Please sign in first. <a href="/login?next=%2Fwerkplek">To sign in</a>');
    const dutch = await fetch(`${loket.url}/werkplek`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(await dutch.text()).toContain('Log eerst in. <a href="/login?next=%2Fwerkplek">Naar inloggen</a>');
    // Pia chose English: the workspace is not hers, and she is told so in English, whatever her browser asks.
    const forbidden = await fetch(`${loket.url}/werkplek/zaken`, { headers: { cookie: pia.cookie, 'accept-language': 'nl-NL' } });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ error: 'forbidden', message: 'You do not have access to this page.' });
    const expired = await fetch(`${loket.url}/privacy/wissen`, {
      method: 'POST',
      headers: { cookie: pia.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: 'not-the-token' }),
    });
    expect(expired.status).toBe(403);
    expect(await expired.json()).toEqual({ error: 'csrf', message: 'The page has expired. Reload it and try again.' });
  });
});

describe('/setup', () => {
  let token: string;
  const setup = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${loket.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ token, ...fields }),
      redirect: 'manual',
    });

  beforeAll(async () => {
    // No admin yet (the dry run's is made after these tests): a one-time link, as the log would print it.
    const link = await offerSetup(loket.database.db, loket.url, createLogger('silent'));
    token = new URL(link!).searchParams.get('token')!;
  });

  it('is English for an English browser or with ?lang=en, Dutch otherwise', async () => {
    for (const [path, headers] of [
      [`/setup?token=${token}`, { 'accept-language': 'en-GB' }],
      [`/setup?token=${token}&lang=en`, {}],
    ] as const) {
      const response = await fetch(`${loket.url}${path}`, { headers });
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('<html lang="en">');
      expect(page).toContain('<h1>Set up Loket</h1>');
      expect(page).toContain('<label for="naam">Your name</label>');
      expect(page).toContain('<span class="hint" id="wachtwoord-hint">At least 12 characters. Choose a password you use nowhere else.</span>');
      expect(page).toContain('<button type="submit">Create the administrator</button>');
      expect(page).toContain(`<a href="/setup?token=${token}&amp;lang=nl" lang="nl" hreflang="nl">Nederlands</a>`);
      expectNone(page, ['Loket inrichten', 'Uw naam', 'Wachtwoord', 'Beheerder aanmaken']);
    }
    const dutch = await (await fetch(`${loket.url}/setup?token=${token}`)).text();
    expect(dutch).toContain('<html lang="nl">');
    expect(dutch).toContain('<h1>Loket inrichten</h1>');
    expect(dutch).toContain(`<a href="/setup?token=${token}&amp;lang=en" lang="en" hreflang="en">English</a>`);
    expect(dutch).toContain('<form method="post" action="/setup" novalidate>');
    expect(await (await fetch(`${loket.url}/setup?token=${token}&lang=en`)).text()).toContain('<form method="post" action="/setup?lang=en" novalidate>');
  });

  it('names the wrong fields in English', async () => {
    for (const [path, headers] of [
      ['/setup?lang=en', {}],
      ['/setup', { 'accept-language': 'en' }],
    ] as const) {
      const refused = await setup(path, { naam: '', email: 'not-an-address', wachtwoord: 'short', herhaling: 'other' }, headers);
      expect(refused.status).toBe(400);
      const page = await refused.text();
      expect(page).toContain('<html lang="en">');
      expect(page).toContain('<h2>The account was not created: 4 errors</h2>');
      expect(page).toContain('<a href="#naam">Enter your name.</a>');
      expect(page).toContain('<a href="#email">Enter a valid e-mail address, such as name@example.org.</a>');
      expect(page).toContain('<a href="#wachtwoord">The password must have at least 12 characters.</a>');
      expect(page).toContain('<a href="#herhaling">The two passwords are not the same.</a>');
      expect(page).toContain('value="not-an-address"');
      expectNone(page, ['Vul ', 'Het wachtwoord', 'niet gelijk', 'fouten']);
    }
    const dutch = await (
      await setup('/setup', { naam: '', email: 'x@example.org', wachtwoord: 'een-heel-lang-wachtwoord', herhaling: 'een-heel-lang-wachtwoord' })
    ).text();
    expect(dutch).toContain('<a href="#naam">Vul uw naam in.</a>');
  });

  it('makes the admin and says so in English; a dead link is refused in English', async () => {
    const made = await setup('/setup?lang=en', {
      naam: 'Bea Beheer',
      email: 'bea@example.org',
      wachtwoord: 'een-heel-lang-wachtwoord',
      herhaling: 'een-heel-lang-wachtwoord',
    });
    expect(made.status).toBe(201);
    const done = await made.text();
    expect(done).toContain('<html lang="en">');
    expect(done).toContain('<h1>The administrator has been created</h1>');
    expect(done).toContain('<a href="/login?lang=en">To sign in</a>');
    const dead = await fetch(`${loket.url}/setup?token=${token}`, { headers: { 'accept-language': 'en-GB' } });
    expect(dead.status).toBe(404);
    expect(await dead.text()).toContain('<h1>This link does not work (any more)</h1>');
  });
});

describe('an admin who chose English', () => {
  it('reads the retention dry run in English', async () => {
    await createUser(loket.database.db, { email: 'ada@example.org', name: 'Ada Admin', role: 'admin', password: PASSWORD });
    const ada = await loginAs(loket.url, 'ada@example.org');
    expect((await postAs(loket.url, ada, '/werkplek/taal', { taal: 'en', terug: '/admin/bewaartermijnen/proefdraai' })).status).toBe(303);
    await query(`update cases set status = 'closed', closed_at = now() - interval '13 months' where reference = $1`, [tom]);
    const { status, text } = await get('/admin/bewaartermijnen/proefdraai', ada);
    expect(status).toBe(200);
    expectEnglishPage(text);
    expect(text).toContain('<h1>Retention periods: dry run</h1>');
    expect(text).toContain('<a href="/admin/bewaartermijnen">Back to the retention periods</a>');
    expect(text).toContain(`<tr data-kind="question"><td>Questions (mail and form)</td><td>1</td><td>${tom}</td></tr>`);
    expectNone(text, ['Proefdraai', 'Terug naar', 'Vragen', 'Soort', 'Zaken']);
  });
});
