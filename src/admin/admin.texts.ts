import type { UiLocale } from '../workspace/language.js';

/** The words of a refused save's error summary, in the form and in the JSON editor; `line` of a list field ("regel 2"). */
export const SUMMARY_TEXTS: Record<UiLocale, { notSaved: (count: number) => string; whole: string; line: string }> = {
  nl: { notSaved: (count) => `Niet opgeslagen: ${count} ${count === 1 ? 'fout' : 'fouten'}`, whole: 'geheel', line: 'regel' },
  en: { notSaved: (count) => `Not saved: ${count} ${count === 1 ? 'error' : 'errors'}`, whole: 'whole setting', line: 'line' },
};
