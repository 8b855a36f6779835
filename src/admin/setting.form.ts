import { html, type SafeHtml } from '../ui/html.js';
import type { UiLocale } from '../workspace/language.js';
import { SUMMARY_TEXTS } from './admin.texts.js';
import { textOf, type FieldErrors, type Posted } from './form.fields.js';
import { issueIn, type SettingIssue } from './settings.versions.js';

/** What forms offer as choices: the topics and the reply templates in force. */
export interface FormContext {
  topics: readonly { key: string; nameNl: string }[];
  templates: readonly { key: string; name: string }[];
}

/** The field a validation issue belongs to, and how the error summary names it. */
export interface Located {
  field: string;
  label: string;
  /** Which line of the field, when it holds a list ("regel 2", "line 2"). */
  line?: number;
}

/**
 * How one setting is edited as form fields. `Draft` holds the fields as typed, so a refused
 * value comes back exactly as the admin left it; `toValue` makes the candidate that the
 * setting's own schema then judges.
 */
export interface SettingFormSpec<Value, Draft> {
  fromSetting(value: Value): Draft;
  fromPosted(body: Posted): Draft;
  /** The draft after a list button (add, move, delete), or undefined for any other button. */
  edit?(draft: Draft, action: string): Draft | undefined;
  toValue(draft: Draft): unknown;
  /** The fields, labels and hints in the admin's language; what the admin typed as it was. */
  fields(draft: Draft, context: FormContext, errors: FieldErrors, lang: UiLocale): SafeHtml;
  locate(at: readonly (string | number)[], draft: Draft, lang: UiLocale): Located | undefined;
}

/** A setting's form state with its draft type hidden, as the pages use it. */
export interface FormState {
  /** The candidate value for the setting's schema. */
  value: unknown;
  /**
   * The version the form was loaded from (0: none saved yet, the default in force), posted
   * back as a hidden field so a save over someone else's newer version is refused.
   * Undefined for a post without it.
   */
  version: number | undefined;
  /** A list button or Enter (not Save) sent the form: show it again and save nothing. */
  edited: boolean;
  /** The error summary (empty without issues) and the fields, each issue next to its field; Dutch unless told. */
  render(context: FormContext, issues?: readonly SettingIssue[], lang?: UiLocale): { summary: SafeHtml | ''; fields: SafeHtml };
}

/** The hidden field that carries FormState.version. */
export const VERSION_FIELD = 'versie';

export interface SettingForm {
  /** The form of the value in force (already valid by its schema) and its version. */
  ofSetting(value: unknown, version?: number): FormState;
  ofPosted(body: Posted): FormState;
}

/** The name of the button that Enter in a field presses: it shows the form again and saves nothing. */
export const REFRESH_ACTION = 'bijwerken';

/** A SettingForm from its spec. */
export function settingForm<Value, Draft>(spec: SettingFormSpec<Value, Draft>): SettingForm {
  const state = (draft: Draft, edited: boolean, version: number | undefined): FormState => ({
    value: spec.toValue(draft),
    version,
    edited,
    render(context, issues = [], lang = 'nl') {
      const errors = new Map<string, string>();
      const lines = issues.map((issue) => {
        const shown = issueIn(issue, lang);
        // An empty `at` is the setting as a whole (too many entries): the spec may name a field for it too.
        const where = issue.at ? spec.locate(issue.at, draft, lang) : undefined;
        if (where) {
          const message = where.line === undefined ? shown.message : `${SUMMARY_TEXTS[lang].line} ${where.line + 1}: ${shown.message}`;
          errors.set(where.field, errors.has(where.field) ? `${errors.get(where.field)}; ${message}` : message);
        }
        return { where, issue: shown };
      });
      return { summary: errorSummary(lines, lang), fields: spec.fields(draft, context, errors, lang) };
    },
  });
  return {
    // The value was parsed by the setting's schema before it reached here.
    ofSetting: (value, version) => state(spec.fromSetting(value as Value), false, version),
    ofPosted(body) {
      const action = textOf(body, 'actie');
      const posted = textOf(body, VERSION_FIELD);
      const version = /^\d{1,9}$/.test(posted) ? Number(posted) : undefined;
      const draft = spec.fromPosted(body);
      const edited = spec.edit?.(draft, action);
      if (edited) return state(edited, true, version);
      return state(draft, action === REFRESH_ACTION, version);
    },
  };
}

function errorSummary(lines: { where: Located | undefined; issue: { path: string; message: string } }[], lang: UiLocale): SafeHtml | '' {
  if (lines.length === 0) return '';
  return html`<div class="error-summary" id="foutoverzicht" role="alert" tabindex="-1"><h2>${SUMMARY_TEXTS[lang].notSaved(lines.length)}</h2>
<ul>${lines.map(({ where, issue }) =>
    where
      ? html`<li><a href="#${where.field}">${where.label}${where.line === undefined ? '' : ` › ${SUMMARY_TEXTS[lang].line} ${where.line + 1}`}</a>: ${issue.message}</li>`
      : html`<li><strong>${issue.path || SUMMARY_TEXTS[lang].whole}</strong>: ${issue.message}</li>`,
  )}</ul></div>`;
}
