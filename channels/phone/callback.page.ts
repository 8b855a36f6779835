import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../src/db/database.js';
import { html, type SafeHtml } from '../../src/ui/html.js';
import { layout } from '../../src/ui/layout.js';
import { languageSwitch, uiLocale, type UiLocale } from '../../src/workspace/language.js';
import { TEXTS } from './call-log.page.js';
import { openCallbackTasks, type CallbackTask } from './callback.store.js';

const when = (at: Date, lang: UiLocale) =>
  at.toLocaleString(lang === 'en' ? 'en-GB' : 'nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'short' });

const cursorQuery = z.object({
  team: z.string().trim().min(1).max(100).optional().catch(undefined),
  na: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional()
    .catch(undefined),
});

/** GET /werkplek/terugbellen: the open call-back tasks, oldest first, 50 a page; each links its case and the log form. */
export function registerCallbackPage(app: FastifyInstance, db: Db): void {
  app.get('/werkplek/terugbellen', { config: { access: 'agent' } }, async (request, reply) => {
    const { na, team } = cursorQuery.parse(request.query ?? {});
    const after = na === undefined ? undefined : Number(na);
    const { tasks, more } = await openCallbackTasks(db, { after, team });
    const last = tasks[tasks.length - 1];
    const link = (extra: Record<string, string>) => {
      const query = new URLSearchParams({ ...(team ? { team } : {}), ...extra }).toString();
      return `/werkplek/terugbellen${query ? `?${query}` : ''}`;
    };
    const next = more && last ? link({ na: String(last.id) }) : undefined;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(callbackPage(tasks, { next, first: after !== undefined ? link({}) : undefined, team }, uiLocale(request), languageSwitch(request)));
  });
}

function callbackPage(tasks: CallbackTask[], paging: { next?: string; first?: string; team?: string }, lang: UiLocale, header: SafeHtml): string {
  const T = TEXTS[lang];
  const row = (task: CallbackTask) => html`<tr data-task="${task.id}">
<td>${task.recipient.phone ?? T.noNumber}</td>
<td>${task.recipient.name ?? T.unknownCaller}</td>
<td><a href="/werkplek/zaken/${encodeURIComponent(task.reference)}">${task.reference}</a></td>
<td>${when(task.since, lang)}</td>
<td>${task.team ?? ''}</td>
<td>${task.subject}${task.body ? html`<br><span class="meta">${excerpt(task.body)}</span>` : ''}</td>
<td><a href="/werkplek/gesprek?callbackOf=${task.id}">${T.callbacksLog}<span class="visually-hidden"> (${task.reference})</span></a></td>
</tr>`;
  const body = html`<h1>${T.callbacksTitle}${paging.team ? ` — ${paging.team}` : ''}</h1>
<p>${T.callbacksIntro}</p>
<p>${paging.team ? html`<a href="/werkplek/terugbellen">${T.callbacksAllTeams}</a>` : html`<a href="/werkplek/terugbellen?team=HR-loket">${T.callbacksHrDesk}</a>`}</p>
${
  tasks.length === 0
    ? html`<p>${T.callbacksNone}</p>`
    : html`<div class="table-wrap"><table>
<caption class="visually-hidden">${T.callbacksTitle}</caption>
<thead><tr><th scope="col">${T.callbacksNumber}</th><th scope="col">${T.callbacksName}</th><th scope="col">${T.callbacksCase}</th><th scope="col">${T.callbacksSince}</th><th scope="col">${T.callbacksTeam}</th><th scope="col">${T.callbacksWhat}</th><th scope="col">${T.callbacksAction}</th></tr></thead>
<tbody>${tasks.map(row)}</tbody>
</table></div>`
}
${
  paging.next || paging.first
    ? html`<nav aria-label="${T.callbacksPages}"><ul class="pages">
${paging.first ? html`<li><a href="${paging.first}">${T.callbacksFirst}</a></li>` : ''}
${paging.next ? html`<li><a href="${paging.next}" rel="next">${T.callbacksNext}</a></li>` : ''}
</ul></nav>`
    : ''
}
<p><a href="/werkplek/gesprek">${T.logTitle}</a> · <a href="/werkplek">${T.toWorkspace}</a></p>`;
  return layout({ lang, header, title: T.callbacksTitle, body, wide: true });
}

/** The start of a call's notes: what the call-back is about, at a glance. */
function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}
