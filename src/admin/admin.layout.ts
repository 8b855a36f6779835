import { html, SafeHtml } from '../ui/html.js';
import { layout } from '../ui/layout.js';

/** The admin pages and their titles, in menu order. */
export const ADMIN_SECTIONS = [
  { path: '/admin/regels', title: 'Routeringsregels' },
  { path: '/admin/onderwerpen', title: 'Onderwerpen' },
  { path: '/admin/chat', title: 'Chatonderwerpen' },
  { path: '/admin/openingstijden', title: 'Openingstijden' },
  { path: '/admin/sjablonen', title: 'Antwoordsjablonen' },
  { path: '/admin/herkenning/correcties', title: 'Onderwerpherkenning' },
  { path: '/admin/termijnen', title: 'Termijnen (SLA)' },
  { path: '/admin/klachttermijnen', title: 'Termijnen klachtprocedure' },
  { path: '/admin/quarantaine', title: 'Quarantaine (e-mail)' },
  { path: '/admin/queues', title: 'Wachtrijen' },
] as const;

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

/** The frame of every admin page: menu, title, body. */
export function adminPage(title: string, body: SafeHtml): string {
  return layout({
    lang: 'nl',
    title: `${title} — Beheer`,
    body: html`${STYLE}<nav class="admin" aria-label="Beheer"><ul><li><a href="/werkplek">Werkplek</a></li><li><a href="/admin">Beheer</a></li>${ADMIN_SECTIONS.map(
      (s) => html`<li><a href="${s.path}">${s.title}</a></li>`,
    )}</ul></nav>
<h1>${title}</h1>
${body}`,
  });
}

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

/** Amsterdam date and time, as the pages show it. */
export const when = (at: Date) => new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'medium', timeStyle: 'short' }).format(at);
