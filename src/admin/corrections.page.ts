import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { correctionsPerTopic, latestCorrections, undoCorrection } from '../classifier/corrections.js';
import type { TopicClassifier } from '../classifier/topic-classifier.js';
import type { Db } from '../db/database.js';
import { audit } from '../db/schema.js';
import type { TopicCache } from '../topic.store.js';
import { html, type SafeHtml } from '../ui/html.js';
import { uiLocale } from '../workspace/language.js';
import { dates } from '../workspace/workspace.texts.js';
import { adminPage, csrfField } from './admin.layout.js';

const TEXTS = {
  nl: {
    title: 'Onderwerpherkenning',
    undone: 'De correctie is ongedaan gemaakt. Het model leert er binnen een minuut niet meer van.',
    intro: (code: SafeHtml, setting: SafeHtml) =>
      html`Loket herkent het onderwerp van een bericht met een model dat leert van de eigen voorbeeldvragen (in de map ${code}) en van elke keer dat een medewerker het onderwerp van een zaak wijzigt. Een nieuwe correctie bereikt binnen een minuut alle processen. Uw routeringsregels gaan altijd voor. De minimale zekerheid stelt u in bij ${setting}.`,
    setting: 'Onderwerpherkenning: instelling',
    model: 'Het model in dit proces',
    trained: (at: string, examples: number, corrections: number, topics: string) =>
      `Getraind op ${at} met ${examples} voorbeeldvragen en ${corrections} correcties; onderwerpen: ${topics}.`,
    noModel: 'Er is geen model: onderwerpen worden herkend op trefwoorden. Het logboek zegt waarom.',
    perTopic: 'Correcties per onderwerp',
    topic: 'Onderwerp',
    toTopic: 'Correcties naar dit onderwerp',
    latest: 'Laatste correcties',
    none: 'Nog geen correcties.',
    columns: ['Wanneer', 'Zaak', 'Onderwerp van het bericht', 'Van → naar', 'Door'],
    action: 'Actie',
    noSubject: '(geen onderwerp)',
    wasUndone: 'ongedaan gemaakt',
    undo: 'Ongedaan maken',
    correction: (id: number) => `correctie ${id}`,
    notFound: 'Deze correctie bestaat niet.',
    notFoundOrUndone: 'Deze correctie bestaat niet of is al ongedaan gemaakt.',
  },
  en: {
    title: 'Topic recognition',
    undone: 'The correction has been undone. Within a minute the model no longer learns from it.',
    intro: (code: SafeHtml, setting: SafeHtml) =>
      html`Loket recognises the topic of a message with a model that learns from its own example questions (in the folder ${code}) and from every time an agent changes the topic of a case. A new correction reaches every process within a minute. Your routing rules always come first. You set the minimum confidence at ${setting}.`,
    setting: 'Topic recognition: setting',
    model: 'The model in this process',
    trained: (at: string, examples: number, corrections: number, topics: string) =>
      `Trained on ${at} with ${examples} example questions and ${corrections} corrections; topics: ${topics}.`,
    noModel: 'There is no model: topics are recognised by keywords. The log says why.',
    perTopic: 'Corrections per topic',
    topic: 'Topic',
    toTopic: 'Corrections to this topic',
    latest: 'Latest corrections',
    none: 'No corrections yet.',
    columns: ['When', 'Case', 'Subject of the message', 'From → to', 'By'],
    action: 'Action',
    noSubject: '(no subject)',
    wasUndone: 'undone',
    undo: 'Undo',
    correction: (id: number) => `correction ${id}`,
    notFound: 'This correction does not exist.',
    notFoundOrUndone: 'This correction does not exist or has already been undone.',
  },
} as const;

/**
 * GET /admin/herkenning/correcties: how the topic classifier stands in this process, how
 * many corrections by agents each topic had, and the latest corrections, each of which an
 * admin can undo (POST …/:id/ongedaan, audited): the model then trains without it.
 */
export function registerCorrectionsPage(app: FastifyInstance, deps: { db: Db; topics: TopicCache; classifier?: TopicClassifier }): void {
  app.get('/admin/herkenning/correcties', { config: { access: 'admin' } }, async (request, reply) => {
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const { shortDateTime } = dates(lang);
    const [perTopic, latest, topics] = await Promise.all([correctionsPerTopic(deps.db), latestCorrections(deps.db), deps.topics.get()]);
    const name = (key: string | null) => (key ? (topics.find((topic) => topic.key === key)?.nameNl ?? key) : '—');
    const info = deps.classifier?.info;
    const done = (request.query as Record<string, unknown> | undefined)?.['gedaan'] === '1';
    const body = html`${done ? html`<p class="notice" role="status">${t.undone}</p>` : ''}
<p>${t.intro(html`<code>training/</code>`, html`<a href="/admin/herkenning">${t.setting}</a>`)}</p>
<h2>${t.model}</h2>
${
  info
    ? html`<p id="model-state">${t.trained(
        shortDateTime(info.trainedAt),
        info.baseExamples,
        info.corrections,
        info.labels.map((key) => name(key)).join(', '),
      )}</p>`
    : html`<p id="model-state" class="attention">${t.noModel}</p>`
}
<h2>${t.perTopic}</h2>
<table id="corrections-per-topic"><thead><tr><th scope="col">${t.topic}</th><th scope="col">${t.toTopic}</th></tr></thead>
<tbody>${topics.map((topic) => html`<tr><td>${topic.nameNl}</td><td>${perTopic.get(topic.key) ?? 0}</td></tr>`)}</tbody></table>
<h2>${t.latest}</h2>
${
  latest.length === 0
    ? html`<p>${t.none}</p>`
    : html`<table id="corrections"><thead><tr>${t.columns.map((column) => html`<th scope="col">${column}</th>`)}<th scope="col"><span class="visually-hidden">${t.action}</span></th></tr></thead>
<tbody>${latest.map(
        (c) =>
          html`<tr data-correction="${c.id}"><td>${shortDateTime(c.at)}</td><td>${c.reference ? html`<a href="/werkplek/zaken/${c.reference}">${c.reference}</a>` : '—'}</td><td>${c.subject || t.noSubject}</td><td>${name(c.from)} → ${name(c.to)}</td><td>${c.by ?? '—'}</td><td>${
            c.undoneAt
              ? t.wasUndone
              : html`<form method="post" action="/admin/herkenning/correcties/${c.id}/ongedaan" class="inline">${csrfField(request.csrfToken)}<button type="submit" class="secondary">${t.undo}<span class="visually-hidden"> (${t.correction(c.id)})</span></button></form>`
          }</td></tr>`,
      )}</tbody></table>`
}`;
    return reply.type('text/html; charset=utf-8').send(adminPage(t.title, body, request));
  });

  app.post('/admin/herkenning/correcties/:id/ongedaan', { config: { access: 'admin' } }, async (request, reply) => {
    const t = TEXTS[uiLocale(request)];
    const params = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).safeParse(request.params);
    if (!params.success) return reply.code(404).type('text/plain; charset=utf-8').send(t.notFound);
    const me = request.principal!;
    const undone = await undoCorrection(deps.db, params.data.id, me.id);
    if (!undone) return reply.code(404).type('text/plain; charset=utf-8').send(t.notFoundOrUndone);
    await deps.db
      .insert(audit)
      .values({ actor: me.name, action: 'classify.correction-undone', entity: 'topic-correction', entityId: String(params.data.id), data: { actorId: me.id } });
    await deps.classifier?.refresh();
    return reply.code(303).header('location', '/admin/herkenning/correcties?gedaan=1').send();
  });
}
