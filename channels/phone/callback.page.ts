import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/database.js';
import { html } from '../../src/ui/html.js';
import { layout } from '../../src/ui/layout.js';
import { openCallbackTasks, type CallbackTask } from './callback.store.js';
import { T } from './phone.texts.js';

const when = (at: Date) => at.toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'short' });

/** GET /werkplek/terugbellen: the open call-back tasks, each with a link to log the call-back. */
export function registerCallbackPage(app: FastifyInstance, db: Db): void {
  app.get('/werkplek/terugbellen', { config: { access: 'agent' } }, async (_request, reply) => {
    const tasks = await openCallbackTasks(db);
    return reply.type('text/html; charset=utf-8').send(callbackPage(tasks));
  });
}

function callbackPage(tasks: CallbackTask[]): string {
  const row = (task: CallbackTask) => html`<tr data-task="${task.id}">
<td>${task.recipient.phone ?? T.noNumber}</td>
<td>${task.recipient.name ?? T.unknownCaller}</td>
<td>${task.reference}</td>
<td>${when(task.since)}</td>
<td>${task.subject}</td>
<td><a href="/werkplek/gesprek?callbackOf=${task.id}">${T.callbacksLog}<span class="visually-hidden"> (${task.reference})</span></a></td>
</tr>`;
  const body = html`<h1>${T.callbacksTitle}</h1>
<p>${T.callbacksIntro}</p>
${
  tasks.length === 0
    ? html`<p>${T.callbacksNone}</p>`
    : html`<table>
<caption class="visually-hidden">${T.callbacksTitle}</caption>
<thead><tr><th scope="col">${T.callbacksNumber}</th><th scope="col">${T.callbacksName}</th><th scope="col">${T.callbacksCase}</th><th scope="col">${T.callbacksSince}</th><th scope="col">${T.callbacksWhat}</th><th scope="col">${T.callbacksAction}</th></tr></thead>
<tbody>${tasks.map(row)}</tbody>
</table>`
}
<p><a href="/werkplek/gesprek">${T.logTitle}</a> · <a href="/werkplek">${T.toWorkspace}</a></p>`;
  return layout({ lang: 'nl', title: T.callbacksTitle, body });
}
