import { html } from '../../src/ui/html.js';
import { layout } from '../../src/ui/layout.js';
import { addressLines } from './letter.pdf.js';
import type { PrintItem } from './print.store.js';
import { TEXTS } from './post.texts.js';

const timestamp = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'medium', timeStyle: 'short' });

/** GET /werkplek/afdrukken: each letter with its PDF and a button to mark it posted. */
export function printPage(items: PrintItem[], csrfToken: string, paging: { next?: string; first?: string } = {}): string {
  const c = TEXTS.printColumns;
  const rows = items.map(
    (item) => html`<tr data-outbox-id="${item.outboxId}">
<td>${item.reference}</td>
<td>${addressLines(item.recipient.name, item.recipient.postalAddress ?? {}).map((line) => html`${line}<br>`)}</td>
<td>${item.subject}</td>
<td>${item.sentAt ? timestamp.format(item.sentAt) : ''}</td>
<td><a href="/werkplek/afdrukken/${item.outboxId}.pdf">${TEXTS.printPdf(item.reference)}</a></td>
<td><form method="post" action="/werkplek/afdrukken/${item.outboxId}/verstuurd">
<input type="hidden" name="_csrf" value="${csrfToken}">
<button type="submit" aria-label="${TEXTS.postedFor(item.reference)}">${TEXTS.posted}</button>
</form></td>
</tr>`,
  );
  const body = html`<h1>${TEXTS.printTitle}</h1>
<p>${TEXTS.printIntro}</p>
${
  items.length === 0
    ? html`<p id="print-empty">${TEXTS.printEmpty}</p>`
    : html`<table id="print-queue">
<caption class="visually-hidden">${TEXTS.printTitle}</caption>
<thead><tr><th scope="col">${c.reference}</th><th scope="col">${c.recipient}</th><th scope="col">${c.subject}</th><th scope="col">${c.createdAt}</th><th scope="col">${c.pdf}</th><th scope="col">${c.action}</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}
${
  paging.next || paging.first
    ? html`<nav aria-label="${TEXTS.printPages}"><ul class="pages">
${paging.first ? html`<li><a href="${paging.first}">${TEXTS.printFirst}</a></li>` : ''}
${paging.next ? html`<li><a href="${paging.next}" rel="next">${TEXTS.printNext}</a></li>` : ''}
</ul></nav>`
    : ''
}`;
  return layout({ lang: 'nl', title: TEXTS.printTitle, body });
}
