/**
 * The admin console. Real: PostgreSQL (a database of its own), Redis, HTTP, and for the
 * propagation test a ROLE=worker Loket in a child process. Nothing is mocked.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxStore } from '../channels/email/mailbox.store.js';
import { createUser } from '../src/auth/accounts.js';
import { rollback, saveSetting, SettingValidationError } from '../src/admin/settings.versions.js';
import type { InboundMessageInput } from '../src/message.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { sleep, waitFor } from './support/wait.js';
import { startWorkerOf } from './support/worker-process.js';
import { loginAs, PASSWORD } from './support/session.js';

const login = (loket: TestLoket, email: string) => loginAs(loket.url, email);

const mail = (overrides: Partial<InboundMessageInput> = {}): InboundMessageInput => ({
  channel: 'email',
  externalId: `<${randomUUID()}@example.org>`,
  receivedAt: new Date(),
  sender: { name: 'Piet de Vries', email: 'piet@minbzk.nl' },
  subject: 'Salarisstrook oktober',
  text: 'Mijn salaris klopt niet.',
  ...overrides,
});

const SPOED_RULE = {
  id: 'bzk-spoed',
  name: 'BZK met voorrang',
  when: { senders: ['@minbzk.nl'] },
  then: { priority: 'high', team: 'spoed', replyTemplate: 'spoed' },
};

describe('versioned settings', () => {
  let loket: TestLoket;
  beforeAll(async () => {
    loket = await startTestLoket({ ROLE: 'web' });
  });
  afterAll(async () => {
    await loket?.stop();
  });

  it('each save is a new version mirrored into settings and audited with before and after; rollback writes the old value again', async () => {
    const { db } = loket.database;
    expect(await saveSetting(db, 'chat.topics', ['inloggen'], 'Ada', 'alleen inloggen')).toEqual({ version: 1 });
    expect(await saveSetting(db, 'chat.topics', ['inloggen', 'salaris'], 'Bram')).toEqual({ version: 2 });
    expect(await rollback(db, 'chat.topics', 1, 'Cor')).toEqual({ version: 3 });

    const versions = await loket.db!.query<{ version: number; value: unknown; author: string; comment: string | null }>(
      `select version, value, author, comment from setting_versions where key = 'chat.topics' order by version`,
    );
    expect(versions).toEqual([
      { version: 1, value: ['inloggen'], author: 'Ada', comment: 'alleen inloggen' },
      { version: 2, value: ['inloggen', 'salaris'], author: 'Bram', comment: null },
      { version: 3, value: ['inloggen'], author: 'Cor', comment: 'terugzetten naar versie 1' },
    ]);
    const [mirror] = await loket.db!.query<{ value: unknown }>(`select value from settings where key = 'chat.topics'`);
    expect(mirror!.value).toEqual(['inloggen']);
    const audits = await loket.db!.query<{ actor: string; data: { version: number; before: unknown; after: unknown } }>(
      `select actor, data from audit where entity = 'setting' and entity_id = 'chat.topics' order by id`,
    );
    expect(audits.map((a) => [a.actor, a.data.version, a.data.before, a.data.after])).toEqual([
      ['Ada', 1, ['inloggen', 'personeelsgesprekken'], ['inloggen']],
      ['Bram', 2, ['inloggen'], ['inloggen', 'salaris']],
      ['Cor', 3, ['inloggen', 'salaris'], ['inloggen']],
    ]);
  });

  it('two admins saving at once never write the same version', async () => {
    const { db } = loket.database;
    const saved = await Promise.all(
      Array.from({ length: 6 }, (_, i) => saveSetting(db, 'office.hours', { opensAt: `0${i + 1}:00`, closesAt: '22:00' }, `admin ${i}`)),
    );
    expect(saved.map((s) => s.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a value its schema refuses, naming the field, and writes nothing', async () => {
    const { db } = loket.database;
    const bad = saveSetting(db, 'routing.rules', [{ id: 'x', when: { bodyMatches: '(\\w+) \\1' }, then: { priority: 'high' } }], 'Ada');
    await expect(bad).rejects.toBeInstanceOf(SettingValidationError);
    await expect(bad).rejects.toMatchObject({ issues: [{ path: 'nr. 1 › when › bodyMatches', message: expect.stringContaining('terugverwijzingen') }] });
    const rows = await loket.db!.query(`select 1 from setting_versions where key = 'routing.rules'`);
    expect(rows).toHaveLength(0);
  });

  it('topics are saved as one list into the topics table and as a version', async () => {
    const { db } = loket.database;
    const list = [
      { key: 'salaris', nameNl: 'Salaris', nameEn: 'Salary', keywords: { nl: ['salaris'], en: ['salary'] }, team: 'salaris' },
      { key: 'verlof', nameNl: 'Verlof', nameEn: 'Leave', keywords: { nl: ['verlof'], en: ['leave'] }, team: 'verlof', weight: 2 },
    ];
    const { version } = await saveSetting(db, 'topics', list, 'Ada');
    const rows = await loket.db!.query<{ key: string; team: string; weight: number; position: number }>(
      `select key, team, weight, position from topics order by position`,
    );
    expect(rows).toEqual([
      { key: 'salaris', team: 'salaris', weight: 1, position: 1 },
      { key: 'verlof', team: 'verlof', weight: 2, position: 2 },
    ]);
    const [stored] = await loket.db!.query<{ value: unknown }>(`select value from setting_versions where key = 'topics' and version = $1`, [version]);
    expect(stored!.value).toEqual([{ ...list[0], weight: 1 }, list[1]]);
  });
});

describe('admin pages and the dry run', () => {
  let loket: TestLoket;
  let admin: { cookie: string; csrfToken: string };
  beforeAll(async () => {
    loket = await startTestLoket();
    await createUser(loket.database.db, { email: 'admin@example.org', name: 'Ada Admin', role: 'admin', password: PASSWORD });
    admin = await login(loket, 'admin@example.org');
  });
  afterAll(async () => {
    await loket?.stop();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${loket.url}${path}`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });

  it('every page renders for an admin, and a form save without JavaScript redirects to the saved version', async () => {
    for (const path of [
      '/admin',
      '/admin/regels',
      '/admin/onderwerpen',
      '/admin/chat',
      '/admin/openingstijden',
      '/admin/sjablonen',
      '/admin/regels/geschiedenis',
      '/admin/quarantaine',
    ]) {
      const response = await fetch(`${loket.url}${path}`, { headers: { cookie: admin.cookie } });
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toContain('<h1>');
    }
    const saved = await fetch(`${loket.url}/admin/chat`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: admin.csrfToken, value: '["inloggen", "personeelsgesprekken", "verlof"]', comment: 'verlof erbij' }),
      redirect: 'manual',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/admin/chat?opgeslagen=1');
    const history = await (await fetch(`${loket.url}/admin/chat/geschiedenis`, { headers: { cookie: admin.cookie } })).text();
    expect(history).toContain('Versie 1');
    expect(history).toContain('Ada Admin');
    expect(history).toContain('+   &quot;verlof&quot;');
  });

  it('a bad rule is refused with its field named, in the form as in JSON', async () => {
    const form = await fetch(`${loket.url}/admin/regels`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: admin.csrfToken, value: '[{"id": "r1", "when": {"subjectMatches": "(?=x)y"}, "then": {"priority": "urgent"}}]' }),
    });
    expect(form.status).toBe(400);
    const page = await form.text();
    expect(page).toContain('nr. 1 › when › subjectMatches');
    expect(page).toContain('nr. 1 › then › priority');
    expect(page).toContain('(?=x)y'); // what was typed stays in the textarea

    const broken = await post('/admin/regels', { value: '[{"id": ' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ issues: [{ message: expect.stringContaining('geen geldige JSON') }] });
  });

  it('dry-runs edited rules against a typed message without writing anything', async () => {
    const before = await loket.db!.query(
      `select (select count(*) from setting_versions) as v, (select count(*) from cases) as c, (select count(*) from audit) as a`,
    );
    const response = await post('/admin/regels/proefdraaien', {
      rules: [SPOED_RULE],
      message: { channel: 'email', from: 'piet@minbzk.nl', subject: 'Salarisstrook', text: 'Mijn salaris klopt niet', hasAttachment: false },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { results: { current: Record<string, unknown>; proposed: Record<string, unknown>; changed: string[] }[] };
    expect(result.results).toHaveLength(1);
    expect(result.results[0]).toMatchObject({
      current: { topic: 'salaris', team: 'salaris', priority: 'normal', matched: [] },
      proposed: { topic: 'salaris', team: 'spoed', priority: 'high', replyTemplate: 'spoed', matched: ['bzk-spoed'] },
      changed: ['team', 'priority', 'replyTemplate'],
    });
    const after = await loket.db!.query(
      `select (select count(*) from setting_versions) as v, (select count(*) from cases) as c, (select count(*) from audit) as a`,
    );
    expect(after).toEqual(before);
  });

  it('dry-runs against the last messages and reports only what would change', async () => {
    await loket.intake.accept(mail());
    await loket.intake.accept(mail({ sender: { email: 'jan@minfin.nl' }, subject: 'Verlof aanvragen', text: 'Hoe vraag ik verlof aan?' }));
    await waitFor(
      async () => Number((await loket.db!.query<{ n: string }>(`select count(*) as n from messages where routed_at is null`))[0]!.n) === 0,
      'messages routed',
      20_000,
    );
    const response = await post('/admin/regels/proefdraaien', { rules: [SPOED_RULE], recent: true });
    const result = (await response.json()) as { examined: number; changed: number; results: { message: { from: string }; changed: string[] }[] };
    expect(result.examined).toBeGreaterThanOrEqual(2);
    const changed = result.results.filter((r) => r.changed.length > 0).map((r) => r.message.from);
    expect(changed.length).toBe(result.changed);
    expect(changed.every((from) => from.endsWith('@minbzk.nl'))).toBe(true);
    expect(changed.length).toBeGreaterThan(0);

    const page = await fetch(`${loket.url}/admin/regels/proefdraaien`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: admin.csrfToken, value: JSON.stringify([SPOED_RULE]), mode: 'recent' }),
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/berichten bekeken; bij \d+ verandert iets/);
  });
});

describe('the quarantine page', () => {
  it('lists held mail, shows its raw source as text, reprocesses and discards, each with an audit row', async () => {
    const loket = await startTestLoket();
    try {
      await createUser(loket.database.db, { email: 'q@example.org', name: 'Quinten', role: 'admin', password: PASSWORD });
      const { cookie, csrfToken } = await login(loket, 'q@example.org');
      const store = new MailboxStore(loket.database.db);
      const raw = 'From: Jan <jan@example.org>\r\nSubject: Verlof <script>\r\nMessage-ID: <qa@example.org>\r\n\r\nMijn verlofsaldo klopt niet.\r\n';
      await store.quarantine({ source: 'test', externalId: '<qa@example.org>', reason: 'unparseable', error: 'kapot', raw: Buffer.from(raw) });
      await store.quarantine({ source: 'test', externalId: '<qb@example.org>', reason: 'invalid', raw: Buffer.from('x') });
      const [a, b] = await loket.db!.query<{ id: string }>(`select id from quarantine order by external_id`);
      const list = await (await fetch(`${loket.url}/admin/quarantaine`, { headers: { cookie } })).text();
      expect(list).toContain('onleesbaar');
      expect(list).toContain(`/admin/quarantaine/${a!.id}/opnieuw`);

      const source = await fetch(`${loket.url}/admin/quarantaine/${a!.id}/bron`, { headers: { cookie } });
      expect(source.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await source.text()).toBe(raw);

      const act = (id: string, what: string) =>
        fetch(`${loket.url}/admin/quarantaine/${id}/${what}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrfToken }),
          redirect: 'manual',
        });
      expect((await act(a!.id, 'opnieuw')).status).toBe(303);
      expect((await act(b!.id, 'weggooien')).status).toBe(303);
      const statuses = await loket.db!.query<{ status: string }>(`select status from quarantine order by external_id`);
      expect(statuses.map((r) => r.status)).toEqual(['reprocessed', 'discarded']);
      const [message] = await loket.db!.query<{ n: string }>(`select count(*) as n from messages where thread->>'messageId' = '<qa@example.org>'`);
      expect(Number(message!.n)).toBe(1);

      // Each action is audited with who did it; pressing again on mail no longer held writes nothing.
      const audited = () =>
        loket.db!.query<{ actor: string; action: string; entity_id: string }>(
          `select actor, action, entity_id from audit where entity = 'quarantine' order by id`,
        );
      expect(await audited()).toEqual([
        { actor: expect.stringMatching(/^Quinten \(user \d+\)$/), action: 'quarantine.reprocessed', entity_id: a!.id },
        { actor: expect.stringMatching(/^Quinten \(user \d+\)$/), action: 'quarantine.discarded', entity_id: b!.id },
      ]);
      for (const [id, what] of [
        [a!.id, 'opnieuw'],
        [b!.id, 'weggooien'],
        [a!.id, 'weggooien'],
      ] as const) {
        const again = await act(id, what);
        expect(again.headers.get('location')).toBe('/admin/quarantaine?klaar=al');
      }
      expect(await audited()).toHaveLength(2);
      const [still] = await loket.db!.query<{ n: string }>(`select count(*) as n from messages where thread->>'messageId' = '<qa@example.org>'`);
      expect(Number(still!.n)).toBe(1);
    } finally {
      await loket.stop();
    }
  });
});

describe('office hours', () => {
  it('an extra closed day in the setting takes the chat offline', async () => {
    const wednesday = new Date('2026-12-23T10:00:00Z'); // 11:00 in Amsterdam, a working day
    const loket = await startTestLoket({ ROLE: 'web' }, { clock: () => wednesday });
    try {
      const online = async () => ((await (await fetch(`${loket.url}/api/v1/chat/config`)).json()) as { online: boolean }).online;
      expect(await online()).toBe(true);
      await saveSetting(loket.database.db, 'office.hours', { opensAt: '08:00', closesAt: '22:00', extraClosedDays: ['2026-12-23'] }, 'Ada');
      await waitFor(async () => (await online()) === false, 'the chat to go offline', 5_000, 200);
      await saveSetting(loket.database.db, 'office.hours', { opensAt: '12:00', closesAt: '22:00', extraClosedDays: [] }, 'Ada');
      await sleep(3_200);
      expect(await online()).toBe(false); // 11:00 is before 12:00
    } finally {
      await loket.stop();
    }
  });
});

describe('rules reach every worker', () => {
  it('a worker process routes by a new rule within 2 s of the change, and by the old rules after a rollback', async () => {
    const web = await startTestLoket({ ROLE: 'web' });
    const worker = startWorkerOf(web);
    try {
      const { db } = web.database;
      const caseOf = (messageId: number) =>
        waitFor(
          async () =>
            (
              await web.db!.query<{ priority: string; team: string; subject: string; body: string }>(
                `select c.priority, c.team, o.subject, o.body from messages m join cases c on c.id = m.case_id
                   left join outbox o on o.message_id = m.id and o.kind = 'acknowledgement' where m.id = $1`,
                [messageId],
              )
            )[0],
          `message ${messageId} routed`,
          30_000,
        ).catch((err: unknown) => {
          throw new Error(`${String(err)}\n${worker.output()}`);
        });

      expect((await saveSetting(db, 'routing.rules', [], 'Ada')).version).toBe(1);
      const first = await web.intake.accept(mail());
      expect(await caseOf(first.messageId)).toMatchObject({ priority: 'normal', team: 'salaris', subject: expect.stringContaining('Ontvangstbevestiging') });

      await saveSetting(db, 'routing.rules', [SPOED_RULE], 'Ada', 'BZK met voorrang');
      await sleep(2_000);
      const second = await web.intake.accept(mail());
      const ruled = await caseOf(second.messageId);
      expect(ruled).toMatchObject({ priority: 'high', team: 'spoed', subject: expect.stringMatching(/^Uw bericht heeft voorrang \[.+\]$/) });
      expect(ruled.body).toMatch(/geregistreerd onder nummer \S+ en wordt met voorrang behandeld/);
      expect(ruled.body).toMatch(/uiterlijk op \w+ \d+ \w+ 20\d\d/);

      await rollback(db, 'routing.rules', 1, 'Bram');
      await sleep(2_000);
      const third = await web.intake.accept(mail());
      expect(await caseOf(third.messageId)).toMatchObject({ priority: 'normal', team: 'salaris' });
    } finally {
      await worker.kill('SIGTERM');
      await web.stop();
    }
  }, 90_000);
});
