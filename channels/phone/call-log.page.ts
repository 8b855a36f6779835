import { randomUUID } from 'node:crypto';
import { html, type SafeHtml } from '../../src/ui/html.js';
import { fieldError, formField } from '../../src/ui/form.js';
import { errorFocus, layout } from '../../src/ui/layout.js';
import type { UiLocale } from '../../src/workspace/language.js';
import { labels } from '../../src/workspace/workspace.texts.js';
import type { EarlierCase } from './call.store.js';
import { CALL_OUTCOMES, type CallLogField } from './phone.schema.js';
import { T as DUTCH } from './phone.texts.js';

/**
 * The words of the agent's phone pages (call log, call-back list) in Dutch and English. The
 * Dutch are phone.texts.ts's own; the citizen-facing and case texts there stay Dutch only.
 */
export const TEXTS = {
  nl: DUTCH,
  en: {
    logTitle: 'Log a phone call',
    logIntro: 'Record what the call was about. The caller gets a registration number you can tell them straight away.',
    required: 'required',
    optional: 'optional',
    callerName: "Caller's name",
    phone: 'Phone number',
    phoneHint: 'For example 06 12345678 or +31 6 12345678.',
    employeeNumber: 'Employee number',
    topic: 'Topic',
    topicNone: 'Choose a topic (optional)',
    summary: 'Summary of the call',
    outcome: 'Outcome',
    outcomeNone: 'Choose an outcome',
    outcomes: { beantwoord: 'Answered', doorverwezen: 'Referred', terugbellen: 'Call back' },
    callback: 'The caller needs a call back',
    fromCall: (callId: string) => `This log belongs to call ${callId}.`,
    callbackOf: (reference: string) => `You are logging the call-back for case ${reference}.`,
    earlierCases: 'Earlier cases from this number',
    noEarlierCases: 'No earlier cases from this number.',
    submit: 'Log the call',
    errorSummary: 'Please check the following fields:',
    errorPrefix: 'Error:',
    invalid: 'Please check the marked fields.',
    loggedTitle: 'Call logged',
    loggedReference: 'Tell the caller this registration number:',
    loggedAgain: 'This call was already logged; the registration number has stayed the same.',
    logAnother: 'Log another call',
    toCallbacks: 'To the call-back list',
    toWorkspace: 'To the workspace',
    errors: {
      callerName: 'Enter a name of at most 200 characters.',
      phone: 'Enter a valid phone number, for example 06 12345678.',
      employeeNumber: 'An employee number has at most 20 letters and digits.',
      topic: 'Choose a topic from the list.',
      summary: 'Enter a summary of the call (at most 20,000 characters).',
      outcome: 'Choose an outcome: answered, referred or call back.',
      callback: 'Tick whether the caller needs a call back.',
      callId: 'The call ID is invalid.',
      submissionId: 'The form ID is invalid; reload the page.',
      callbackOf: 'This call-back task does not exist.',
      callbackNeedsPhone: 'Enter the phone number: without a number nobody can call back.',
      unknownField: (field: string) => `The field "${field}" is unknown.`,
    },
    callbacksTitle: 'Call-backs',
    callbacksIntro: 'Open call-back tasks, oldest first. Log the call-back call; that completes the task.',
    callbacksNone: 'There are no open call-back tasks.',
    callbacksNumber: 'Number',
    callbacksName: 'Name',
    callbacksCase: 'Case',
    callbacksSince: 'Since',
    callbacksWhat: 'About',
    callbacksAction: 'Action',
    callbacksLog: 'Log the call-back',
    callbacksTeam: 'Team',
    callbacksHrDesk: 'Only the HR desk’s tasks',
    callbacksAllTeams: 'All teams',
    callbacksPages: 'Pages of the call-back list',
    callbacksFirst: 'To the start of the list',
    callbacksNext: 'Next 50 tasks',
    noNumber: 'no number known',
    unknownCaller: 'unknown',
  } satisfies Partial<typeof DUTCH>,
} as const;
export type PhoneTexts = (typeof TEXTS)[UiLocale];

/** A call-log error in the agent's language: logCall (call-log.ts) gives phone.texts.ts's Dutch words. */
function errorIn(message: string, lang: UiLocale): string {
  if (lang === 'nl') return message;
  const errors = TEXTS.en.errors as Record<string, unknown>;
  for (const [key, dutch] of Object.entries(DUTCH.errors)) if (dutch === message && typeof errors[key] === 'string') return errors[key];
  const unknown = /^Het veld "(.*)" is onbekend\.$/s.exec(message);
  return unknown ? TEXTS.en.errors.unknownField(unknown[1]!) : message;
}

export interface CallLogPageOptions {
  /** The agent's language, and the switch to the other one in the header. */
  lang: UiLocale;
  header?: SafeHtml;
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
  const { lang } = options;
  const T = TEXTS[lang];
  const values = options.values ?? {};
  const errors = Object.fromEntries(Object.entries(options.errors ?? {}).map(([name, message]) => [name, errorIn(message, lang)])) as Partial<
    Record<CallLogField, string>
  >;
  const errorEntries = Object.entries(errors) as [string, string][];

  const field = (name: CallLogField, label: string, required: boolean, control: (attrs: SafeHtml) => SafeHtml, hint?: string) =>
    formField(T, { name, label, required, error: errors[name], hint }, control);

  const callbackError = errors.callback;
  const body = html`<h1>${T.logTitle}</h1>
<p>${T.logIntro}</p>
${errorEntries.length > 0 ? errorSummary(errorEntries, T) : ''}
${options.call ? callContext(options.call, lang) : ''}
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

  return layout({ lang, header: options.header, title: errorEntries.length > 0 ? `${T.logTitle} – ${T.invalid}` : T.logTitle, body });
}

/** The page after logging: the registration number, large, to read out to the caller. */
export function loggedPage(options: { reference?: string; duplicate: boolean; lang: UiLocale; header?: SafeHtml }): string {
  const T = TEXTS[options.lang];
  const body = html`<h1>${T.loggedTitle}</h1>
<p>${T.loggedReference}</p>
<p class="reference" id="reference">${options.reference ?? ''}</p>
${options.duplicate ? html`<p>${T.loggedAgain}</p>` : ''}
<p><a href="/werkplek/gesprek">${T.logAnother}</a> · <a href="/werkplek/terugbellen">${T.toCallbacks}</a> · <a href="/werkplek">${T.toWorkspace}</a></p>`;
  return layout({ lang: options.lang, header: options.header, title: T.loggedTitle, body });
}

function errorSummary(entries: [string, string][], T: PhoneTexts): SafeHtml {
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
<h2>${T.errorSummary}</h2>
<ul>${entries.map(([name, message]) => html`<li><a href="#${name}">${message}</a></li>`)}</ul>
</div>`;
}

function callContext(call: { callId: string; earlierCases: EarlierCase[] }, lang: UiLocale): SafeHtml {
  const T = TEXTS[lang];
  const { status } = labels(lang);
  return html`<p>${T.fromCall(call.callId)}</p>
<h2>${T.earlierCases}</h2>
${
  call.earlierCases.length === 0
    ? html`<p>${T.noEarlierCases}</p>`
    : html`<ul id="earlier-cases">${call.earlierCases.map(
        (c) =>
          html`<li><strong>${c.reference}</strong> – ${c.subject || c.topic} <span class="meta">(${(c.status === 'open' ? status.open : status.closed).toLowerCase()}, ${c.openedAt.toLocaleDateString(lang === 'en' ? 'en-GB' : 'nl-NL', { timeZone: 'Europe/Amsterdam' })})</span></li>`,
      )}</ul>`
}`;
}
