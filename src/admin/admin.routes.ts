import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import type { Intake } from '../intake.js';
import type { SettingsCache } from '../settings.store.js';
import type { TopicCache } from '../topic.store.js';
import { html } from '../ui/html.js';
import { uiLocale } from '../workspace/language.js';
import { adminMenu, adminPage } from './admin.layout.js';
import { registerDryRun } from './dry-run.page.js';
import { registerSettingPages } from './settings.pages.js';
import { registerCorrectionsPage } from './corrections.page.js';
import type { TopicClassifier } from '../classifier/topic-classifier.js';
import type { TopicGuesser } from '../policy/routing.decision.js';

const TEXTS = {
  nl: { title: 'Beheer', intro: 'Wijzigingen gelden binnen twee seconden in alle processen. Elke wijziging krijgt een versie en kan worden teruggezet.' },
  en: { title: 'Administration', intro: 'Changes take effect in every process within two seconds. Every change gets a version and can be rolled back.' },
} as const;

export interface AdminDeps {
  db: Db;
  intake: Intake;
  settings: SettingsCache;
  topics: TopicCache;
  /** The process's topic classifier (its state for the admin) and the classifier as routing uses it now (the dry run). */
  classifier?: TopicClassifier;
  guess?: () => Promise<TopicGuesser>;
}

/** The admin console under /admin: every route for admins only. */
export function registerAdminPages(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/admin', { config: { access: 'admin' } }, async (request, reply) => {
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const page = adminPage(
      t.title,
      html`<p>${t.intro}</p>
<ul>${adminMenu(lang)}</ul>`,
      request,
    );
    return reply.type('text/html; charset=utf-8').send(page);
  });
  registerSettingPages(app, deps.db);
  registerDryRun(app, deps);
  registerCorrectionsPage(app, deps);
}
