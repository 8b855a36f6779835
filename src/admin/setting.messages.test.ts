import { describe, expect, it } from 'vitest';
import { SettingValidationError, validateSetting, type VersionedKey } from './settings.versions.js';

/** The issues a setting's schema finds in a value, each in Dutch and in English. */
function issuesOf(key: VersionedKey, value: unknown) {
  try {
    validateSetting(key, value);
  } catch (err) {
    if (err instanceof SettingValidationError) return err.issues.map(({ path, message, en }) => ({ path, message, en }));
    throw err;
  }
  return [];
}

const topic = (key: string) => ({ key, nameNl: 'Salaris', nameEn: 'Salary', keywords: { nl: [], en: [] } });

describe('a refused setting says what is wrong in English too', () => {
  it('keeps the Dutch of the schemas, and gives the English by the kind of issue and its field', () => {
    expect(issuesOf('sla.targets', { targets: [{ firstResponseHours: 5000, answerDays: 0.5 }], warnHours: 1, promisePercent: 90 })).toEqual([
      {
        path: 'targets › nr. 1 › firstResponseHours',
        message: 'Hoogstens 1.000 uur.',
        en: { path: 'targets › no. 1 › firstResponseHours', message: 'at most 1,000 working hours' },
      },
      {
        path: 'targets › nr. 1 › answerDays',
        message: 'Een heel aantal werkdagen.',
        en: { path: 'targets › no. 1 › answerDays', message: 'enter a whole number of working days' },
      },
    ]);
    expect(issuesOf('topics', [])).toEqual([
      { path: '', message: 'er moet minstens één onderwerp zijn', en: { path: '', message: 'there must be at least one topic' } },
    ]);
    expect(issuesOf('topics', [topic('salaris'), topic('salaris')])).toEqual([
      { path: 'nr. 2 › key', message: 'onderwerp "salaris" komt twee keer voor', en: { path: 'no. 2 › key', message: 'topic "salaris" occurs twice' } },
    ]);
  });

  it('names what RE2 refuses in a pattern, and each unknown variable of a template in turn', () => {
    const patterns = issuesOf('routing.rules', [{ id: 'a', when: { subjectMatches: 'a{2}{3}', bodyMatches: 'x'.repeat(201) }, then: { stop: true } }]);
    expect(patterns.map((issue) => issue.en.message)).toEqual([
      'invalid pattern: invalid nested repetition operator at "{2}{3}"',
      'the pattern is longer than 200 characters',
    ]);
    const template = { key: 'a', name: 'A', locale: 'nl', subject: 'Over {reference}', body: 'Beste {naam}, groet van {wie}' };
    expect(issuesOf('reply.templates', [template]).map((issue) => issue.en.message)).toEqual([
      'unknown variable {naam}; allowed: {reference} {answerBy} {name} {agent}',
      'unknown variable {wie}; allowed: {reference} {answerBy} {name} {agent}',
    ]);
  });

  it('falls back to zod’s English, with what was given, for a value of the wrong shape', () => {
    expect(issuesOf('chat.topics', { inloggen: true })).toEqual([
      { path: '', message: 'Ongeldige invoer: verwacht array, ontving object', en: { path: '', message: 'Invalid input: expected array, received object' } },
    ]);
  });
});
