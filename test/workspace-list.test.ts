/**
 * The case list as agents triage it: views, sorting by answer date and by age, keyset paging
 * that returns every case exactly once, a capped count, and at 800 px wide every column
 * readable. Real: HTTP with sessions, PostgreSQL, Redis; Chromium (Debian's) for the width.
 * Cases are written straight into the database: the list is what is tested, not intake.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { ARTIFACTS, launchChromium, screenshot } from './support/browser.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';

/** Tuesday 24 November 2026, 10:00 in Amsterdam. */
const NOW = new Date('2026-11-24T09:00:00Z');
let loket: TestLoket;
let anna: Session;
let annaId: number;

beforeAll(async () => {
  loket = await startTestLoket({ LOGIN_RATE_LIMIT: '1000' }, { clock: () => NOW });
  annaId = await createUser(loket.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  anna = await loginAs(loket.url, 'anna@example.org');
  // 130 open cases: answer dates spread over 13 days around today, received one hour apart;
  // every tenth is Anna's, every seventh is closed.
  await loket.db!.query(
    `insert into cases (reference, channel, topic, team, subject, sender, status_token, answer_by, created_at, assignee_id, status)
     select 'ZK-2026-' || lpad(g::text, 6, '0'), 'webform', 'overig', 'Team ' || (g % 3), 'Vraag ' || g,
            jsonb_build_object('name', 'Burger ' || g), 'token-' || g, date '2026-11-18' + (g % 13),
            timestamptz '2026-11-01 08:00:00+00' + g * interval '1 hour',
            case when g % 10 = 0 then $1::bigint end, case when g % 7 = 0 then 'closed' else 'open' end
       from generate_series(1, 130) g`,
    [annaId],
  );
}, 60_000);

afterAll(async () => {
  await loket?.stop();
});

const listed = async (path: string) => {
  const html = await (await fetch(`${loket.url}${path}`, { headers: { cookie: anna.cookie } })).text();
  return {
    html,
    references: [...html.matchAll(/<tr data-reference="([^"]+)"/g)].map((m) => m[1]!),
    next: /href="([^"]+)" rel="next"/.exec(html)?.[1]?.replace(/&amp;/g, '&'),
  };
};

/** Every page of a list, following "Volgende pagina". */
async function allPages(path: string): Promise<string[]> {
  const seen: string[] = [];
  let next: string | undefined = path;
  while (next) {
    const page = await listed(next);
    seen.push(...page.references);
    next = page.next;
  }
  return seen;
}

const expected = async (where: string, order: string) =>
  (await loket.db!.query<{ reference: string }>(`select reference from cases where ${where} order by ${order}`, [])).map((row) => row.reference);

describe('the case list', () => {
  it('pages by key through every sort: each case exactly once, in order', async () => {
    expect(await allPages('/werkplek/zaken')).toEqual(await expected(`status = 'open'`, 'answer_by, id'));
    expect(await allPages('/werkplek/zaken?sort=oldest')).toEqual(await expected(`status = 'open'`, 'created_at, id'));
    expect(await allPages('/werkplek/zaken?sort=newest')).toEqual(await expected(`status = 'open'`, 'created_at desc, id desc'));
    expect(await allPages('/werkplek/zaken?view=all&sort=newest')).toEqual(await expected('true', 'created_at desc, id desc'));
  });

  it('takes sort=-age as oldest first and sort=age as newest first', async () => {
    expect(await allPages('/werkplek/zaken?sort=-age')).toEqual(await expected(`status = 'open'`, 'created_at, id'));
    expect(await allPages('/werkplek/zaken?view=overdue&sort=age')).toEqual(
      await expected(`status = 'open' and answer_by < '2026-11-24'`, 'created_at desc, id desc'),
    );
  });

  it('offers coordinators agents and coordinators as assignees by name, never an admin, never a whole address', async () => {
    await createUser(loket.database.db, { email: 'beheer@example.org', name: 'Beheerder Bea', role: 'admin', password: PASSWORD });
    // An account made without a name (npm run user:add without --name) is named by its address.
    const nameless = await createUser(loket.database.db, { email: 'kees.k@example.org', name: 'kees.k@example.org', role: 'agent', password: PASSWORD });
    await createUser(loket.database.db, { email: 'coco@example.org', name: 'Coco Coördinator', role: 'coordinator', password: PASSWORD });
    const coco = await loginAs(loket.url, 'coco@example.org');
    await loket.db!.query(`update cases set assignee_id = $1 where reference = 'ZK-2026-000001'`, [nameless]);
    try {
      const html = await (await fetch(`${loket.url}/werkplek/zaken?view=unassigned`, { headers: { cookie: coco.cookie } })).text();
      const choices = [.../<select id="bulk-assignee"[^>]*>([\s\S]*?)<\/select>/.exec(html)![1]!.matchAll(/<option value="\d+">([^<]*)</g)].map((m) => m[1]);
      expect(choices.sort()).toEqual(['Anna Agent', 'Coco Coördinator', 'kees.k']);
      const mine = await (await fetch(`${loket.url}/werkplek/zaken?view=all&sort=oldest`, { headers: { cookie: coco.cookie } })).text();
      const row = /<tr data-reference="ZK-2026-000001">[\s\S]*?<\/tr>/.exec(mine)![0];
      expect(row).toContain('<td data-label="Behandelaar">kees.k</td>');
      expect(mine).not.toContain('kees.k@example.org');
      const casePage = await (await fetch(`${loket.url}/werkplek/zaken/ZK-2026-000001`, { headers: { cookie: coco.cookie } })).text();
      expect(casePage).toMatch(/id="case-assignee">kees\.k</);
      expect(/<select id="assignee"[^>]*>[\s\S]*?<\/select>/.exec(casePage)![0]).not.toContain('Beheerder');
    } finally {
      await loket.db!.query(`update cases set assignee_id = null where reference = 'ZK-2026-000001'`);
    }
  });

  it('shows the views an agent triages by', async () => {
    expect(await allPages('/werkplek/zaken?view=mine')).toEqual(await expected(`status = 'open' and assignee_id = ${annaId}`, 'answer_by, id'));
    expect(await allPages('/werkplek/zaken?view=unassigned')).toEqual(await expected(`status = 'open' and assignee_id is null`, 'answer_by, id'));
    expect(await allPages('/werkplek/zaken?view=due-today')).toEqual(await expected(`status = 'open' and answer_by = '2026-11-24'`, 'answer_by, id'));
    expect(await allPages('/werkplek/zaken?view=overdue')).toEqual(await expected(`status = 'open' and answer_by < '2026-11-24'`, 'answer_by, id'));
    expect(await allPages('/werkplek/zaken?view=closed')).toEqual(await expected(`status = 'closed'`, 'answer_by, id'));
    // The list opens on the view chosen last (kept per agent, in the database), until another is chosen.
    expect((await listed('/werkplek/zaken')).references).toEqual(await expected(`status = 'closed'`, 'answer_by, id limit 50'));
    const first = await listed('/werkplek/zaken?view=open');
    expect(first.html).toContain('<a href="/werkplek/zaken?view=open" aria-current="page">Open</a>');
    expect((await listed('/werkplek/zaken')).references).toEqual(first.references);
    expect(first.html).toContain('dagen geleden');
    expect(first.html).toContain('Wacht op ons');
  });

  it("shows the agent's team and the cases waiting for the citizen, and keeps the sort chosen last", async () => {
    await loket.db!.query(`update users set team = 'Team 1' where id = $1`, [annaId]);
    await loket.db!.query(`update cases set waiting_since = now() where id % 4 = 0`);
    try {
      expect(await allPages('/werkplek/zaken?view=team')).toEqual(await expected(`status = 'open' and team = 'Team 1'`, 'answer_by, id'));
      expect(await allPages('/werkplek/zaken?view=waiting&sort=oldest')).toEqual(
        await expected(`status = 'open' and waiting_since is not null`, 'created_at, id'),
      );
      // The next visit without a choice opens on the waiting cases, oldest first.
      expect((await listed('/werkplek/zaken')).references).toEqual(await expected(`status = 'open' and waiting_since is not null`, 'created_at, id limit 50'));
      // Someone in no team sees no team's cases, not everyone's.
      await loket.db!.query(`update users set team = null where id = $1`, [annaId]);
      expect((await listed('/werkplek/zaken?view=team')).references).toEqual([]);
    } finally {
      await loket.db!.query(`update cases set waiting_since = null`);
      await loket.db!.query(`update users set list_preference = null, team = null where id = $1`, [annaId]);
    }
  });

  it('tells a live list which of the cases it asks about are in its view now, as rows', async () => {
    const rows = async (query: string) => {
      const response = await fetch(`${loket.url}/werkplek/zaken/rijen?${query}`, { headers: { cookie: anna.cookie } });
      return { status: response.status, references: [...(await response.text()).matchAll(/<tr data-reference="([^"]+)"/g)].map((m) => m[1]) };
    };
    expect(await rows('view=mine&zaak=ZK-2026-000010&zaak=ZK-2026-000011')).toEqual({ status: 200, references: ['ZK-2026-000010'] });
    expect(await rows('view=closed&zaak=ZK-2026-000007&zaak=ZK-2026-000010')).toEqual({ status: 200, references: ['ZK-2026-000007'] });
    expect(await rows('zaak=ZK-2026-000011&sort=newest')).toEqual({ status: 200, references: ['ZK-2026-000011'] });
    expect((await rows('zaak=DROP%20TABLE')).status).toBe(400);
    const tooMany = Array.from({ length: 51 }, (_, i) => `zaak=ZK-2026-${String(i + 1).padStart(6, '0')}`).join('&');
    expect((await rows(tooMany)).status).toBe(400);
  });

  it('counts up to a cap instead of counting a year of cases on every page', async () => {
    await loket.db!.query(
      `insert into cases (reference, channel, topic, subject, sender, status_token, answer_by)
       select 'ZK-2025-' || lpad(g::text, 6, '0'), 'webform', 'overig', 'Oud ' || g, '{}'::jsonb, 'old-' || g, date '2026-12-31'
         from generate_series(1, 1000) g`,
    );
    expect((await listed('/werkplek/zaken?view=open')).html).toContain('Meer dan 1000 zaken');
    await loket.db!.query(`delete from cases where reference like 'ZK-2025-%'`);
  });
});

describe('in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const signedIn = async (width: number) => {
    const context = await browser.newContext({ viewport: { width, height: 1000 } });
    const [name, value] = anna.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: loket.url }]);
    return { context, page: await context.newPage() };
  };

  it('on a wide screen shows views, list and case side by side, the facts beside the conversation', async () => {
    const { context, page } = await signedIn(1920);
    await page.goto(`${loket.url}/werkplek/zaken?view=mine`);
    const shown = (await page.locator('#case-results tbody tr').nth(2).getAttribute('data-reference'))!;
    await page.goto(`${loket.url}/werkplek/zaken/${shown}`);
    const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
    const [views, list, heading, side, conversation] = [
      await box('.pane-nav nav.views'),
      await box('.pane-nav nav.pane-list'),
      await box('h1'),
      await box('#case-facts'),
      await box('.conversation'),
    ];
    expect(views.x + views.width, 'views left of the list').toBeLessThanOrEqual(list.x);
    expect(list.x + list.width, 'list left of the case').toBeLessThanOrEqual(heading.x);
    expect(conversation.x + conversation.width, 'conversation left of the facts').toBeLessThanOrEqual(side.x);
    expect(side.y, 'the facts at the height of the conversation, not under it').toBeLessThan(conversation.y + conversation.height);
    // The list is the agent's chosen view (mine), the case shown marked in it.
    const current = page.locator('.pane-list a[aria-current="page"]');
    expect(await current.getAttribute('href')).toBe(`/werkplek/zaken/${shown}`);
    expect(await page.locator('.pane-list li').count()).toBe(Math.min(50, (await expected(`status = 'open' and assignee_id = ${annaId}`, 'id')).length));
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling').toBeLessThanOrEqual(1920);
    await screenshot(page, 'case-three-panes-1920px');
    // One column on a narrow screen: no list, the facts above the conversation.
    await page.setViewportSize({ width: 800, height: 1000 });
    expect(await page.locator('.pane-nav').isVisible()).toBe(false);
    const [narrowSide, narrowConversation] = [await box('#case-facts'), await box('.conversation')];
    expect(narrowSide.y + narrowSide.height).toBeLessThanOrEqual(narrowConversation.y);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling').toBeLessThanOrEqual(800);
    await screenshot(page, 'case-one-column-800px');
    await context.close();
  });

  it('shows the team, the answer date and the assignee of every case, nothing cut off', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
    const [name, value] = anna.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: loket.url }]);
    const page = await context.newPage();
    await page.goto(`${loket.url}/werkplek/zaken?view=mine`);
    const row = page.locator('#case-results tbody tr').first();
    for (const label of ['Team', 'Antwoord uiterlijk', 'Behandelaar']) {
      const cell = row.locator(`td[data-label="${label}"]`);
      expect(await cell.isVisible(), label).toBe(true);
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width, `${label} fits in the window`).toBeLessThanOrEqual(800);
    }
    expect(await row.locator('td[data-label="Behandelaar"]').innerText()).toContain('Anna Agent');
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling').toBeLessThanOrEqual(800);
    await screenshot(page, 'case-list-800px');
    await context.close();
  });
});
