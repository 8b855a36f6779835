import { html, type SafeHtml } from '../../src/ui/html.js';
import { layout } from '../../src/ui/layout.js';
import type { UiLocale } from '../../src/workspace/language.js';
import { dates } from '../../src/workspace/workspace.texts.js';
import { addressLines } from './letter.pdf.js';
import { TEXTS } from './letter.page.js';
import type { PrintItem } from './print.store.js';

/** GET /werkplek/afdrukken: each letter with its PDF and a button to mark it posted (the page in the agent's language). */
export function printPage(
  items: PrintItem[],
  csrfToken: string,
  paging: { next?: string; first?: string } = {},
  language: { lang: UiLocale; header?: SafeHtml } = { lang: 'nl' },
): string {
  const { lang } = language;
  const t = TEXTS[lang];
  const { shortDateTime } = dates(lang);
  const c = t.printColumns;
  const rows = items.map(
    (item) => html`<tr data-outbox-id="${item.outboxId}">
<td>${item.reference}</td>
<td>${addressLines(item.recipient.name, item.recipient.postalAddress ?? {}).map((line) => html`${line}<br>`)}</td>
<td>${item.subject}</td>
<td>${item.sentAt ? shortDateTime(item.sentAt) : ''}</td>
<td><a href="/werkplek/afdrukken/${item.outboxId}.pdf">${t.printPdf(item.reference)}</a></td>
<td><form method="post" action="/werkplek/afdrukken/${item.outboxId}/verstuurd">
<input type="hidden" name="_csrf" value="${csrfToken}">
<button type="submit" aria-label="${t.postedFor(item.reference)}">${t.posted}</button>
</form></td>
</tr>`,
  );
  const body = html`<h1>${t.printTitle}</h1>
<p>${t.printIntro}</p>
${
  items.length === 0
    ? html`<p id="print-empty">${t.printEmpty}</p>`
    : html`<table id="print-queue">
<caption class="visually-hidden">${t.printTitle}</caption>
<thead><tr><th scope="col">${c.reference}</th><th scope="col">${c.recipient}</th><th scope="col">${c.subject}</th><th scope="col">${c.createdAt}</th><th scope="col">${c.pdf}</th><th scope="col">${c.action}</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}
${
  paging.next || paging.first
    ? html`<nav aria-label="${t.printPages}"><ul class="pages">
${paging.first ? html`<li><a href="${paging.first}">${t.printFirst}</a></li>` : ''}
${paging.next ? html`<li><a href="${paging.next}" rel="next">${t.printNext}</a></li>` : ''}
</ul></nav>`
    : ''
}`;
  return layout({ lang, header: language.header, title: t.printTitle, body });
}
