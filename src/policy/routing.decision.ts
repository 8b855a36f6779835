import { guessTopic, type TopicGuess } from '../classifier/topic-classifier.js';
import type { PlainDate } from '../calendar.js';
import type { Locale } from '../message.js';
import { isOpen, type OfficeHours } from '../office-hours.js';
import type { SettingsCache } from '../settings.store.js';
import type { Topic } from '../topic.store.js';
import { toOfficeHours } from './office-hours.setting.js';
import { applyRules, type MessageFacts, type RuleOutcome } from './rules.js';
import type { RoutingRule } from './rules.schema.js';
import { findTemplate, renderTemplate, type ReplyTemplate } from './templates.js';

/** What routing needs of the admin settings, read once per message. */
export interface RuleSet {
  rules: readonly RoutingRule[];
  templates: readonly ReplyTemplate[];
  officeHours: OfficeHours;
}

/** The rule set from the settings cache (at most two seconds old). */
export async function loadRuleSet(settings: SettingsCache): Promise<RuleSet> {
  const [rules, templates, hours] = await Promise.all([settings.get('routing.rules'), settings.get('reply.templates'), settings.get('office.hours')]);
  return { rules, templates, officeHours: toOfficeHours(hours) };
}

/** A message as a new case's decision sees it. */
export interface DecisionInput extends Omit<MessageFacts, 'topic'> {
  topicHint: string | null;
  receivedAt: Date;
  locale?: Locale;
}

/** The topic classifier as one job (or one dry run) uses it: its model and threshold as they stood then. */
export type TopicGuesser = (message: { subject: string; text: string; locale?: Locale }) => TopicGuess;

/** What routing decides for a new case, with what the classifier made of it. */
export interface RoutingDecision extends RuleOutcome {
  guess: TopicGuess;
  /** The topic was left to a person: the classifier was unsure and neither the sender nor a rule chose one. */
  unsure: boolean;
}

/**
 * Topic (the form's or chat's choice, else the classifier: the learned model, or keywords
 * without one), then the rules: topic, team, priority, reply template. The admin's rules
 * win where they match.
 */
export function decideRouting(message: DecisionInput, topics: readonly Topic[], ruleSet: RuleSet | undefined, guesser?: TopicGuesser): RoutingDecision {
  const hinted = topics.find((topic) => topic.key === message.topicHint);
  const guess = guesser ? guesser(message) : guessTopic(undefined, message, topics, 0);
  const topic = hinted?.key ?? guess.topic;
  const teamOf = (key: string) => topics.find((candidate) => candidate.key === key)?.team ?? null;
  const outcome = ruleSet
    ? applyRules(ruleSet.rules, { ...message, topic }, { insideOfficeHours: isOpen(message.receivedAt, ruleSet.officeHours), teamOf })
    : { topic, team: teamOf(topic), priority: 'normal' as const, matched: [] };
  return { ...outcome, guess, unsure: !hinted && guess.unsure && outcome.topic === guess.topic };
}

/** The text of a rule's automatic reply, or undefined when the template does not exist (the acknowledgement stays). */
export function templatedReply(
  ruleSet: RuleSet | undefined,
  key: string | undefined,
  input: { locale: Locale; reference: string; answerBy: PlainDate; name: string | undefined },
): { subject: string; body: string } | undefined {
  const template = key && ruleSet ? findTemplate(ruleSet.templates, key, input.locale) : undefined;
  return template ? renderTemplate(template, input) : undefined;
}
