import type { FastifyRequest } from 'fastify';
import { html, SafeHtml } from '../ui/html.js';
import { layout } from '../ui/layout.js';
import { languageSwitch, uiLocale, type UiLocale } from '../workspace/language.js';

/** The admin pages and their titles, in menu order. */
export const ADMIN_SECTIONS = [
  { path: '/admin/regels', nl: 'Routeringsregels', en: 'Routing rules' },
  { path: '/admin/onderwerpen', nl: 'Onderwerpen', en: 'Topics' },
  { path: '/admin/chat', nl: 'Chatonderwerpen', en: 'Chat topics' },
  { path: '/admin/openingstijden', nl: 'Openingstijden', en: 'Office hours' },
  { path: '/admin/sjablonen', nl: 'Antwoordsjablonen', en: 'Reply templates' },
  { path: '/admin/herkenning/correcties', nl: 'Onderwerpherkenning', en: 'Topic recognition' },
  { path: '/admin/termijnen', nl: 'Termijnen (SLA)', en: 'Deadlines (SLA)' },
  { path: '/admin/klachttermijnen', nl: 'Termijnen klachtprocedure', en: 'Complaint procedure deadlines' },
  { path: '/admin/quarantaine', nl: 'Quarantaine (e-mail)', en: 'Quarantine (e-mail)' },
  { path: '/admin/queues', nl: 'Wachtrijen', en: 'Queues' },
] as const;

const TEXTS = {
  nl: { admin: 'Beheer', workspace: 'Werkplek' },
  en: { admin: 'Administration', workspace: 'Workspace' },
} as const;

/** The admin pages' own stylesheet, served at ADMIN_STYLESHEET. */
export const ADMIN_STYLE = `
main { max-width: 72rem; }
nav.admin ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
textarea.json { font-family: ui-monospace, monospace; font-size: .85rem; min-height: 24rem; }
pre { background: #f4f6f9; padding: .5rem; overflow-x: auto; font-size: .8rem; }
.diff-del { background: #fde2e2; } .diff-add { background: #dff5e1; }
.changed { font-weight: 700; color: #8a4b00; }
.notice { border-left: 4px solid #2e7d32; padding: .5rem 1rem; background: #eef7ee; }
button.secondary { background: #fff; color: var(--brand); border: 2px solid var(--brand); }
form.inline { display: inline; } form.inline button { margin-top: 0; padding: .3rem .8rem; }
fieldset { border: 1px solid #ccc; border-radius: 3px; margin: 1rem 0; padding: .25rem 1rem 1rem; }
fieldset.rule, fieldset.topic, fieldset.template { border-left: 4px solid var(--brand); }
legend { font-weight: 700; padding: 0 .25rem; }
.entry-actions button { margin-top: .5rem; padding: .3rem .8rem; }
`;
export const ADMIN_STYLESHEET = '/assets/admin.css';
const STYLE = html`<link rel="stylesheet" href="${ADMIN_STYLESHEET}">`;

/** The frame of every admin page: menu, title, body, in the admin's language and with the language switch. */
export function adminPage(title: string, body: SafeHtml, request: FastifyRequest): string {
  const lang = uiLocale(request);
  const t = TEXTS[lang];
  return layout({
    lang,
    title: `${title} — ${t.admin}`,
    header: languageSwitch(request),
    body: html`${STYLE}<nav class="admin" aria-label="${t.admin}"><ul><li><a href="/werkplek">${t.workspace}</a></li><li><a href="/admin">${t.admin}</a></li>${adminMenu(lang)}</ul></nav>
<h1>${title}</h1>
${body}`,
  });
}

/** The admin sections as list items of links, in the admin's language. */
export const adminMenu = (lang: UiLocale) => ADMIN_SECTIONS.map((s) => html`<li><a href="${s.path}">${s[lang]}</a></li>`);

/** A hidden CSRF field for a form. */
export const csrfField = (token: string | undefined) => html`<input type="hidden" name="_csrf" value="${token ?? ''}">`;

/** A line diff of two texts (longest common subsequence), for version history. */
export function lineDiff(before: string, after: string): SafeHtml {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > 4_000_000) return html`<pre>${after}</pre>`;
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const lines: SafeHtml[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push(html`<span>  ${a[i]}</span>`);
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      lines.push(html`<span class="diff-add">+ ${b[j]}</span>`);
      j++;
    } else {
      lines.push(html`<span class="diff-del">- ${a[i]}</span>`);
      i++;
    }
  }
  return html`<pre>${lines.map((line) => html`${line}\n`)}</pre>`;
}

const WHEN = {
  nl: new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'medium', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', dateStyle: 'medium', timeStyle: 'short' }),
};

/** Amsterdam date and time, as the pages show it. */
export const when = (at: Date, lang: UiLocale = 'nl') => WHEN[lang].format(at);
