/**
 * The admin console's forms: each setting edited as labelled fields, saved through the same
 * versioned, audited path as the JSON editor. Real: PostgreSQL (a database of its own),
 * Redis, HTTP with a session and its CSRF token. Nothing is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';

type Fields = [string, string][];

let loket: TestLoket;
let admin: Session;

beforeAll(async () => {
  loket = await startTestLoket({ ROLE: 'web' });
  await createUser(loket.database.db, { email: 'ada@example.org', name: 'Ada Admin', role: 'admin', password: PASSWORD });
  admin = await loginAs(loket.url, 'ada@example.org');
});

afterAll(async () => {
  await loket?.stop();
});

const postForm = (path: string, fields: Fields, csrf = true) =>
  fetch(`${loket.url}${path}`, {
    method: 'POST',
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([...(csrf ? [['_csrf', admin.csrfToken] as [string, string]] : []), ...fields]),
    redirect: 'manual',
  });

const getPage = async (path: string) => {
  const response = await fetch(`${loket.url}${path}`, { headers: { cookie: admin.cookie } });
  expect(response.status, path).toBe(200);
  return response.text();
};

const settingValue = async (key: string) => (await loket.db!.query<{ value: unknown }>(`select value from settings where key = $1`, [key]))[0]?.value;

const versions = (key: string) =>
  loket.db!.query<{ version: number; value: unknown; author: string; comment: string | null }>(
    `select version, value, author, comment from setting_versions where key = $1 order by version`,
    [key],
  );

const audits = (key: string) =>
  loket.db!.query<{ actor: string; action: string; data: { version: number; before: unknown; after: unknown; comment: string | null } }>(
    `select actor, action, data from audit where entity = 'setting' and entity_id = $1 order by id`,
    [key],
  );

const rollbackTo = (slug: string, version: number) => postForm(`/admin/${slug}/terugzetten`, [['version', String(version)]]);

/** Saving a form answers 303 to the form with the new version; anything else fails with the page's text. */
async function saveForm(slug: string, fields: Fields): Promise<number> {
  const response = await postForm(`/admin/${slug}`, [...fields, ['actie', 'opslaan']]);
  if (response.status !== 303) throw new Error(`save of ${slug} answered ${response.status}: ${await response.text()}`);
  const version = /\?opgeslagen=(\d+)$/.exec(response.headers.get('location') ?? '')?.[1];
  expect(response.headers.get('location')).toBe(`/admin/${slug}?opgeslagen=${version}`);
  return Number(version);
}

/** The error line of a field, as the form puts it next to the field. */
const fieldErrorOf = (page: string, field: string) => new RegExp(`<p class="field-error" id="${field}-error">(.*?)</p>`, 's').exec(page)?.[1] ?? '';

const AUTHOR = /^Ada Admin \(user \d+\)$/;

/** The version a form page was loaded from, as its hidden field posts it back. */
const loadedVersion = (page: string) => /<input type="hidden" name="versie" value="(\d+)">/.exec(page)?.[1];

describe('the routing rules form', () => {
  const bzk: Fields = [
    ['r0-id', 'bzk-spoed'],
    ['r0-name', 'BZK met voorrang'],
    ['r0-enabled', 'ja'],
    ['r0-channels', 'email'],
    ['r0-channels', 'webform'],
    ['r0-topics', 'salaris'],
    ['r0-senders', '@MinBZK.nl\npiet@minfin.nl'],
    ['r0-subjectContains', 'salaris'],
    ['r0-bodyContains', 'klopt niet'],
    ['r0-subjectMatches', '^re:'],
    ['r0-bodyMatches', 'oktober|november'],
    ['r0-hasAttachment', 'nee'],
    ['r0-officeHours', 'outside'],
    ['r0-topic', 'verlof'],
    ['r0-team', 'spoed'],
    ['r0-priority', 'high'],
    ['r0-replyTemplate', 'spoed'],
    ['r0-stop', 'ja'],
  ];
  const complaints: Fields = [
    ['r1-id', 'klachten'],
    ['r1-name', ''],
    ['r1-bodyContains', 'klacht'],
    ['r1-hasAttachment', 'ja'],
    ['r1-officeHours', 'inside'],
    ['r1-topic', ''],
    ['r1-priority', ''],
    ['r1-complaint', 'ja'],
    ['r1-replyTemplate', 'klacht-ontvangen'],
  ];
  const savedRules = [
    {
      id: 'bzk-spoed',
      name: 'BZK met voorrang',
      enabled: true,
      when: {
        channels: ['email', 'webform'],
        topics: ['salaris'],
        senders: ['@minbzk.nl', 'piet@minfin.nl'],
        subjectContains: 'salaris',
        bodyContains: 'klopt niet',
        subjectMatches: '^re:',
        bodyMatches: 'oktober|november',
        hasAttachment: false,
        officeHours: 'outside',
      },
      then: { topic: 'verlof', team: 'spoed', priority: 'high', replyTemplate: 'spoed', stop: true },
    },
    // Not ticked "Actief": the rule is kept, switched off.
    {
      id: 'klachten',
      name: '',
      enabled: false,
      when: { bodyContains: 'klacht', hasAttachment: true, officeHours: 'inside' },
      then: { complaint: true, replyTemplate: 'klacht-ontvangen' },
    },
  ];

  it('shows every condition and action as a labelled field, with the CSRF field and the JSON view a link away', async () => {
    const page = await getPage('/admin/regels');
    expect(page).toMatch(/name="_csrf" value="[\w-]{40,}"/);
    expect(page).toContain('href="/admin/regels/json"');
    expect(await getPage('/admin/regels/json')).toContain('Waarde (JSON)');
    // With one rule added (nothing saved yet), each field has a label tied to it.
    const added = await postForm('/admin/regels', [['actie', 'toevoegen']]);
    expect(added.status).toBe(200);
    const form = await added.text();
    for (const field of [
      'id',
      'name',
      'senders',
      'subjectContains',
      'bodyContains',
      'subjectMatches',
      'bodyMatches',
      'hasAttachment',
      'officeHours',
      'topic',
      'team',
      'priority',
      'replyTemplate',
    ]) {
      expect(form, field).toContain(`<label for="r0-${field}">`);
      expect(form, field).toContain(`id="r0-${field}" name="r0-${field}"`);
    }
    for (const box of ['enabled', 'complaint', 'stop']) expect(form).toContain(`<label class="check" for="r0-${box}"><input type="checkbox" id="r0-${box}"`);
    expect(form).toMatch(/<fieldset id="r0-channels"><legend>Kanalen<\/legend>[\s\S]*value="webform"/);
    expect(form).toMatch(/<fieldset id="r0-topics"[^>]*><legend>Onderwerpen<\/legend>[\s\S]*value="salaris"/);
    expect(form).toContain('value="regel-1"');
    expect(await versions('routing.rules')).toEqual([]);
  });

  it('saves the posted rules as a new version with who, when, before and after, and shows them again', async () => {
    const version = await saveForm('regels', [...bzk, ...complaints, ['comment', 'BZK met voorrang, klachten apart']]);
    expect(version).toBe(1);
    expect(await settingValue('routing.rules')).toEqual(savedRules);
    const [saved] = await versions('routing.rules');
    expect(saved).toMatchObject({ version: 1, value: savedRules, comment: 'BZK met voorrang, klachten apart' });
    expect(saved!.author).toMatch(AUTHOR);
    const [audit] = await audits('routing.rules');
    expect(audit).toMatchObject({ action: 'setting.saved', data: { version: 1, before: [], after: savedRules } });
    expect(audit!.actor).toMatch(AUTHOR);

    const page = await getPage('/admin/regels?opgeslagen=1');
    expect(page).toContain('Opgeslagen als versie 1.');
    expect(page).toContain('value="bzk-spoed"');
    expect(page).toContain('>@minbzk.nl\npiet@minfin.nl</textarea>');
    expect(page).toMatch(/<select id="r0-officeHours"[^>]*>.*<option value="outside" selected>/);
    expect(page).toMatch(/<select id="r1-replyTemplate"[^>]*>.*<option value="klacht-ontvangen" selected>/);
    expect(page).toMatch(/name="r0-channels" value="webform" checked/);
    expect(page).not.toMatch(/id="r1-enabled" name="r1-enabled" value="ja" checked/);
  });

  it('moves and deletes rules in the form without saving; the order saved is the order shown', async () => {
    const moved = await postForm('/admin/regels', [...bzk, ...complaints, ['actie', 'omlaag:0']]);
    expect(moved.status).toBe(200);
    const page = await moved.text();
    expect(page.indexOf('value="klachten"')).toBeLessThan(page.indexOf('value="bzk-spoed"'));
    expect(page).toMatch(/id="r0-id" name="r0-id"[^>]*value="klachten"/);
    expect(await versions('routing.rules')).toHaveLength(1);

    const deleted = await postForm('/admin/regels', [...bzk, ...complaints, ['actie', 'verwijderen:0']]);
    const remaining = await deleted.text();
    expect(remaining).not.toContain('value="bzk-spoed"');
    expect(remaining).toMatch(/id="r0-id" name="r0-id"[^>]*value="klachten"/);
    expect(remaining).not.toContain('name="r1-id"');
    expect(await versions('routing.rules')).toHaveLength(1);
  });

  it('a bad field answers 400 with the Dutch message next to that field, keeps what was typed, and saves nothing', async () => {
    const response = await postForm('/admin/regels', [
      ['r0-id', 'Geen Geldige Sleutel'],
      ['r0-subjectMatches', '(?=x)y'],
      ['r0-senders', 'niet-een-adres'],
      ['r0-priority', 'urgent'],
      ['r1-id', 'zonder-actie'],
      ['r1-bodyContains', 'iets'],
      ['actie', 'opslaan'],
    ]);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(fieldErrorOf(page, 'r0-subjectMatches')).toContain('lookahead en lookbehind zijn niet mogelijk');
    expect(fieldErrorOf(page, 'r0-id')).toContain('kleine letters, cijfers en streepjes');
    expect(fieldErrorOf(page, 'r0-senders')).toContain('regel 1: een adres (naam@domein.nl) of een domein (@domein.nl)');
    expect(fieldErrorOf(page, 'r0-priority')).toContain('kies een van: low, normal, high');
    expect(fieldErrorOf(page, 'r1-then')).toContain('een regel moet minstens één actie hebben');
    // The summary names each field and links to it.
    expect(page).toContain('<a href="#r0-subjectMatches">Regel 1 › Onderwerpregel past op patroon</a>');
    expect(page).toContain('<a href="#r1-then">Regel 2 › Acties</a>');
    expect(page).toMatch(
      /id="r0-subjectMatches" name="r0-subjectMatches" aria-invalid="true" aria-describedby="r0-subjectMatches-hint r0-subjectMatches-error" value="\(\?=x\)y"/,
    );
    expect(await versions('routing.rules')).toHaveLength(1);
  });

  it('rollback after a form save restores the earlier rules, as a new version', async () => {
    expect(await saveForm('regels', [...bzk.map(([k, v]): [string, string] => [k, k === 'r0-team' ? 'bzk-team' : v])])).toBe(2);
    expect((await settingValue('routing.rules')) as unknown[]).toHaveLength(1);
    expect((await rollbackTo('regels', 1)).status).toBe(303);
    expect(await settingValue('routing.rules')).toEqual(savedRules);
    expect((await versions('routing.rules')).map((v) => [v.version, v.comment])).toEqual([
      [1, 'BZK met voorrang, klachten apart'],
      [2, null],
      [3, 'terugzetten naar versie 1'],
    ]);
    expect(await getPage('/admin/regels')).toContain('value="klachten"');
  });

  it('a form post without the CSRF field is refused and saves nothing', async () => {
    const response = await postForm('/admin/regels', [...bzk, ['actie', 'opslaan']], false);
    expect(response.status).toBe(403);
    expect(await versions('routing.rules')).toHaveLength(3);
  });

  it('a JSON post without a value is refused, never read as a form with no rules', async () => {
    const response = await fetch(`${loket.url}/admin/regels`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [] }),
    });
    expect(response.status).toBe(400);
    expect(await settingValue('routing.rules')).toEqual(savedRules);
    expect(await versions('routing.rules')).toHaveLength(3);
  });
});

describe('the topics form', () => {
  it('saves names, keywords NL/EN, team and weight into the topics table as a version; a bad field is named; rollback restores', async () => {
    const seeded = await loket.db!.query<{
      key: string;
      name_nl: string;
      name_en: string;
      keywords: { nl: string[]; en: string[] };
      team: string | null;
      weight: number;
    }>(`select key, name_nl, name_en, keywords, team, weight from topics order by position`);
    expect(seeded.length).toBeGreaterThan(2);
    const fieldsOf = (list: typeof seeded): Fields => [
      ...list.flatMap((t, i): Fields => [
        [`t${i}-key`, t.key],
        [`t${i}-nameNl`, t.name_nl],
        [`t${i}-nameEn`, t.name_en],
        [`t${i}-keywordsNl`, t.keywords.nl.join('\n')],
        [`t${i}-keywordsEn`, t.keywords.en.join('\n')],
        [`t${i}-team`, t.team ?? ''],
        [`t${i}-weight`, String(t.weight)],
      ]),
    ];
    const pensioen = {
      key: 'pensioen',
      name_nl: 'Pensioen',
      name_en: 'Pension',
      keywords: { nl: ['pensioen', 'ABP'], en: ['pension'] },
      team: 'pensioen',
      weight: 3,
    };
    // The seeded topics as they are, then with pensioen first (the order is the tie-break).
    const first = await saveForm('onderwerpen', fieldsOf(seeded));
    const version = await saveForm('onderwerpen', fieldsOf([pensioen, ...seeded]));
    expect(version).toBe(first + 1);
    const rows = await loket.db!.query<{ key: string; name_en: string; keywords: unknown; team: string; weight: number; position: number }>(
      `select key, name_en, keywords, team, weight, position from topics order by position`,
    );
    expect(rows[0]).toEqual({
      key: 'pensioen',
      name_en: 'Pension',
      keywords: { nl: ['pensioen', 'ABP'], en: ['pension'] },
      team: 'pensioen',
      weight: 3,
      position: 1,
    });
    expect(rows.map((r) => r.key)).toEqual(['pensioen', ...seeded.map((t) => t.key)]);
    const stored = (await versions('topics')).find((v) => v.version === version)!;
    expect((stored.value as { key: string }[])[0]).toEqual({
      key: 'pensioen',
      nameNl: 'Pensioen',
      nameEn: 'Pension',
      keywords: { nl: ['pensioen', 'ABP'], en: ['pension'] },
      team: 'pensioen',
      weight: 3,
    });
    const audit = (await audits('topics')).find((a) => a.data.version === version)!;
    expect(audit.actor).toMatch(AUTHOR);
    expect((audit.data.before as { key: string }[]).map((t) => t.key)).toEqual(seeded.map((t) => t.key));
    expect((audit.data.after as { key: string }[])[0]!.key).toBe('pensioen');
    expect(await getPage('/admin/onderwerpen')).toContain('>pensioen\nABP</textarea>');

    const bad = fieldsOf([
      { ...pensioen, weight: 11 },
      { ...seeded[0]!, name_en: '' },
    ]).map(([k, v]): [string, string] => [k, k === 't0-weight' ? 'veel' : v]);
    const refused = await postForm('/admin/onderwerpen', [...bad, ['actie', 'opslaan']]);
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(fieldErrorOf(page, 't0-weight')).toContain('een heel getal');
    expect(fieldErrorOf(page, 't1-nameEn')).toContain('vul dit in');
    expect(page).toContain('<a href="#t1-nameEn">Onderwerp 2 › Naam (Engels)</a>');
    expect(page).toContain('value="veel"');

    expect((await rollbackTo('onderwerpen', first)).status).toBe(303);
    const restored = await loket.db!.query<{ key: string; weight: number }>(`select key, weight from topics order by position`);
    expect(restored).toEqual(seeded.map((t) => ({ key: t.key, weight: t.weight })));
  });
});

describe('the chat topics form', () => {
  it('saves the ticked topics as a version; rollback restores the earlier list', async () => {
    const page = await getPage('/admin/chat');
    expect(page).toMatch(/<fieldset id="chat"[^>]*><legend>Onderwerpen die de chat behandelt<\/legend>/);
    expect(page).toMatch(/name="chat" value="inloggen" checked/);
    expect(page).toMatch(/name="chat" value="verlof">/);

    const first = await saveForm('chat', [
      ['chat', 'inloggen'],
      ['chat', 'verlof'],
    ]);
    expect(await settingValue('chat.topics')).toEqual(['inloggen', 'verlof']);
    const second = await saveForm('chat', [
      ['comment', 'chat even alleen inloggen'],
      ['chat', 'inloggen'],
    ]);
    expect(second).toBe(first + 1);
    expect(await settingValue('chat.topics')).toEqual(['inloggen']);
    const audit = (await audits('chat.topics')).at(-1)!;
    expect(audit.data).toMatchObject({ version: second, before: ['inloggen', 'verlof'], after: ['inloggen'], comment: 'chat even alleen inloggen' });

    expect((await rollbackTo('chat', first)).status).toBe(303);
    expect(await settingValue('chat.topics')).toEqual(['inloggen', 'verlof']);
    expect(await getPage('/admin/chat')).toMatch(/name="chat" value="verlof" checked/);
  });

  it('a posted key that is not text the schema accepts is named in the error', async () => {
    const response = await postForm('/admin/chat', [
      ['chat', ''],
      ['actie', 'opslaan'],
    ]);
    expect(response.status).toBe(400);
    expect(fieldErrorOf(await response.text(), 'chat')).toContain('vul dit in');
  });
});

describe('the office hours form', () => {
  it('saves opening times and extra closed days as a version; a bad time and date are named; rollback restores', async () => {
    const first = await saveForm('openingstijden', [
      ['opensAt', '08:30'],
      ['closesAt', '17:00'],
      ['extraClosedDays', '2026-12-24\n\n2026-12-31\n'],
    ]);
    expect(await settingValue('office.hours')).toEqual({ opensAt: '08:30', closesAt: '17:00', extraClosedDays: ['2026-12-24', '2026-12-31'] });
    const [version] = (await versions('office.hours')).filter((v) => v.version === first);
    expect(version!.author).toMatch(AUTHOR);
    expect((await audits('office.hours')).at(-1)!.data).toMatchObject({ version: first, after: { opensAt: '08:30', closesAt: '17:00' } });
    expect(await getPage('/admin/openingstijden')).toContain('>2026-12-24\n2026-12-31</textarea>');

    const refused = await postForm('/admin/openingstijden', [
      ['opensAt', '18:00'],
      ['closesAt', '17:00'],
      ['extraClosedDays', '2026-12-24\n24 december'],
      ['actie', 'opslaan'],
    ]);
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(fieldErrorOf(page, 'closesAt')).toContain('sluitingstijd moet na openingstijd liggen');
    expect(fieldErrorOf(page, 'extraClosedDays')).toContain('regel 2: een datum als 2026-12-24');
    expect(page).toContain('<a href="#extraClosedDays">Extra sluitingsdagen › regel 2</a>');

    const second = await saveForm('openingstijden', [
      ['opensAt', '09:00'],
      ['closesAt', '17:00'],
      ['extraClosedDays', ''],
    ]);
    expect(await settingValue('office.hours')).toEqual({ opensAt: '09:00', closesAt: '17:00', extraClosedDays: [] });
    expect((await rollbackTo('openingstijden', first)).status).toBe(303);
    expect(second).toBe(first + 1);
    expect(await settingValue('office.hours')).toEqual({ opensAt: '08:30', closesAt: '17:00', extraClosedDays: ['2026-12-24', '2026-12-31'] });
  });
});

describe('the reply templates form', () => {
  it('saves each key with its Dutch and English subject and text as a version; a bad variable is named; rollback restores', async () => {
    const page = await getPage('/admin/sjablonen');
    expect(page).toContain('value="klacht-ontvangen"');
    expect(page).toContain('<label for="s0-subjectEn">');

    const fields: Fields = [
      ['s0-key', 'spoed'],
      ['s0-name', 'Spoed'],
      ['s0-subjectNl', 'Uw bericht heeft voorrang [{reference}]'],
      ['s0-bodyNl', 'Beste {name},\n\nU krijgt uiterlijk op {answerBy} antwoord.'],
      ['s0-subjectEn', 'Your message has priority [{reference}]'],
      ['s0-bodyEn', 'Dear {name},\n\nYou will hear from us by {answerBy}.'],
      ['s1-key', 'buiten-openingstijden'],
      ['s1-name', 'Buiten openingstijden'],
      ['s1-subjectNl', 'Ontvangstbevestiging [{reference}]'],
      ['s1-bodyNl', 'Beste {name}, wij lezen uw bericht op de eerstvolgende werkdag.'],
      ['s1-subjectEn', ''],
      ['s1-bodyEn', ''],
    ];
    const first = await saveForm('sjablonen', fields);
    const saved = [
      {
        key: 'spoed',
        name: 'Spoed',
        locale: 'nl',
        subject: 'Uw bericht heeft voorrang [{reference}]',
        body: 'Beste {name},\n\nU krijgt uiterlijk op {answerBy} antwoord.',
      },
      {
        key: 'spoed',
        name: 'Spoed',
        locale: 'en',
        subject: 'Your message has priority [{reference}]',
        body: 'Dear {name},\n\nYou will hear from us by {answerBy}.',
      },
      {
        key: 'buiten-openingstijden',
        name: 'Buiten openingstijden',
        locale: 'nl',
        subject: 'Ontvangstbevestiging [{reference}]',
        body: 'Beste {name}, wij lezen uw bericht op de eerstvolgende werkdag.',
      },
    ];
    expect(await settingValue('reply.templates')).toEqual(saved);
    const audit = (await audits('reply.templates')).at(-1)!;
    expect(audit.actor).toMatch(AUTHOR);
    expect(audit.data).toMatchObject({ version: first, after: saved });
    expect((audit.data.before as { key: string }[]).map((t) => t.key)).toContain('klacht-ontvangen');
    expect(await getPage('/admin/sjablonen')).toContain('value="Your message has priority [{reference}]"');

    const bad = fields.map(([k, v]): [string, string] => [k, k === 's0-bodyEn' ? 'Dear {naam}' : k === 's1-key' ? 'spoed' : v]);
    const refused = await postForm('/admin/sjablonen', [...bad, ['actie', 'opslaan']]);
    expect(refused.status).toBe(400);
    const errors = await refused.text();
    expect(fieldErrorOf(errors, 's0-bodyEn')).toContain('onbekende variabele {naam}');
    expect(fieldErrorOf(errors, 's1-key')).toContain('sjabloon spoed (nl) komt twee keer voor');
    expect(errors).toContain('<a href="#s0-bodyEn">Sjabloon 1 › Tekst (Engels)</a>');

    expect((await rollbackTo('sjablonen', first)).status).toBe(303); // same value again, as a new version
    const onlySecond = fields.filter(([k]) => k.startsWith('s1-')).map(([k, v]): [string, string] => [k.replace('s1-', 's0-'), v]);
    const second = await saveForm('sjablonen', [...onlySecond]);
    expect(await settingValue('reply.templates')).toEqual([saved[2]]);
    expect((await rollbackTo('sjablonen', first)).status).toBe(303);
    expect(second).toBeGreaterThan(first);
    expect(await settingValue('reply.templates')).toEqual(saved);
  });
});

describe('two admins editing the same setting', () => {
  it('the second save from the same loaded version is refused with 409, writes nothing and keeps what was typed', async () => {
    const version = loadedVersion(await getPage('/admin/chat'));
    expect(version).toMatch(/^\d+$/);
    const before = await versions('chat.topics');
    const first = await postForm('/admin/chat', [
      ['versie', version!],
      ['chat', 'inloggen'],
      ['actie', 'opslaan'],
    ]);
    expect(first.status).toBe(303);
    const after = await versions('chat.topics');
    expect(after).toHaveLength(before.length + 1);

    const second = await postForm('/admin/chat', [
      ['versie', version!],
      ['chat', 'verlof'],
      ['comment', 'ook verlof'],
      ['actie', 'opslaan'],
    ]);
    expect(second.status).toBe(409);
    const page = await second.text();
    expect(page).toContain('iemand anders heeft deze instelling intussen gewijzigd');
    expect(page).toContain(`Er geldt nu versie ${after.at(-1)!.version}.`);
    expect(page).toMatch(/name="chat" value="verlof" checked/);
    expect(page).toContain('value="ook verlof"');
    // Still the old version: saving this page again is refused too, until it is reloaded.
    expect(loadedVersion(page)).toBe(version);
    expect(await versions('chat.topics')).toEqual(after);
    expect(await settingValue('chat.topics')).toEqual(['inloggen']);

    const reloaded = loadedVersion(await getPage('/admin/chat'));
    expect(Number(reloaded)).toBe(after.at(-1)!.version);
    expect(
      (
        await postForm('/admin/chat', [
          ['versie', reloaded!],
          ['chat', 'verlof'],
          ['actie', 'opslaan'],
        ])
      ).status,
    ).toBe(303);
  });
});

describe('a list form past its cap', () => {
  it('201 rules answer 400 with a Dutch error and save nothing, instead of saving the first 200', async () => {
    const before = await versions('routing.rules');
    const fields: Fields = Array.from({ length: 201 }, (_, i): [string, string] => [`r${i}-id`, `regel-${i}`]).concat(
      Array.from({ length: 201 }, (_, i): [string, string] => [`r${i}-priority`, 'high']),
    );
    const response = await postForm('/admin/regels', [...fields, ['actie', 'opslaan']]);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('<a href="#regels">Aantal regels</a>: hoogstens 200');
    expect(fieldErrorOf(page, 'regels')).toContain('hoogstens 200');
    expect(await versions('routing.rules')).toEqual(before);
  });
});
