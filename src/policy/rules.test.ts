import { describe, expect, it } from 'vitest';
import { MAX_MATCH_INPUT, patternProblem } from './pattern.js';
import { applyRules, type MessageFacts, type RuleContext } from './rules.js';
import { routingRulesSchema, type RoutingRuleInput } from './rules.schema.js';

const TEAMS: Record<string, string> = { salaris: 'salaris', klacht: 'klachten', verlof: 'verlof', overig: 'algemeen' };
const inside: RuleContext = { insideOfficeHours: true, teamOf: (topic) => TEAMS[topic] ?? null };
const outside: RuleContext = { ...inside, insideOfficeHours: false };

const facts = (overrides: Partial<MessageFacts> = {}): MessageFacts => ({
  channel: 'email',
  from: 'piet@minbzk.nl',
  subject: 'Vraag over mijn salarisstrook',
  text: 'Mijn salaris van oktober klopt niet.',
  hasAttachment: false,
  topic: 'salaris',
  ...overrides,
});

const rules = (...input: RoutingRuleInput[]) => routingRulesSchema.parse(input);
const rule = (id: string, when: RoutingRuleInput['when'], then: RoutingRuleInput['then']): RoutingRuleInput => ({ id, when, then });

describe('applyRules conditions', () => {
  const cases: [string, RoutingRuleInput['when'], Partial<MessageFacts>, RuleContext?, Partial<MessageFacts>?][] = [
    ['channel', { channels: ['email', 'webform'] }, { channel: 'chat' }],
    ['topic', { topics: ['salaris'] }, { topic: 'verlof' }],
    ['sender domain', { senders: ['@minbzk.nl'] }, { from: 'piet@minfin.nl' }],
    ['sender address', { senders: ['Piet@MinBZK.nl'] }, { from: 'jan@minbzk.nl' }],
    ['subject contains', { subjectContains: 'SALARISSTROOK' }, { subject: 'Verlof' }],
    ['body contains', { bodyContains: 'oktober' }, { text: 'november' }],
    ['subject matches', { subjectMatches: '^vraag\\s+over' }, { subject: 'Een vraag over' }],
    ['body matches', { bodyMatches: 'salaris van (jan|okt)' }, { text: 'salaris van mei' }],
    ['attachment present', { hasAttachment: true }, { hasAttachment: false }, inside, { hasAttachment: true }],
    ['no attachment', { hasAttachment: false }, { hasAttachment: true }],
    ['inside office hours', { officeHours: 'inside' }, {}, outside],
  ];
  for (const [name, when, miss, missContext, hit] of cases) {
    it(`${name}: applies when it holds, not when it does not`, () => {
      const set = rules(rule('r', when, { priority: 'high' }));
      expect(applyRules(set, facts(hit), inside)).toMatchObject({ priority: 'high', matched: ['r'] });
      expect(applyRules(set, facts(miss), missContext ?? inside)).toMatchObject({ priority: 'normal', matched: [] });
    });
  }

  it('outside office hours holds only outside them', () => {
    const set = rules(rule('nacht', { officeHours: 'outside' }, { replyTemplate: 'buiten-openingstijden' }));
    expect(applyRules(set, facts(), outside).replyTemplate).toBe('buiten-openingstijden');
    expect(applyRules(set, facts(), inside).replyTemplate).toBeUndefined();
  });

  it('every condition of a rule must hold', () => {
    const set = rules(rule('r', { senders: ['@minbzk.nl'], hasAttachment: true }, { priority: 'low' }));
    expect(applyRules(set, facts(), inside).matched).toEqual([]);
    expect(applyRules(set, facts({ hasAttachment: true }), inside).matched).toEqual(['r']);
  });

  it('a sender condition never matches a message without an address', () => {
    const set = rules(rule('r', { senders: ['@minbzk.nl'] }, { priority: 'low' }));
    expect(applyRules(set, facts({ from: undefined }), inside).matched).toEqual([]);
  });
});

describe('applyRules actions', () => {
  it('keeps the classified topic and its team when no rule applies', () => {
    expect(applyRules([], facts(), inside)).toEqual({ topic: 'salaris', team: 'salaris', priority: 'normal', matched: [] });
  });

  it('sets topic (with its team), team, priority and reply template', () => {
    const set = rules(rule('a', {}, { topic: 'verlof' }), rule('b', {}, { priority: 'low', replyTemplate: 'spoed' }));
    expect(applyRules(set, facts(), inside)).toEqual({ topic: 'verlof', team: 'verlof', priority: 'low', replyTemplate: 'spoed', matched: ['a', 'b'] });
    const team = rules(rule('a', {}, { topic: 'verlof', team: 'bijzonder' }));
    expect(applyRules(team, facts(), inside).team).toBe('bijzonder');
  });

  it('marks a complaint: topic klacht and the complaints team', () => {
    const set = rules(rule('k', { bodyContains: 'schandalig' }, { complaint: true }));
    expect(applyRules(set, facts({ text: 'Dit is schandalig.' }), inside)).toMatchObject({ topic: 'klacht', team: 'klachten' });
  });

  it('later rules overrule earlier ones and see the topic they set; stop ends the evaluation', () => {
    const set = rules(
      rule('eerst', {}, { topic: 'verlof', priority: 'low' }),
      rule('verlof-hoog', { topics: ['verlof'] }, { priority: 'high' }),
      rule('stop', {}, { team: 'stoppers', stop: true }),
      rule('nooit', {}, { priority: 'low' }),
    );
    expect(applyRules(set, facts(), inside)).toEqual({ topic: 'verlof', team: 'stoppers', priority: 'high', matched: ['eerst', 'verlof-hoog', 'stop'] });
  });

  it('skips a disabled rule', () => {
    const set = rules({ id: 'uit', enabled: false, when: {}, then: { priority: 'high' } });
    expect(applyRules(set, facts(), inside).matched).toEqual([]);
  });
});

describe('rule validation', () => {
  it('refuses what RE2 cannot run, saying in Dutch what is wrong', () => {
    const refused: [string, string][] = [
      ['(\\w+)\\1', 'terugverwijzingen (\\1) zijn niet mogelijk'],
      ['(?<x>a)\\k<x>', 'terugverwijzingen (\\1) zijn niet mogelijk'],
      ['(?=a)b', 'lookahead en lookbehind zijn niet mogelijk'],
      ['(?<!a)b', 'lookahead en lookbehind zijn niet mogelijk'],
      ['([a-z', 'ongeldig patroon: er ontbreekt een ] bij "[a-z"'],
      ['(salaris', 'ongeldig patroon: er ontbreekt een )'],
      ['a{2,1}', 'ongeldig patroon: ongeldig aantal herhalingen (hoogstens 1000) bij "{2,1}"'],
      ['*salaris', 'ongeldig patroon: een *, + of ? zonder iets ervoor om te herhalen bij "*"'],
      ['x'.repeat(201), 'het patroon is langer dan 200 tekens'],
    ];
    for (const [pattern, why] of refused) expect(patternProblem(pattern), pattern).toBe(why);
  });

  it('accepts whatever RE2 runs, nested repetition and escaped look-alikes of what it cannot included', () => {
    for (const pattern of [
      '^vraag\\s+over',
      'salaris (jan|okt)',
      '[(+*]+',
      '\\(a+\\)+',
      'a{2,3}b+',
      '(a+)+$',
      '(a|aa)+',
      'C:\\\\1',
      '\\(?=x',
      'x'.repeat(200),
    ]) {
      expect(patternProblem(pattern), pattern).toBeUndefined();
    }
  });

  it('runs a pattern that would backtrack for ever in JavaScript in linear time', () => {
    // (a+)+$ against "aaa…a!" takes a backtracking engine 2^n steps; n = 20,000 would never end.
    const set = rules({ id: 'rampzalig', when: { bodyMatches: '(a+)+$' }, then: { priority: 'high' } });
    const outcome = applyRules(set, facts({ text: `${'a'.repeat(MAX_MATCH_INPUT - 1)}!` }), inside);
    // A backtracking engine would not come back from this call; RE2 takes milliseconds.
    expect(outcome.matched).toEqual([]);
    expect(applyRules(set, facts({ text: 'AAAA' }), inside).matched).toEqual(['rampzalig']);
  });

  it('names the rule and field of each error', () => {
    const result = routingRulesSchema.safeParse([
      { id: 'goed', when: {}, then: { priority: 'high' } },
      { id: 'slecht', when: { bodyMatches: '(\\w)\\1' }, then: { priority: 'urgent' } },
      { id: 'goed', when: { colour: 'red' }, then: {} },
    ]);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['1.when.bodyMatches', '1.then.priority', '2.when', '2.then']));
    const twice = routingRulesSchema.safeParse([rule('a', {}, { stop: true }), rule('a', {}, { stop: true })]);
    expect(twice.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['1.id']);
  });
});
