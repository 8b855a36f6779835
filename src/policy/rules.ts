import { COMPLAINT_TOPIC, type Priority, type RoutingRule } from './rules.schema.js';
import type { RE2JS } from 're2js';
import { compilePattern, MAX_MATCH_INPUT } from './pattern.js';

/** What rules look at in a message. `topic` is what classification (or the form) gave it. */
export interface MessageFacts {
  channel: string;
  /** The sender's e-mail address, if any. */
  from: string | undefined;
  subject: string;
  text: string;
  hasAttachment: boolean;
  topic: string;
}

export interface RuleContext {
  /** Whether the message arrived inside office hours. */
  insideOfficeHours: boolean;
  /** The team of a topic, for a rule that sets a topic but no team. */
  teamOf(topic: string): string | null;
}

export interface RuleOutcome {
  topic: string;
  team: string | null;
  priority: Priority;
  replyTemplate?: string;
  /** The ids of the rules that applied, in order. */
  matched: string[];
}

// Patterns are checked when saved (pattern.ts); compiled once per pattern text.
const compiled = new Map<string, RE2JS>();
function pattern(source: string): RE2JS {
  let regex = compiled.get(source);
  if (!regex) {
    if (compiled.size >= 1_000) compiled.clear();
    regex = compilePattern(source);
    compiled.set(source, regex);
  }
  return regex;
}

const contains = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());

function senderMatches(from: string | undefined, senders: readonly string[]): boolean {
  const address = from?.trim().toLowerCase();
  if (!address) return false;
  return senders.some((sender) => (sender.startsWith('@') ? address.endsWith(sender) : address === sender));
}

/** Whether every condition of the rule holds for the message as it stands (topic after earlier rules). */
function holds(rule: RoutingRule, facts: MessageFacts, topic: string, context: RuleContext): boolean {
  const when = rule.when;
  const text = facts.text.slice(0, MAX_MATCH_INPUT);
  if (when.channels && !when.channels.includes(facts.channel as never)) return false;
  if (when.topics && !when.topics.includes(topic)) return false;
  if (when.senders && !senderMatches(facts.from, when.senders)) return false;
  if (when.subjectContains && !contains(facts.subject, when.subjectContains)) return false;
  if (when.bodyContains && !contains(text, when.bodyContains)) return false;
  if (when.subjectMatches && !pattern(when.subjectMatches).test(facts.subject)) return false;
  if (when.bodyMatches && !pattern(when.bodyMatches).test(text)) return false;
  if (when.hasAttachment !== undefined && when.hasAttachment !== facts.hasAttachment) return false;
  if (when.officeHours && (when.officeHours === 'inside') !== context.insideOfficeHours) return false;
  return true;
}

/**
 * Applies the admin's rules in order: each rule whose conditions all hold applies its
 * actions over what earlier rules decided; a rule with `stop` ends the evaluation.
 * A rule that sets a topic without a team gives the message that topic's team.
 */
export function applyRules(rules: readonly RoutingRule[], facts: MessageFacts, context: RuleContext): RuleOutcome {
  const outcome: RuleOutcome = { topic: facts.topic, team: context.teamOf(facts.topic), priority: 'normal', matched: [] };
  for (const rule of rules) {
    if (!rule.enabled || !holds(rule, facts, outcome.topic, context)) continue;
    const then = rule.then;
    outcome.matched.push(rule.id);
    const topic = then.complaint ? COMPLAINT_TOPIC : then.topic;
    if (topic) {
      outcome.topic = topic;
      outcome.team = context.teamOf(topic);
    }
    if (then.team) outcome.team = then.team;
    if (then.priority) outcome.priority = then.priority;
    if (then.replyTemplate) outcome.replyTemplate = then.replyTemplate;
    if (then.stop) break;
  }
  return outcome;
}
