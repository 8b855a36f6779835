import { html, SafeHtml } from './html.js';

/** The stylesheet of every page, served at STYLESHEET (no inline styles: the CSP allows none). */
export const STYLE = `
:root { --ink: #1a1a1a; --brand: #154273; --error: #b00020; --muted: #5a5a5a; font-family: system-ui, sans-serif; }
body { margin: 0; color: var(--ink); line-height: 1.5; background: #f4f6f9; }
header { background: var(--brand); color: #fff; padding: 1rem 1.5rem; }
header a { color: #fff; }
header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
header form.language { margin: 0; }
header form.language button { margin: 0; background: transparent; color: #fff; border: 1px solid #fff; padding: .2rem .6rem; }
main { max-width: 46rem; margin: 1.5rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 4px; }
label { display: block; font-weight: 600; margin-top: 1rem; }
.hint { color: var(--muted); font-weight: 400; font-size: .9rem; }
input, select, textarea { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; border: 1px solid #767676; border-radius: 3px; }
textarea { min-height: 10rem; }
input:focus, select:focus, textarea:focus, button:focus, a:focus { outline: 3px solid #ffbf47; outline-offset: 1px; }
[aria-invalid="true"] { border-color: var(--error); border-width: 2px; }
.field-error { color: var(--error); font-weight: 600; margin: .25rem 0 0; }
.error-summary { border: 3px solid var(--error); padding: 1rem; margin-bottom: 1rem; }
button { margin-top: 1.5rem; background: var(--brand); color: #fff; border: 0; padding: .75rem 1.5rem; font: inherit; font-weight: 600; border-radius: 3px; cursor: pointer; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.reference { font-size: 1.4rem; font-weight: 700; }
.entry { border-top: 1px solid #ddd; padding-top: 1rem; margin-top: 1rem; }
.entry h2 { margin: 0; font-size: 1rem; }
.entry .text { white-space: pre-wrap; }
.meta { color: var(--muted); font-size: .9rem; }
main.wide { max-width: 80rem; }
main.full { max-width: none; margin: 0; border-radius: 0; padding: 1rem 1.5rem; }
.panes { display: grid; gap: 1.5rem; }
.pane-nav { display: none; }
.case-columns { display: grid; gap: 0 2rem; }
.case-side dl.facts { margin-top: 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .2rem 1rem; }
.case-side dl.facts dt { font-weight: 600; }
.case-side dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.case-actions form { margin-bottom: 1rem; }
ol.pane-cases { list-style: none; padding: 0; margin: 0; }
ol.pane-cases li { border-bottom: 1px solid #ddd; padding: .4rem .25rem; }
ol.pane-cases li.shown { background: #e8eef6; }
ol.pane-cases a { display: block; }
ol.pane-cases .meta { display: block; font-size: .8rem; }
nav.views a.chosen { font-weight: 700; }
.sla { display: inline-block; font-size: .85rem; font-weight: 600; padding: 0 .4rem; border-radius: 3px; border: 1px solid currentColor; }
.sla-warning { color: #7a4a00; background: #fff4e0; }
.sla-breached, .sla-missed { color: #fff; background: var(--error); border-color: var(--error); }
.sla-paused { color: var(--muted); }
.sla-on-time, .sla-met { color: #1d5e20; }
@media (min-width: 64rem) {
  .case-columns { grid-template-columns: minmax(0, 1fr) 22rem; grid-template-areas: "conversation side" "conversation actions"; grid-template-rows: auto 1fr; }
  .case-side { grid-area: side; }
  .conversation { grid-area: conversation; }
  .case-actions { grid-area: actions; }
}
@media (min-width: 90rem) {
  .panes { grid-template-columns: 18rem minmax(0, 1fr); }
  .pane-nav { display: block; border-right: 1px solid #ddd; padding-right: 1rem; max-height: calc(100vh - 6rem); overflow-y: auto; position: sticky; top: 1rem; align-self: start; }
  .pane-nav nav.views ul { flex-direction: column; margin-top: 0; }
}
@media (min-width: 110rem) {
  .panes { grid-template-columns: 11rem 20rem minmax(0, 1fr); }
  .pane-nav { display: contents; }
  .pane-nav nav.views { border-right: 1px solid #ddd; padding-right: 1rem; }
  .pane-nav nav.pane-list { border-right: 1px solid #ddd; padding-right: 1rem; max-height: calc(100vh - 6rem); overflow-y: auto; position: sticky; top: 1rem; align-self: start; }
}
.table-wrap { overflow-x: auto; }
dl.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .75rem; margin: 1rem 0; }
dl.tiles .tile { border: 1px solid #ccc; border-left: 6px solid var(--brand); border-radius: 4px; padding: .5rem .75rem; }
dl.tiles .tile.attention { border-left-color: var(--error); }
dl.tiles dt { font-weight: 600; }
dl.tiles dd { margin: 0; font-size: 1.8rem; font-weight: 700; color: var(--ink); }
dl.tiles dd.meta { font-size: .85rem; font-weight: 400; color: var(--muted); }
p.verified { color: #1d5e20; margin: .25rem 0; }
img.chart { max-width: 100%; height: auto; display: block; }
figure.report-figure { margin: 1rem 0 .5rem; }
form.report-filter fieldset { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 0 1rem; }
form.report-filter legend { font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
.attention { color: var(--error); }
label.check { font-weight: 400; margin-top: .25rem; }
label.check input { width: auto; }
input.inline-check { width: auto; margin-right: .5rem; }
label.inline { display: inline; }
textarea.compact { min-height: auto; }
button.secondary { background: #fff; color: var(--brand); border: 2px solid var(--brand); }
.send-actions { display: flex; flex-wrap: wrap; gap: .5rem; }
.template-pick { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
.template-pick label { flex-basis: 100%; }
.template-pick select { flex: 1; width: auto; }
.template-pick button { margin-top: 0; }
fieldset.via { margin: 1rem 0; }
p.entry.audit { border-top: 1px dashed #ddd; padding-top: .5rem; }
nav.views ul { list-style: none; padding: 0; margin: 1rem 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
nav.views a[aria-current="page"] { font-weight: 700; text-decoration: none; border-bottom: 3px solid var(--brand); }
form.search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
form.search label { flex-basis: 100%; }
form.search input { flex: 1; }
form.search button { margin-top: 0; }
details.filters { margin: .5rem 0 1rem; }
details.filters summary { cursor: pointer; font-weight: 600; }
ul.pages { list-style: none; padding: 0; display: flex; gap: 1.5rem; }
@media (max-width: 64rem) {
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack tr { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); column-gap: 1rem; border: 1px solid #ccc; border-radius: 4px; margin-bottom: .75rem; padding: .25rem .5rem; }
  table.stack td { display: block; border: 0; padding: .15rem 0; }
  table.stack td::before { content: attr(data-label) ": "; font-weight: 600; }
}
`;

export const STYLESHEET = '/assets/loket.css';
/** Puts the focus on a form's error summary (the CSP allows no inline script). */
export const ERROR_FOCUS_SCRIPT = '/assets/error-focus.js';
export const ERROR_FOCUS_JS = `document.getElementById('error-summary')?.focus();\n`;

/** The script tag that moves the focus to the error summary once the page is read. */
export const errorFocus = () => html`<script src="${ERROR_FOCUS_SCRIPT}" defer></script>`;

/** The page frame of every public page. */
export function layout(options: { lang: 'nl' | 'en'; title: string; body: SafeHtml; wide?: boolean; full?: boolean; header?: SafeHtml }): string {
  return html`<!doctype html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<link rel="stylesheet" href="${STYLESHEET}">
</head>
<body>
<header><strong>${options.lang === 'nl' ? 'Contactcenter' : 'Contact center'}</strong>${options.header ?? ''}</header>
<main id="main"${options.full ? new SafeHtml(' class="full"') : options.wide ? new SafeHtml(' class="wide"') : ''}>
${options.body}
</main>
</body>
</html>`.value;
}
