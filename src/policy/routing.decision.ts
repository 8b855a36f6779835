import { classify } from '../classify.js';
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
}

/** Topic (the form's choice, else classification), then the rules: topic, team, priority, reply template. */
export function decideRouting(message: DecisionInput, topics: readonly Topic[], ruleSet: RuleSet | undefined): RuleOutcome {
  const hinted = topics.find((topic) => topic.key === message.topicHint);
  const topic = hinted?.key ?? classify(message, topics).topic;
  const teamOf = (key: string) => topics.find((candidate) => candidate.key === key)?.team ?? null;
  if (!ruleSet) return { topic, team: teamOf(topic), priority: 'normal', matched: [] };
  return applyRules(ruleSet.rules, { ...message, topic }, { insideOfficeHours: isOpen(message.receivedAt, ruleSet.officeHours), teamOf });
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
