import { randomUUID } from 'node:crypto';
import { html, type SafeHtml } from '../../src/ui/html.js';
import { fieldError, formField } from '../../src/ui/form.js';
import { errorFocus, layout } from '../../src/ui/layout.js';
import type { EarlierCase } from './call.store.js';
import { CALL_OUTCOMES, type CallLogField } from './phone.schema.js';
import { T } from './phone.texts.js';

export interface CallLogPageOptions {
  topics: { key: string; name: string }[];
  csrfToken: string;
  values?: Record<string, string>;
  errors?: Partial<Record<CallLogField, string>>;
  /** Opened from a telephony call: who is calling and what they asked before. */
  call?: { callId: string; earlierCases: EarlierCase[] };
  /** Opened from the call-back list. */
  task?: { id: number; reference: string };
}

const checked = (value: string | undefined) => value === 'on' || value === 'true' || value === '1';

/** The call-log form: labelled fields, errors tied to their field, works without JavaScript. */
export function callLogPage(options: CallLogPageOptions): string {
  const values = options.values ?? {};
  const errors = options.errors ?? {};
  const errorEntries = Object.entries(errors) as [string, string][];

  const field = (name: CallLogField, label: string, required: boolean, control: (attrs: SafeHtml) => SafeHtml, hint?: string) =>
    formField(T, { name, label, required, error: errors[name], hint }, control);

  const callbackError = errors.callback;
  const body = html`<h1>${T.logTitle}</h1>
<p>${T.logIntro}</p>
${errorEntries.length > 0 ? errorSummary(errorEntries) : ''}
${options.call ? callContext(options.call) : ''}
${options.task ? html`<p>${T.callbackOf(options.task.reference)}</p>` : ''}
<form method="post" action="/werkplek/gesprek" novalidate>
<input type="hidden" name="_csrf" value="${options.csrfToken}">
<input type="hidden" name="submissionId" value="${values['submissionId'] || randomUUID()}">
${options.call || values['callId'] ? html`<input type="hidden" name="callId" value="${options.call?.callId ?? values['callId']}">` : ''}
${options.task || values['callbackOf'] ? html`<input type="hidden" name="callbackOf" value="${options.task?.id ?? values['callbackOf']}">` : ''}
${field('callerName', T.callerName, false, (a) => html`<input type="text" ${a} autocomplete="off" maxlength="200" value="${values['callerName'] ?? ''}">`)}
${field('phone', T.phone, false, (a) => html`<input type="tel" ${a} autocomplete="off" maxlength="40" value="${values['phone'] ?? ''}">`, T.phoneHint)}
${field('employeeNumber', T.employeeNumber, false, (a) => html`<input type="text" ${a} inputmode="numeric" maxlength="20" value="${values['employeeNumber'] ?? ''}">`)}
${field(
  'topic',
  T.topic,
  false,
  (a) =>
    html`<select ${a}><option value="">${T.topicNone}</option>${options.topics.map(
      (topic) => html`<option value="${topic.key}"${values['topic'] === topic.key ? html` selected` : ''}>${topic.name}</option>`,
    )}</select>`,
)}
${field('summary', T.summary, true, (a) => html`<textarea ${a} maxlength="20000">${values['summary'] ?? ''}</textarea>`)}
${field(
  'outcome',
  T.outcome,
  true,
  (a) =>
    html`<select ${a}><option value="">${T.outcomeNone}</option>${CALL_OUTCOMES.map(
      (outcome) => html`<option value="${outcome}"${values['outcome'] === outcome ? html` selected` : ''}>${T.outcomes[outcome]}</option>`,
    )}</select>`,
)}
<p><input type="checkbox" id="callback" name="callback" class="inline-check"${checked(values['callback']) ? html` checked` : ''}${
    callbackError ? html` aria-invalid="true" aria-describedby="callback-error"` : ''
  }><label for="callback" class="inline">${T.callback}</label></p>
${fieldError(T, 'callback', callbackError)}
${fieldError(T, 'callId', errors.callId)}
${fieldError(T, 'callbackOf', errors.callbackOf)}
<button type="submit">${T.submit}</button>
</form>
<p><a href="/werkplek">${T.toWorkspace}</a></p>
${errorEntries.length > 0 ? errorFocus() : ''}`;

  return layout({ lang: 'nl', title: errorEntries.length > 0 ? `${T.logTitle} – ${T.invalid}` : T.logTitle, body });
}

/** The page after logging: the registration number, large, to read out to the caller. */
export function loggedPage(options: { reference?: string; duplicate: boolean }): string {
  const body = html`<h1>${T.loggedTitle}</h1>
<p>${T.loggedReference}</p>
<p class="reference" id="reference">${options.reference ?? ''}</p>
${options.duplicate ? html`<p>${T.loggedAgain}</p>` : ''}
<p><a href="/werkplek/gesprek">${T.logAnother}</a> · <a href="/werkplek/terugbellen">${T.toCallbacks}</a> · <a href="/werkplek">${T.toWorkspace}</a></p>`;
  return layout({ lang: 'nl', title: T.loggedTitle, body });
}

function errorSummary(entries: [string, string][]): SafeHtml {
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
<h2>${T.errorSummary}</h2>
<ul>${entries.map(([name, message]) => html`<li><a href="#${name}">${message}</a></li>`)}</ul>
</div>`;
}

function callContext(call: { callId: string; earlierCases: EarlierCase[] }): SafeHtml {
  return html`<p>${T.fromCall(call.callId)}</p>
<h2>${T.earlierCases}</h2>
${
  call.earlierCases.length === 0
    ? html`<p>${T.noEarlierCases}</p>`
    : html`<ul id="earlier-cases">${call.earlierCases.map(
        (c) =>
          html`<li><strong>${c.reference}</strong> – ${c.subject || c.topic} <span class="meta">(${c.status === 'open' ? 'open' : 'gesloten'}, ${c.openedAt.toLocaleDateString('nl-NL', { timeZone: 'Europe/Amsterdam' })})</span></li>`,
      )}</ul>`
}`;
}
