/**
 * The admin console in English for an admin who chose it: every page src/admin renders (the
 * console's start page, each setting's form, JSON editor and history, the corrections of the
 * topic recognition), its notices, the dry run and its refusals; Dutch stays for everyone else.
 * Real: HTTP with sessions and CSRF, PostgreSQL (a database of its own), Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxStore } from '../channels/email/mailbox.store.js';
import { SETTING_EDITORS } from '../src/admin/setting.editors.js';
import { saveSetting } from '../src/admin/settings.versions.js';
import { createUser } from '../src/auth/accounts.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { expectEnglishPage, pageAs } from './support/language.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';

let loket: TestLoket;
let ada: Session;
let bram: Session;

beforeAll(async () => {
  loket = await startTestLoket({ ROLE: 'web' });
  const db = loket.database.db;
  await createUser(db, { email: 'ada@example.org', name: 'Ada Admin', role: 'admin', password: PASSWORD });
  await createUser(db, { email: 'bram@example.org', name: 'Bram Beheer', role: 'admin', password: PASSWORD });
  ada = await loginAs(loket.url, 'ada@example.org');
  bram = await loginAs(loket.url, 'bram@example.org');
  expect((await postAs(loket.url, ada, '/werkplek/taal', { taal: 'en', terug: '/admin' })).status).toBe(303);
  // A rule to show in the form, and two versions of the chat topics to show in their history.
  await saveSetting(db, 'routing.rules', [{ id: 'bzk', name: 'BZK met voorrang', when: { senders: ['@minbzk.nl'] }, then: { priority: 'high' } }], 'Ada Admin');
  await saveSetting(db, 'chat.topics', ['inloggen'], 'Ada Admin', 'alleen inloggen');
  await saveSetting(db, 'chat.topics', ['inloggen', 'verlof'], 'Ada Admin');
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

const get = (path: string, session = ada) => pageAs(loket.url, session, path);

/** An English admin page with its frame: language, switch, title, menu. */
async function englishPage(path: string, title: string): Promise<string> {
  const { status, text } = await get(path);
  expect(status, path).toBe(200);
  expectAdminEnglish(text, title);
  return text;
}

function expectAdminEnglish(page: string, title: string) {
  expectEnglishPage(page);
  expect(page).toContain(`<title>${title} — Administration</title>`);
  expect(page).toContain(
    '<nav class="admin" aria-label="Administration"><ul><li><a href="/werkplek">Workspace</a></li><li><a href="/admin">Administration</a></li>',
  );
  expect(page).toContain('<li><a href="/admin/regels">Routing rules</a></li>');
  expectNone(page, [
    'Beheer',
    'Werkplek',
    'Routeringsregels',
    'Contactcenter',
    'verplicht',
    'optioneel',
    'Opslaan',
    'Toelichting',
    'Terug naar',
    'Niet opgeslagen',
  ]);
}

function expectNone(page: string, dutch: string[]) {
  for (const words of dutch) expect(page, words).not.toContain(words);
}

/** What each setting's pages say in English, and the Dutch they no longer say. */
const SETTINGS: Record<string, { title: string; form: string[]; json: string; dutch: string[] }> = {
  regels: {
    title: 'Routing rules',
    form: [
      '<legend>Rule 1: BZK met voorrang</legend>',
      '<label for="r0-id">Key <span class="hint">(required)</span></label>',
      '<legend>Conditions</legend>',
      '<label for="r0-officeHours">Office hours <span class="hint">(optional)</span></label>',
      '<option value="" selected>does not matter</option>',
      '<legend>Actions</legend>',
      '<option value="high" selected>high</option>',
      '<label class="check" for="r0-stop"><input type="checkbox" id="r0-stop" name="r0-stop" value="ja"> Stop: apply no further rules after this one</label>',
      '>Delete<span class="visually-hidden"> (rule 1)</span></button>',
      '<button type="submit" class="secondary" name="actie" value="toevoegen">Add rule</button>',
      '<legend>Dry run (saves nothing)</legend>',
      '<label for="from">Sender (e-mail address)</label>',
      '>Dry run</button>',
    ],
    json: 'Rules apply from top to bottom. A rule applies when <em>all</em> conditions in <code>when</code> hold;',
    dutch: ['Regel', 'Sleutel', 'Voorwaarden', 'Acties', 'maakt niet uit', 'hoog', 'Stoppen', 'Verwijderen', 'Proefdraaien', 'Afzender'],
  },
  onderwerpen: {
    title: 'Topics',
    form: [
      '<legend>Topic 1: Klacht</legend>',
      '<label for="t0-nameEn">Name (English) <span class="hint">(required)</span></label>',
      '<label for="t0-keywordsNl">Keywords (Dutch) <span class="hint">(optional)</span></label>',
      'One word or phrase per line.',
      '>Move down<span class="visually-hidden"> (topic 1)</span></button>',
      '>Add topic</button>',
    ],
    json: 'Keywords only count without a model (see Topic recognition)',
    dutch: ['Onderwerp 1', 'Naam (Engels)', 'Trefwoorden', 'Gewicht', 'Omlaag', 'Onderwerp toevoegen'],
  },
  chat: {
    title: 'Chat topics',
    form: ['<legend>Topics the chat handles</legend>', 'Nothing ticked: the chat refers every question to the web form, e-mail and phone.'],
    json: 'The keys of the topics the chat may handle.',
    dutch: ['Chatonderwerpen', 'Onderwerpen die de chat behandelt', 'Niets aangevinkt'],
  },
  openingstijden: {
    title: 'Office hours',
    form: [
      '<legend>Monday to Friday (Dutch time)</legend>',
      '<label for="opensAt">Open from <span class="hint">(required)</span></label>',
      'Extra closing days',
    ],
    json: 'Monday to Friday, Dutch time.',
    dutch: ['Maandag tot en met vrijdag', 'Open vanaf', 'Open tot', 'Extra sluitingsdagen', 'Bijvoorbeeld'],
  },
  sjablonen: {
    title: 'Reply templates',
    form: [
      '<legend>Template 1: Klacht ontvangen</legend>',
      '<label for="s0-subjectNl">Subject line (Dutch) <span class="hint">(optional)</span></label>',
      'Left empty: English-speaking senders get the Dutch text.',
      '>Add template</button>',
      // The templates' own texts are the admins' data, not the page's words: they stay as written.
      'Wij hebben uw klacht ontvangen [{reference}]',
    ],
    json: 'Automatic replies that a rule (<code>replyTemplate</code>) sends instead of the acknowledgement.',
    dutch: ['Sjabloon 1', 'Onderwerpregel', 'Leeg laten', 'Sjabloon toevoegen', 'Variabelen'],
  },
  verzenden: {
    title: 'Sending',
    form: ['<label for="keepTryingHours">Keep trying for (hours) <span class="hint">(required)</span></label>', 'From 1 to 720.'],
    json: 'how long (in hours, 1 to 720) an answer is tried again after a temporary failure.',
    dutch: ['Verzenden', 'Blijf proberen', 'Van 1 tot 720'],
  },
  chatconsole: {
    title: 'Chat console',
    form: ['<label for="maxPerAgent">Chat conversations at once per agent <span class="hint">(required)</span></label>'],
    json: 'the number of chat conversations (1 to 10) one agent holds at once.',
    dutch: ['Chatconsole', 'Chatgesprekken tegelijk'],
  },
  herkenning: {
    title: 'Topic recognition',
    form: ['<label for="threshold">Minimum confidence (0 to 1) <span class="hint">(required)</span></label>', 'For example 0.3.'],
    json: 'the minimum confidence (0 to 1) at which the recognised topic is used',
    dutch: ['Onderwerpherkenning', 'Minimale zekerheid', 'Bijvoorbeeld'],
  },
  termijnen: {
    title: 'Deadlines (SLA)',
    form: [
      '<legend>Promise 1</legend>',
      '<option value="" selected>Any channel</option>',
      'First response within (working hours)',
      '<legend>New promise (leave empty if you are not adding one)</legend>',
      '<label for="warnHours">Warn (working hours ahead) <span class="hint">(required)</span></label>',
    ],
    json: '<code>warnHours</code>: working hours of warning ahead.',
    dutch: ['Termijnen', 'Afspraak', 'Elk kanaal', 'Eerste reactie', 'Waarschuwen'],
  },
  klachttermijnen: {
    title: 'Complaint procedure deadlines',
    form: ['<label for="resolveDays">Complaint resolved within (working days) <span class="hint">(required)</span></label>'],
    json: 'working days (1 to 60).',
    dutch: ['Termijnen klachtprocedure', 'Klacht opgelost binnen', 'werkdagen'],
  },
  bewaartermijnen: {
    title: 'Retention periods',
    form: [
      '<label for="letterMonths">Letters (months after closing) <span class="hint">(required)</span></label>',
      'Dry run: what the next round would remove',
    ],
    json: 'months (1 to 240).',
    dutch: ['Bewaartermijnen', 'Brieven', 'maanden na sluiten', 'Proefdraai'],
  },
};

describe('an admin who chose English', () => {
  it('has every setting of the console covered here', () => {
    expect(Object.keys(SETTINGS).sort()).toEqual(SETTING_EDITORS.map((editor) => editor.slug).sort());
  });

  it('sees the start page in English, with the switch back to Dutch', async () => {
    const page = await englishPage('/admin', 'Administration');
    expect(page).toContain('<h1>Administration</h1>');
    expect(page).toContain('Changes take effect in every process within two seconds.');
    expect(page).toContain('<li><a href="/admin/klachttermijnen">Complaint procedure deadlines</a></li>');
    expect(page).toContain('<input type="hidden" name="terug" value="/admin">');
    expectNone(page, ['Wijzigingen gelden', 'Termijnen klachtprocedure']);
  });

  it.each(Object.entries(SETTINGS))('sees the %s form, its JSON editor and its history in English', async (slug, texts) => {
    const form = await englishPage(`/admin/${slug}`, texts.title);
    expect(form).toContain(`<h1>${texts.title}</h1>`);
    expect(form).toContain(`<a href="/admin/${slug}/geschiedenis">History and rollback</a> · <a href="/admin/${slug}/json">Advanced: edit as JSON</a>`);
    expect(form).toContain('<label for="comment">Note on this change <span class="hint">(optional)</span></label>');
    expect(form).toContain('<button type="submit" name="actie" value="opslaan">Save</button>');
    for (const words of texts.form) expect(form, words).toContain(words);
    expectNone(form, [...texts.dutch, 'Geschiedenis en terugzetten', 'Geavanceerd']);

    const json = await englishPage(`/admin/${slug}/json`, `${texts.title} (JSON)`);
    expect(json).toContain('<label for="value">Value (JSON)</label>');
    expect(json).toContain(`<a href="/admin/${slug}">Back to the form</a>`);
    expect(json).toContain('<label for="comment">Note <span class="hint">(optional)</span></label>');
    expect(json).toContain(texts.json);
    expectNone(json, ['Waarde (JSON)', 'Terug naar het formulier']);

    const history = await englishPage(`/admin/${slug}/geschiedenis`, `${texts.title}: history`);
    expect(history).toContain(`<a href="/admin/${slug}">Back to editing</a>`);
    expectNone(history, ['geschiedenis<', 'Terug naar bewerken', 'Nog geen versies', 'Versie', 'Wijzigingen']);
  });

  it('sees versions in the history in English, and rolls one back with an English notice', async () => {
    const history = await englishPage('/admin/chat/geschiedenis', 'Chat topics: history');
    expect(history).toContain('<h2>Version 2 (in use)</h2>');
    expect(history).toMatch(/<p class="meta">\d{1,2} \w{3,4} \d{4}, \d{2}:\d{2} by Ada Admin — alleen inloggen<\/p>/);
    expect(history).toContain('<summary>Changes</summary>');
    expect(history).toContain('<button type="submit">Roll back to version 1</button>');
    expect((await get('/admin/regels/geschiedenis')).text).toContain('<h2>Version 1 (in use)</h2>');
    expect((await get('/admin/verzenden/geschiedenis')).text).toContain('<p>No versions yet: the default value is in use.</p>');

    const rolledBack = await postAs(loket.url, ada, '/admin/chat/terugzetten', { version: '1' });
    expect(rolledBack.status).toBe(303);
    const after = await englishPage(rolledBack.headers.get('location')!, 'Chat topics: history');
    expect(after).toContain('<p class="notice" role="status">Rolled back; the old value is now in force as version 3.</p>');
    expectNone(after, ['Teruggezet', 'door Ada']);

    const refused = await postAs(loket.url, ada, '/admin/chat/terugzetten', { version: 'nul' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid', message: 'Choose a version.' });
    const missing = await postAs(loket.url, ada, '/admin/chat/terugzetten', { version: '99' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not-found', message: 'Version 99 does not exist.' });
  });

  it('saves a form and is told so in English', async () => {
    const saved = await postAs(loket.url, ada, '/admin/chatconsole', { maxPerAgent: '4', actie: 'opslaan' });
    expect(saved.status).toBe(303);
    const page = await englishPage(saved.headers.get('location')!, 'Chat console');
    expect(page).toContain('<p class="notice" role="status">Saved as version 1.</p>');
    expect(page).not.toContain('Opgeslagen');
  });

  it('gets a refused form back in English, each field named with its own English message', async () => {
    const refused = await postAs(loket.url, ada, '/admin/openingstijden', {
      opensAt: '23:00',
      closesAt: '08:00',
      extraClosedDays: 'morgen\n2026-12-24',
      actie: 'opslaan',
    });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expectAdminEnglish(page, 'Office hours');
    expect(page).toContain('<h2>Not saved: 2 errors</h2>');
    expect(page).toContain('<li><a href="#extraClosedDays">Extra closing days › line 1</a>: a date like 2026-12-24</li>');
    expect(page).toContain('<li><a href="#closesAt">Open until</a>: the closing time must be after the opening time</li>');
    expect(page).toContain(
      '<p class="field-error" id="closesAt-error"><span class="visually-hidden">Error: </span>the closing time must be after the opening time</p>',
    );
    expect(page).toContain('<span class="visually-hidden">Error: </span>line 1: a date like 2026-12-24</p>');
    // What was typed comes back as typed.
    expect(page).toContain('>morgen\n2026-12-24</textarea>');
    expectNone(page, ['fouten', 'regel 1', 'sluitingstijd', 'een datum als', 'Fout:']);
  });

  it('gets refusals of the rules, the numbers and the templates in English', async () => {
    const rules = await postAs(loket.url, ada, '/admin/regels', {
      'r0-id': 'BZK!',
      'r0-senders': 'minbzk',
      'r0-subjectMatches': '(?=spoed)',
      'r0-bodyMatches': '(\\w+) \\1',
      actie: 'opslaan',
    });
    expect(rules.status).toBe(400);
    const page = await rules.text();
    expectAdminEnglish(page, 'Routing rules');
    expect(page).toContain('<a href="#r0-id">Rule 1 › Key</a>: lowercase letters, digits and hyphens, at most 50');
    expect(page).toContain('<a href="#r0-senders">Rule 1 › Senders › line 1</a>: an address (name@domain.nl) or a domain (@domain.nl)');
    expect(page).toContain('<a href="#r0-subjectMatches">Rule 1 › Subject line matches pattern</a>: lookahead and lookbehind are not possible');
    expect(page).toContain('<a href="#r0-bodyMatches">Rule 1 › Text matches pattern</a>: backreferences (\\1) are not possible');
    expect(page).toContain('<a href="#r0-then">Rule 1 › Actions</a>: a rule must have at least one action');
    expectNone(page, ['kleine letters', 'een adres', 'niet mogelijk', 'minstens één actie']);

    const numbers = await postAs(loket.url, ada, '/admin/klachttermijnen', {
      firstContactDays: '0',
      resolveDays: '100',
      satisfactionDays: '',
      extraDays: '2.5',
      actie: 'opslaan',
    });
    expect(numbers.status).toBe(400);
    const deadlines = await numbers.text();
    expect(deadlines).toContain('<a href="#firstContactDays">First contact with the complainant within (working days)</a>: at least 1 working day');
    expect(deadlines).toContain('<a href="#resolveDays">Complaint resolved within (working days)</a>: at most 60 working days');
    expect(deadlines).toContain(
      '<a href="#satisfactionDays">Ask about satisfaction within (working days after the resolution)</a>: enter the number of working days',
    );
    expect(deadlines).toContain(
      '<a href="#extraDays">Extra period when the complainant is not satisfied (working days)</a>: enter a whole number of working days',
    );
    expectNone(deadlines, ['Minstens', 'Hoogstens', 'Vul het aantal', 'Een heel aantal']);

    const templates = await postAs(loket.url, ada, '/admin/sjablonen', {
      's0-key': 'spoed',
      's0-name': 'Spoed',
      's0-subjectNl': 'Spoed [{reference}]',
      's0-bodyNl': 'Beste {naam}',
      's1-key': 'spoed',
      's1-name': 'Nog eens',
      's1-subjectNl': 'Spoed',
      's1-bodyNl': 'Beste {name}',
      actie: 'opslaan',
    });
    expect(templates.status).toBe(400);
    const refusedTemplates = await templates.text();
    expect(refusedTemplates).toContain(
      '<a href="#s0-bodyNl">Template 1 › Text (Dutch)</a>: unknown variable {naam}; allowed: {reference} {answerBy} {name} {agent}',
    );
    expect(refusedTemplates).toContain('<a href="#s1-key">Template 2 › Key</a>: template spoed (nl) occurs twice');
    expectNone(refusedTemplates, ['onbekende variabele', 'komt twee keer voor']);
  });

  it('is told in English that someone else saved meanwhile', async () => {
    const loaded = /<input type="hidden" name="versie" value="(\d+)">/.exec((await get('/admin/herkenning')).text)![1]!;
    await saveSetting(loket.database.db, 'classify.confidence', { threshold: 0.4 }, 'Bram Beheer');
    const conflict = await postAs(loket.url, ada, '/admin/herkenning', { threshold: '0,5', versie: loaded, actie: 'opslaan' });
    expect(conflict.status).toBe(409);
    const page = await conflict.text();
    expectAdminEnglish(page, 'Topic recognition');
    expect(page).toContain('<h2>Not saved: someone else changed this setting in the meantime</h2>');
    expect(page).toContain('Version 1 is now in force. <a href="/admin/herkenning">Reload the page</a> to see it');
    expectNone(page, ['iemand anders', 'Er geldt nu']);
  });

  it('gets the JSON editor’s refusal and the API’s issues in English', async () => {
    const broken = await postAs(loket.url, ada, '/admin/chat', { value: '["inloggen"' });
    expect(broken.status).toBe(400);
    const page = await broken.text();
    expectAdminEnglish(page, 'Chat topics (JSON)');
    expect(page).toContain('<h2>Not saved: 1 error</h2>');
    expect(page).toMatch(/<li><strong>whole setting<\/strong>: not valid JSON: /);
    expectNone(page, ['geen geldige JSON', 'geheel']);

    const api = await fetch(`${loket.url}/admin/regels`, {
      method: 'POST',
      headers: { cookie: ada.cookie, 'x-csrf-token': ada.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ id: 'A', then: { priority: 'urgent' } }] }),
    });
    expect(api.status).toBe(400);
    expect(await api.json()).toEqual({
      error: 'invalid',
      issues: [
        { path: 'no. 1 › id', message: 'lowercase letters, digits and hyphens, at most 50', at: [0, 'id'] },
        { path: 'no. 1 › then › priority', message: 'choose one of: low, normal, high', at: [0, 'then', 'priority'] },
      ],
    });
  });

  it('dry-runs rules and reads the result in English', async () => {
    const response = await postAs(loket.url, ada, '/admin/regels/proefdraaien', {
      'r0-id': 'bzk',
      'r0-senders': '@minbzk.nl',
      'r0-team': 'spoed',
      channel: 'email',
      from: 'piet@minbzk.nl',
      subject: 'Salarisstrook',
      text: 'Mijn salaris klopt niet.',
      actie: 'proefdraaien',
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expectAdminEnglish(page, 'Routing rules');
    expect(page).toContain('<h2>Result of the dry run</h2>');
    expect(page).toContain('<p>The new rules change how this message is handled.</p>');
    expect(page).toContain('<th>Message</th><th>Topic</th><th>Team</th><th>Priority</th><th>Automatic reply</th><th>Rules (new)</th><th>Recognised topic</th>');
    expect(page).toMatch(/<td>(by keywords \(no model\)|[^<]+ \(\d+% sure\)[^<]*)<\/td><\/tr>/);
    expectNone(page, ['Resultaat', 'De nieuwe regels', 'Bericht', 'Herkend onderwerp', 'zeker', 'daarna', 'op trefwoorden']);

    const badMessage = await postAs(loket.url, ada, '/admin/regels/proefdraaien', { value: '[]', channel: 'fax' });
    expect(badMessage.status).toBe(400);
    expect(await badMessage.text()).toContain('<li><strong>message › channel</strong>: choose one of: email, webform, chat, phone, post</li>');
  });

  it('sees the corrections of the topic recognition in English, and undoes one', async () => {
    await loket.db!.query(
      `insert into topic_corrections (subject, text, locale, from_topic, to_topic) values ('', 'Mijn loon klopt niet', 'nl', 'verlof', 'salaris')`,
    );
    const page = await englishPage('/admin/herkenning/correcties', 'Topic recognition');
    expect(page).toContain('<h2>The model in this process</h2>');
    expect(page).toMatch(/<p id="model-state"[^>]*>(Trained on \d{1,2} \w{3,4} \d{4}, \d{2}:\d{2} with \d+ example questions|There is no model)/);
    expect(page).toContain('<th scope="col">Topic</th><th scope="col">Corrections to this topic</th>');
    expect(page).toContain(
      '<th scope="col">When</th><th scope="col">Case</th><th scope="col">Subject of the message</th><th scope="col">From → to</th><th scope="col">By</th>',
    );
    expect(page).toContain('<td>(no subject)</td><td>Verlof → Salaris</td>');
    expect(page).toMatch(/>Undo<span class="visually-hidden"> \(correction \d+\)<\/span><\/button>/);
    expectNone(page, ['Het model', 'Correcties', 'Laatste', 'Wanneer', 'Ongedaan', 'geen onderwerp', 'Getraind']);

    const id = /data-correction="(\d+)"/.exec(page)![1]!;
    const undone = await postAs(loket.url, ada, `/admin/herkenning/correcties/${id}/ongedaan`, {});
    expect(undone.status).toBe(303);
    const after = await englishPage(undone.headers.get('location')!, 'Topic recognition');
    expect(after).toContain('<p class="notice" role="status">The correction has been undone. Within a minute the model no longer learns from it.</p>');
    expect(after).toContain('<td>undone</td>');
    const again = await postAs(loket.url, ada, `/admin/herkenning/correcties/${id}/ongedaan`, {});
    expect(again.status).toBe(404);
    expect(await again.text()).toBe('This correction does not exist or has already been undone.');
  });

  it('sees the mail quarantine in English, and discards a mail with an English notice', async () => {
    const store = new MailboxStore(loket.database.db);
    await store.quarantine({ source: 'test', externalId: '<lang-q@example.org>', reason: 'unparseable', error: 'broken', raw: Buffer.from('x') });
    const [held] = await loket.db!.query<{ id: string }>(`select id from quarantine where external_id = '<lang-q@example.org>'`);
    const page = await englishPage('/admin/quarantaine', 'Quarantine (e-mail)');
    expect(page).toContain('<th>Received</th><th>Reason</th><th>Error</th>');
    expect(page).toContain('<td>unreadable</td>');
    expect(page).toContain('<button type="submit">Process again</button>');
    expectNone(page, ['onleesbaar', 'vastgehouden', 'Weggooien', 'Bron bekijken']);
    const discarded = await postAs(loket.url, ada, `/admin/quarantaine/${held!.id}/weggooien`, {});
    expect(discarded.status).toBe(303);
    const after = await englishPage(discarded.headers.get('location')!, 'Quarantine (e-mail)');
    expect(after).toContain('<p class="notice" role="status">The mail was discarded.</p>');
    expect(after).toContain('There is no mail in quarantine.');
  });

  it('switches back to Dutch from an admin page and lands on the same page', async () => {
    const page = (await get('/admin/regels')).text;
    expect(page).toContain('<input type="hidden" name="taal" value="nl">');
    expect(page).toContain('<input type="hidden" name="terug" value="/admin/regels">');
    const back = await postAs(loket.url, ada, '/werkplek/taal', { taal: 'nl', terug: '/admin/regels' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/admin/regels');
    const dutch = (await get('/admin/regels')).text;
    expect(dutch).toContain('<html lang="nl">');
    expect(dutch).toContain('<title>Routeringsregels — Beheer</title>');
    expect(dutch).toContain('<button type="submit" lang="en">English</button>');
  });
});

describe('an admin who did not choose English', () => {
  const as = (path: string) => get(path, bram);

  it('keeps the Dutch console, with the switch to English', async () => {
    const home = (await as('/admin')).text;
    expect(home).toContain('<html lang="nl">');
    expect(home).toContain('<strong>Contactcenter</strong>');
    expect(home).toContain('<button type="submit" lang="en">English</button>');
    expect(home).toContain('<title>Beheer — Beheer</title>');
    expect(home).toContain('Wijzigingen gelden binnen twee seconden in alle processen.');

    for (const { slug, texts } of SETTING_EDITORS) {
      const form = (await as(`/admin/${slug}`)).text;
      expect(form, slug).toContain(`<title>${texts.nl.title} — Beheer</title>`);
      expect(form, slug).toContain('<button type="submit" name="actie" value="opslaan">Opslaan</button>');
      expectNone(form, ['Administration', 'History and rollback', 'Save</button>', '(required)', '(optional)']);
      expect((await as(`/admin/${slug}/json`)).text, slug).toContain('<label for="value">Waarde (JSON)</label>');
      expect((await as(`/admin/${slug}/geschiedenis`)).text, slug).toContain(`<a href="/admin/${slug}">Terug naar bewerken</a>`);
    }
    const corrections = (await as('/admin/herkenning/correcties')).text;
    expect(corrections).toContain('<h2>Het model in dit proces</h2>');
    expect(corrections).not.toContain('The model in this process');
  });

  it('gets refusals in Dutch', async () => {
    const refused = await postAs(loket.url, bram, '/admin/openingstijden', {
      opensAt: '23:00',
      closesAt: '08:00',
      extraClosedDays: 'morgen',
      actie: 'opslaan',
    });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('<h2>Niet opgeslagen: 2 fouten</h2>');
    expect(page).toContain('<li><a href="#closesAt">Open tot</a>: sluitingstijd moet na openingstijd liggen</li>');
    expect(page).toContain('<span class="visually-hidden">Fout: </span>regel 1: een datum als 2026-12-24</p>');
    expectNone(page, ['Not saved', 'closing time', 'line 1']);

    const missing = await postAs(loket.url, bram, '/admin/chat/terugzetten', { version: '99' });
    expect(await missing.json()).toEqual({ error: 'not-found', message: 'Versie 99 bestaat niet.' });
  });
});
