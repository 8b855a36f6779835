import { describe, expect, it } from 'vitest';
import { chatTopicsForm } from './chat-topics.form.js';
import { editList } from './form.fields.js';
import { officeHoursForm } from './office-hours.form.js';
import { rulesForm } from './rules.form.js';
import { routingRulesSchema } from '../policy/rules.schema.js';
import { DEFAULT_REPLY_TEMPLATES } from '../policy/templates.js';
import { templatesForm } from './templates.form.js';
import { topicsForm } from './topics.form.js';
import { SettingValidationError, validateSetting } from './settings.versions.js';

const CONTEXT = { topics: [{ key: 'salaris', nameNl: 'Salaris' }], templates: [{ key: 'spoed', name: 'Spoed' }] };

describe('a setting shown in its form and saved unchanged stays the same', () => {
  it('routing rules, with every condition and action', () => {
    const rules = routingRulesSchema.parse([
      {
        id: 'alles',
        name: 'Alles',
        when: {
          channels: ['email', 'post'],
          topics: ['salaris', 'weg'],
          senders: ['@minbzk.nl', 'a@b.nl'],
          subjectContains: 'x',
          bodyContains: 'y',
          subjectMatches: ' ^re:',
          bodyMatches: 'a|b',
          hasAttachment: false,
          officeHours: 'inside',
        },
        then: { topic: 'verlof', team: 't', priority: 'low', complaint: true, replyTemplate: 'spoed', stop: true },
      },
      { id: 'uit', enabled: false, when: { hasAttachment: true }, then: { priority: 'high' } },
    ]);
    expect(rulesForm.ofSetting(rules).value).toEqual(rules);
  });

  it('topics, chat topics, office hours and reply templates', () => {
    const topics = [{ key: 'salaris', nameNl: 'Salaris', nameEn: 'Salary', keywords: { nl: ['loon', 'salaris'], en: [] }, team: null, weight: 2 }];
    expect(topicsForm.ofSetting(topics).value).toEqual(topics);
    expect(chatTopicsForm.ofSetting(['inloggen', 'weg']).value).toEqual(['inloggen', 'weg']);
    const hours = { opensAt: '08:00', closesAt: '22:00', extraClosedDays: ['2026-12-24'] };
    expect(officeHoursForm.ofSetting(hours).value).toEqual(hours);
    const templates = [
      ...DEFAULT_REPLY_TEMPLATES,
      { ...DEFAULT_REPLY_TEMPLATES[2]!, locale: 'en' as const, subject: 'Priority [{reference}]', body: 'Dear {name}' },
    ];
    expect(templatesForm.ofSetting(templates).value).toEqual(templates);
  });

  it('a reply template whose English name differs keeps it, and the form shows it', () => {
    const nl = DEFAULT_REPLY_TEMPLATES[2]!;
    const templates = [...DEFAULT_REPLY_TEMPLATES, { ...nl, locale: 'en' as const, name: 'Priority', subject: 'Priority [{reference}]', body: 'Dear {name}' }];
    const form = templatesForm.ofSetting(templates);
    expect(form.value).toEqual(templates);
    expect(form.render(CONTEXT).fields.value).toMatch(new RegExp(`name="s2-nameEn"[^>]*value="Priority"`));
    // The same name in both languages is shown once, and an empty English name means that one.
    const same = [nl, { ...nl, locale: 'en' as const, subject: 'Priority [{reference}]', body: 'Dear {name}' }];
    expect(templatesForm.ofSetting(same).render(CONTEXT).fields.value).toMatch(/name="s0-nameEn"[^>]*value=""/);
    expect(templatesForm.ofSetting(same).value).toEqual(same);
  });

  it('a rule or topic that is not in the choices stays ticked in the form', () => {
    const { fields } = chatTopicsForm.ofSetting(['salaris', 'weg']).render(CONTEXT);
    expect(fields.value).toMatch(/value="weg" checked> weg \(onbekend\)/);
    expect(fields.value).toMatch(/value="salaris" checked> Salaris \(salaris\)/);
  });
});

describe('a list past its cap', () => {
  const tooMany = (prefix: string, field: string, count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}-${field}`, `x${i}`]));
  const refusal = (key: Parameters<typeof validateSetting>[0], value: unknown) => {
    try {
      validateSetting(key, value);
    } catch (err) {
      if (err instanceof SettingValidationError) return err.issues;
      throw err;
    }
    return [];
  };

  it('is refused by the schema as a whole, named next to the list, never cut off to fit', () => {
    const rules = rulesForm.ofPosted({ ...tooMany('r', 'id', 5_000), actie: 'opslaan' });
    expect((rules.value as unknown[]).length).toBe(201);
    const issues = refusal('routing.rules', rules.value);
    expect(issues).toContainEqual(expect.objectContaining({ at: [], message: 'hoogstens 200' }));
    const { summary, fields } = rules.render(
      CONTEXT,
      issues.filter((i) => i.at?.length === 0),
    );
    expect(summary && summary.value).toContain('<a href="#regels">Aantal regels</a>: hoogstens 200');
    expect(fields.value).toContain('<p class="field-error" id="regels-error">');

    const topics = topicsForm.ofPosted({ ...tooMany('t', 'key', 500) });
    expect(refusal('topics', topics.value)).toContainEqual(expect.objectContaining({ at: [], message: 'hoogstens 100' }));
    const templates = templatesForm.ofPosted({ ...tooMany('s', 'key', 500) });
    expect(refusal('reply.templates', templates.value)).toContainEqual(expect.objectContaining({ at: [], message: 'hoogstens 100' }));
  });
});

describe('the version a form was loaded from', () => {
  it('is posted back in a hidden field and read from the post; a post without it has none', () => {
    expect(chatTopicsForm.ofSetting(['inloggen'], 7).version).toBe(7);
    expect(chatTopicsForm.ofPosted({ versie: '7', chat: 'inloggen' }).version).toBe(7);
    expect(rulesForm.ofPosted({ versie: '3', actie: 'toevoegen' }).version).toBe(3);
    expect(chatTopicsForm.ofPosted({ versie: 'zeven' }).version).toBeUndefined();
    expect(chatTopicsForm.ofPosted({}).version).toBeUndefined();
  });
});

describe('list buttons', () => {
  it('move an entry up or down, delete it, or add a blank one; other buttons are not list edits', () => {
    expect(editList(['a', 'b', 'c'], 'omhoog:1', () => 'n')).toEqual(['b', 'a', 'c']);
    expect(editList(['a', 'b', 'c'], 'omlaag:1', () => 'n')).toEqual(['a', 'c', 'b']);
    expect(editList(['a', 'b', 'c'], 'omlaag:2', () => 'n')).toEqual(['a', 'b', 'c']);
    expect(editList(['a', 'b', 'c'], 'verwijderen:0', () => 'n')).toEqual(['b', 'c']);
    expect(editList(['a'], 'toevoegen', () => 'n')).toEqual(['a', 'n']);
    expect(editList(['a'], 'verwijderen:5', () => 'n')).toBeUndefined();
    expect(editList(['a'], 'opslaan', () => 'n')).toBeUndefined();
  });

  it('a new rule gets a free key, and Enter (the hidden refresh button) saves nothing', () => {
    const state = rulesForm.ofPosted({ 'r0-id': 'regel-2', 'r0-priority': 'high', actie: 'toevoegen' });
    expect(state.edited).toBe(true);
    expect((state.value as { id: string }[]).map((r) => r.id)).toEqual(['regel-2', 'regel-3']);
    expect(rulesForm.ofPosted({ 'r0-id': 'x', actie: 'bijwerken' }).edited).toBe(true);
    expect(rulesForm.ofPosted({ 'r0-id': 'x', actie: 'opslaan' }).edited).toBe(false);
  });
});
