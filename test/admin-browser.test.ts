/**
 * The admin console in a real browser, without JavaScript of its own. Real: Chromium
 * (Debian's, headless, via playwright-core), HTTP, PostgreSQL (a database of its own),
 * Redis. Fields are found by their labels. The end state is kept in test-artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { ARTIFACTS, launchChromium, screenshot } from './support/browser.js';
import { startTestLoket, type TestLoket } from './support/loket.js';

const PASSWORD = 'een-lang-wachtwoord-42';
let loket: TestLoket;
let browser: Browser;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  loket = await startTestLoket({ ROLE: 'web' });
  await createUser(loket.database.db, { email: 'beheer@example.org', name: 'Bea Beheer', role: 'admin', password: PASSWORD });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await loket?.stop();
});

describe('the admin console in a browser', () => {
  it('an admin edits a rule in the rules form, saves it, and dry-runs it against a typed message', async () => {
    const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1200, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${loket.url}/login?next=/werkplek`);
      await page.getByLabel('E-mailadres').fill('beheer@example.org');
      await page.getByLabel('Wachtwoord').fill(PASSWORD);
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await page.getByRole('link', { name: 'Beheer', exact: true }).first().click();
      await page.getByRole('navigation', { name: 'Beheer' }).getByRole('link', { name: 'Routeringsregels' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Routeringsregels');

      await page.getByRole('button', { name: 'Regel toevoegen' }).click();
      const rule = page.getByRole('group', { name: /^Regel 1/ });
      await expect.poll(() => rule.getByLabel('Sleutel').inputValue()).toBe('regel-1');

      // A rule with a mistake first: the page says where, next to the field, and keeps what was typed.
      await rule.getByLabel('Sleutel').fill('BZK!');
      await rule.getByLabel('Afzenders').fill('@minbzk.nl');
      await rule.getByLabel('Prioriteit').selectOption({ label: 'hoog' });
      await rule.getByLabel('Team').fill('spoed');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Regel 1 › Sleutel');
      expect(await rule.getByLabel('Sleutel').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#r0-id-error').textContent()).toContain('kleine letters, cijfers en streepjes');
      expect(await rule.getByLabel('Afzenders').inputValue()).toBe('@minbzk.nl');

      // Enter in a field shows the form again and saves nothing (it must not press a rule's Verwijderen).
      await rule.getByLabel('Sleutel').fill('bzk');
      await rule.getByLabel('Naam').fill('BZK met voorrang');
      await rule.getByLabel('Naam').press('Enter');
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);
      expect(await rule.getByLabel('Sleutel').inputValue()).toBe('bzk');
      expect(await page.getByRole('status').count()).toBe(0);

      await page.getByLabel('Toelichting').fill('BZK krijgt voorrang');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Opgeslagen als versie 1');
      expect(await rule.getByLabel('Team').inputValue()).toBe('spoed');

      // Now an edit not yet saved, dry-run against a typed message.
      await rule.getByLabel('Team').fill('bzk-team');
      await page.getByLabel('Afzender (e-mailadres)').fill('piet@minbzk.nl');
      await page.getByLabel('Onderwerp', { exact: true }).fill('Mijn salarisstrook');
      await page.getByLabel('Tekst', { exact: true }).fill('Het salaris van oktober klopt niet.');
      await page.getByRole('button', { name: 'Proefdraaien' }).click();
      const result = page.locator('#proefdraaien-resultaat');
      await result.waitFor();
      const text = (await result.textContent()) ?? '';
      expect(text).toContain('De nieuwe regels veranderen de afhandeling van dit bericht.');
      expect(text).toContain('spoed → bzk-team');
      expect(text).toContain('high');
      expect(
        await page
          .getByRole('group', { name: /^Regel 1/ })
          .getByLabel('Team')
          .inputValue(),
      ).toBe('bzk-team');
      await screenshot(page, 'admin-dry-run');

      // The dry run wrote nothing: still one version, with the saved team.
      await page.getByRole('link', { name: 'Geschiedenis en terugzetten' }).click();
      expect(await page.locator('section.entry').count()).toBe(1);
      expect(await page.locator('#versie-1').textContent()).toContain('BZK krijgt voorrang');
      const [saved] = await loket.db!.query<{ value: unknown }>(`select value from settings where key = 'routing.rules'`);
      expect(saved!.value).toEqual([
        { id: 'bzk', name: 'BZK met voorrang', enabled: true, when: { senders: ['@minbzk.nl'] }, then: { team: 'spoed', priority: 'high' } },
      ]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
