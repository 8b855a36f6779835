import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { correctionsPerTopic, latestCorrections, undoCorrection } from '../classifier/corrections.js';
import type { TopicClassifier } from '../classifier/topic-classifier.js';
import type { Db } from '../db/database.js';
import { audit } from '../db/schema.js';
import type { TopicCache } from '../topic.store.js';
import { html } from '../ui/html.js';
import { adminPage, csrfField } from './admin.layout.js';

const dateTime = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });

/**
 * GET /admin/herkenning/correcties: how the topic classifier stands in this process, how
 * many corrections by agents each topic had, and the latest corrections, each of which an
 * admin can undo (POST …/:id/ongedaan, audited): the model then trains without it.
 */
export function registerCorrectionsPage(app: FastifyInstance, deps: { db: Db; topics: TopicCache; classifier?: TopicClassifier }): void {
  app.get('/admin/herkenning/correcties', { config: { access: 'admin' } }, async (request, reply) => {
    const [perTopic, latest, topics] = await Promise.all([correctionsPerTopic(deps.db), latestCorrections(deps.db), deps.topics.get()]);
    const name = (key: string | null) => (key ? (topics.find((t) => t.key === key)?.nameNl ?? key) : '—');
    const info = deps.classifier?.info;
    const done = (request.query as Record<string, unknown> | undefined)?.['gedaan'] === '1';
    const body = html`${done ? html`<p class="notice" role="status">De correctie is ongedaan gemaakt. Het model leert er binnen een minuut niet meer van.</p>` : ''}
<p>Loket herkent het onderwerp van een bericht met een model dat leert van de eigen voorbeeldvragen (in de map <code>training/</code>) en van elke keer dat een medewerker het onderwerp van een zaak wijzigt. Een nieuwe correctie bereikt binnen een minuut alle processen. Uw routeringsregels gaan altijd voor. De minimale zekerheid stelt u in bij <a href="/admin/herkenning">Onderwerpherkenning: instelling</a>.</p>
<h2>Het model in dit proces</h2>
${
  info
    ? html`<p id="model-state">Getraind op ${dateTime.format(info.trainedAt)} met ${info.baseExamples} voorbeeldvragen en ${info.corrections} correcties; onderwerpen: ${info.labels
        .map((key) => name(key))
        .join(', ')}.</p>`
    : html`<p id="model-state" class="attention">Er is geen model: onderwerpen worden herkend op trefwoorden. Het logboek zegt waarom.</p>`
}
<h2>Correcties per onderwerp</h2>
<table id="corrections-per-topic"><thead><tr><th scope="col">Onderwerp</th><th scope="col">Correcties naar dit onderwerp</th></tr></thead>
<tbody>${topics.map((topic) => html`<tr><td>${topic.nameNl}</td><td>${perTopic.get(topic.key) ?? 0}</td></tr>`)}</tbody></table>
<h2>Laatste correcties</h2>
${
  latest.length === 0
    ? html`<p>Nog geen correcties.</p>`
    : html`<table id="corrections"><thead><tr><th scope="col">Wanneer</th><th scope="col">Zaak</th><th scope="col">Onderwerp van het bericht</th><th scope="col">Van → naar</th><th scope="col">Door</th><th scope="col"><span class="visually-hidden">Actie</span></th></tr></thead>
<tbody>${latest.map(
        (c) =>
          html`<tr data-correction="${c.id}"><td>${dateTime.format(c.at)}</td><td>${c.reference ? html`<a href="/werkplek/zaken/${c.reference}">${c.reference}</a>` : '—'}</td><td>${c.subject || '(geen onderwerp)'}</td><td>${name(c.from)} → ${name(c.to)}</td><td>${c.by ?? '—'}</td><td>${
            c.undoneAt
              ? html`ongedaan gemaakt`
              : html`<form method="post" action="/admin/herkenning/correcties/${c.id}/ongedaan" class="inline">${csrfField(request.csrfToken)}<button type="submit" class="secondary">Ongedaan maken<span class="visually-hidden"> (correctie ${c.id})</span></button></form>`
          }</td></tr>`,
      )}</tbody></table>`
}`;
    return reply.type('text/html; charset=utf-8').send(adminPage('Onderwerpherkenning', body));
  });

  app.post('/admin/herkenning/correcties/:id/ongedaan', { config: { access: 'admin' } }, async (request, reply) => {
    const params = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).safeParse(request.params);
    if (!params.success) return reply.code(404).type('text/plain; charset=utf-8').send('Deze correctie bestaat niet.');
    const me = request.principal!;
    const undone = await undoCorrection(deps.db, params.data.id, me.id);
    if (!undone) return reply.code(404).type('text/plain; charset=utf-8').send('Deze correctie bestaat niet of is al ongedaan gemaakt.');
    await deps.db
      .insert(audit)
      .values({ actor: me.name, action: 'classify.correction-undone', entity: 'topic-correction', entityId: String(params.data.id), data: { actorId: me.id } });
    await deps.classifier?.refresh();
    return reply.code(303).header('location', '/admin/herkenning/correcties?gedaan=1').send();
  });
}
